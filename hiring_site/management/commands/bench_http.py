"""`python manage.py bench_http`: throughput of the panel page through a real HTTP server.

Builds (or reuses) the `bench` data set, collects the static files, starts gunicorn with
production settings (DEBUG off) on the bench database, logs a hiring manager's session in,
and points wrk at the panel page for a fixed time. Prints requests per second, latency
percentiles and errors; fails when any request failed or was not answered 200.
"""

import argparse
import json
import os
import re
import secrets
import shutil
import socket
import subprocess  # nosec B404
import sys
import tempfile
import time
import urllib.error
import urllib.request
from io import StringIO

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.urls import reverse

from hiring_site import bench


def _run(args, **kwargs):
    """Our own interpreter, or wrk, with arguments built here (never from input)."""
    return subprocess.run(args, check=True, **kwargs)  # nosec B603


def _start(args, **kwargs):
    return subprocess.Popen(args, **kwargs)  # nosec B603


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _database_url(vendor: str, scale: float) -> str:
    name = bench.database_name(vendor, scale)
    if vendor == "sqlite":
        return f"sqlite:///{name}"
    db = settings.DATABASES["default"]
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{name}"


def parse_wrk(output: str) -> dict:
    """The figures of wrk's report (wrk 4, run with --latency)."""

    def number(pattern, default=0.0):
        match = re.search(pattern, output)
        return float(match.group(1)) if match else default

    def ms(label):
        match = re.search(rf"^\s*{label}\s+([\d.]+)(us|ms|s)\s*$", output, re.M)
        if not match:
            return None
        value, unit = float(match.group(1)), match.group(2)
        return round(value * {"us": 0.001, "ms": 1, "s": 1000}[unit], 2)

    socket_errors = (
        sum(
            int(n)
            for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", output.split("Socket")[-1])
        )
        if "Socket errors" in output
        else 0
    )
    return {
        "requests": int(number(r"(\d+) requests in")),
        "requests_per_second": number(r"Requests/sec:\s+([\d.]+)"),
        "p50_ms": ms("50%"),
        "p90_ms": ms("90%"),
        "p99_ms": ms("99%"),
        "non_2xx_3xx": int(number(r"Non-2xx or 3xx responses: (\d+)")),
        "socket_errors": socket_errors,
    }


class Command(BaseCommand):
    help = "Requests per second on the panel page: gunicorn (2 workers) + wrk."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0, help="Data set size (see bench).")
        parser.add_argument("--seconds", type=int, default=30, help="How long wrk runs.")
        parser.add_argument("--workers", type=int, default=2, help="gunicorn workers.")
        parser.add_argument("--connections", type=int, default=8, help="wrk connections.")
        parser.add_argument("--json", dest="json_path", help="Also write the JSON here.")
        parser.add_argument("--session-for", type=int, help=argparse.SUPPRESS)

    def handle(self, *args, scale, seconds, workers, connections, json_path, **options):
        if options.get("session_for"):
            return self.make_session(options["session_for"])
        wrk = shutil.which("wrk")
        if not wrk:
            raise CommandError("wrk is not installed (Debian: apt-get install wrk).")
        if seconds < 1 or workers < 1 or connections < 1:
            raise CommandError("--seconds, --workers and --connections must be positive.")
        vendor = connection.vendor
        # Build the data set, or reuse the one a previous run kept.
        call_command("bench", scale=scale, requests=5, processes=1, keep=True, stdout=StringIO())
        ids = json.loads(bench.ids_path(vendor, scale).read_text())
        with tempfile.TemporaryDirectory() as static_root:
            env = {
                **os.environ,
                "DEBUG": "0",
                "SECRET_KEY": secrets.token_urlsafe(50),
                "ALLOWED_HOSTS": "127.0.0.1",
                "SECURE_SSL_REDIRECT": "0",
                "DATABASE_URL": _database_url(vendor, scale),
                "STATIC_ROOT": static_root,
                "LOG_LEVEL": "WARNING",
            }
            manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
            _run([*manage, "collectstatic", "--noinput", "-v0"], env=env)
            session = _run(
                [*manage, "bench_http", "--session-for", str(ids["recruiter"])],
                env=env,
                capture_output=True,
                text=True,
            ).stdout.strip()
            port = _free_port()
            server = _start(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "hiring_site.wsgi",
                    "--workers",
                    str(workers),
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--log-level",
                    "warning",
                ],
                env=env,
                cwd=settings.BASE_DIR,
            )
            try:
                url = f"http://127.0.0.1:{port}" + reverse(
                    "hiring:panel", args=[ids["application"]]
                )
                self.check_answer(url, session)
                result = _run(
                    [
                        wrk,
                        "--latency",
                        "-t",
                        "2",
                        "-c",
                        str(connections),
                        "-d",
                        f"{seconds}s",
                        "-H",
                        f"Cookie: {settings.SESSION_COOKIE_NAME}={session}",
                        url,
                    ],
                    capture_output=True,
                    text=True,
                ).stdout
                still_ok = self.check_answer(url, session)
            finally:
                server.terminate()
                server.wait(timeout=30)
        report = {
            "database": vendor,
            "data": bench.Sizes(scale).as_dict(),
            "page": "panel",
            "server": f"gunicorn, {workers} workers, DEBUG off",
            "load": f"wrk, 2 threads, {connections} connections, {seconds} s",
            **parse_wrk(result),
        }
        report["errors"] = report["non_2xx_3xx"] + report["socket_errors"] + (not still_ok)
        self.stdout.write(
            f"panel page over HTTP ({report['server']}; {report['load']}; {vendor}):\n"
            f"  {report['requests_per_second']:.1f} requests/s, {report['requests']} requests, "
            f"p50 {report['p50_ms']} ms, p90 {report['p90_ms']} ms, p99 {report['p99_ms']} ms, "
            f"errors {report['errors']}"
        )
        text = json.dumps(report, indent=2)
        self.stdout.write(text)
        if json_path:
            with open(json_path, "w") as fh:
                fh.write(text)
        if report["errors"] or not report["requests"]:
            raise CommandError(f"{report['errors']} requests failed.\n{result}")

    def check_answer(self, url, session) -> bool:
        """The panel answers 200 with the panel on it (not a redirect to the login page)."""
        request = urllib.request.Request(
            url, headers={"Cookie": f"{settings.SESSION_COOKIE_NAME}={session}"}
        )
        for _ in range(100):
            try:
                with urllib.request.urlopen(request, timeout=10) as response:  # nosec B310
                    body = response.read().decode()
                    if response.status != 200 or 'data-testid="recommendation"' not in body:
                        raise CommandError(f"{url} did not answer with the panel.")
                    return True
            except urllib.error.URLError:
                time.sleep(0.2)  # gunicorn is still starting
        raise CommandError(f"gunicorn did not answer on {url}.")

    def make_session(self, user_id):
        """Run in the server's environment: a logged-in session for user `user_id`."""
        client = Client()
        client.force_login(get_user_model().objects.get(pk=user_id))
        self.stdout.write(client.cookies[settings.SESSION_COOKIE_NAME].value)
