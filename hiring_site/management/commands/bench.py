"""`python manage.py bench`: build a large data set in a separate database and time
the main pages through the full Django stack against two baselines.

Prints a table and a JSON document: p50, p95, SQL queries per request, and each
page's p50 as a ratio of the trivial view's and of the floor page's p50, those timed
alternately with the page's own requests.

The pages are timed as a server's worker runs them: in fresh processes started as a
WSGI server starts one (hiring_site.bench_worker; `--processes`, one after another), not
in the command's own, which built or checked the data. Each figure is the median of the
processes' (each process's own figures are kept in the JSON, under "runs"): a page's
time moves by a tenth from one process to the next.
"""

import gc
import json
import os
import statistics
import subprocess  # nosec B404
import sys
import tempfile
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import NoReverseMatch, reverse

from hiring.models import Application, panel_changed
from hiring_site import bench
from roles.blueprint import parse_blueprint
from scorecards.pipeline import refresh_headlines

CHANGED = "one changed"
# A label ending so asks for the pipeline sorted by score: every application of the
# role is scored, not only the page shown.
BY_SCORE = "by score"
# (label, url name, args from the ids, who asks)
PAGES = [
    ("role list", "roles:list", lambda ids: [], "recruiter"),
    ("role page", "roles:detail", lambda ids: [ids["role"]], "recruiter"),
    ("candidates list", "hiring:candidates", lambda ids: [], "recruiter"),
    ("my interviews", "hiring:my_interviews", lambda ids: [], "interviewer"),
    ("my applications", "hiring:my_applications", lambda ids: [], "manager"),
    (
        "application page",
        "hiring:application_detail",
        lambda ids: [ids["application"]],
        "recruiter",
    ),
    ("scorecard page", "scorecards:fill", lambda ids: [ids["interview"]], "interviewer"),
    ("panel", "hiring:panel", lambda ids: [ids["application"]], "recruiter"),
    ("panel JSON", "hiring:panel_json", lambda ids: [ids["application"]], "recruiter"),
    ("pipeline of a role", "hiring:pipeline", lambda ids: [ids["role"]], "recruiter"),
    (f"pipeline {BY_SCORE}", "hiring:pipeline", lambda ids: [ids["role"]], "recruiter"),
    ("CSV export of a role", "hiring:export", lambda ids: [ids["role"]], "recruiter"),
    # The panel and its JSON keep what they compute from an application's cards in the
    # results cache (hiring.results_cache) under its panel_version; the pipeline and the
    # CSV read each application's headline stored beside it (scorecards.models.Headline,
    # which `migrate` brings up to date). These rows time them with the cache emptied
    # before each request: the first view after a deploy.
    ("panel, cache empty", "hiring:panel", lambda ids: [ids["application"]], "recruiter"),
    ("panel JSON, cache empty", "hiring:panel_json", lambda ids: [ids["application"]], "recruiter"),
    (
        f"pipeline {BY_SCORE}, cache empty",
        "hiring:pipeline",
        lambda ids: [ids["role"]],
        "recruiter",
    ),
    ("CSV export, cache empty", "hiring:export", lambda ids: [ids["role"]], "recruiter"),
    # The first view after a change: one application's panel_version moved on before
    # each request (a card submitted), the others' results still in the cache or stored.
    (f"panel, {CHANGED}", "hiring:panel", lambda ids: [ids["application"]], "recruiter"),
    (f"pipeline {BY_SCORE}, {CHANGED}", "hiring:pipeline", lambda ids: [ids["role"]], "recruiter"),
    (f"CSV export, {CHANGED}", "hiring:export", lambda ids: [ids["role"]], "recruiter"),
]
COLD = "cache empty"
BASELINES = [
    ("baseline: trivial view", "bench_trivial", lambda ids: [], None),
    ("baseline: floor page", "bench_floor", lambda ids: [], "recruiter"),
]


def _first_of(ids) -> int:
    """An application of the bench's role (the pipeline's and the CSV's)."""
    return Application.objects.filter(revision__role__slug=ids["role"]).order_by("pk").first().pk


def median_rows(runs: list[list[dict]]) -> list[dict]:
    """The rows of several runs as one: each timing and ratio the median of the runs'
    (the queries are the same in each)."""
    merged = []
    for rows in zip(*runs, strict=True):
        row = dict(rows[0])
        if not row.get("missing"):
            for key in ("p50_ms", "p95_ms", "x_trivial", "x_floor", "floor_p50_ms"):
                if key in row:
                    row[key] = round(statistics.median(r[key] for r in rows), 2)
            row["queries"] = max(r["queries"] for r in rows)
        merged.append(row)
    return merged


def percentile(values, fraction):
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


class Command(BaseCommand):
    help = "Benchmark the main pages on a large data set in a separate database."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="1.0 = 50 roles, 10,000 candidates and applications, "
            "70,000 interviews (default); CI uses less.",
        )
        parser.add_argument("--requests", type=int, default=40, help="Timed requests per page.")
        parser.add_argument("--json", dest="json_path", help="Also write the JSON here.")
        parser.add_argument(
            "--keep",
            action="store_true",
            help="Keep the bench database to reuse the data next time.",
        )
        parser.add_argument(
            "--processes",
            type=int,
            default=3,
            help="Fresh processes the pages are timed in, one after another (default 3).",
        )

    def handle(self, *args, scale, requests, json_path, keep, processes, **options):
        if scale <= 0 or requests < 5 or processes < 1:
            raise CommandError(
                "--scale must be positive, --requests at least 5 and --processes at least 1."
            )
        vendor = connection.vendor
        db = settings.DATABASES["default"]
        db.setdefault("TEST", {})
        db["TEST"]["NAME"] = bench.database_name(vendor, scale)
        sizes = bench.Sizes(scale)
        old_name = connection.creation.create_test_db(
            verbosity=0, autoclobber=True, keepdb=keep, serialize=False
        )
        try:
            build_seconds = self.prepare(sizes, vendor)
            connection.close()  # the workers have the database to themselves
            runs = [self.spawn(scale, requests, n) for n in range(processes)]
        finally:
            if not keep:
                connection.creation.destroy_test_db(old_name, verbosity=0)
        report = {
            "database": vendor,
            "data": runs[0]["data"],
            "build_seconds": build_seconds,
            "requests_per_page": requests,
            "processes": processes,
            "pages": median_rows([run["pages"] for run in runs]),
            "parser_ms_per_file": self.time_parser(),
            "runs": [run["pages"] for run in runs],
        }
        self.print_table(report)
        text = json.dumps(report, indent=2)
        self.stdout.write(text)
        if json_path:
            with open(json_path, "w") as fh:
                fh.write(text)

    def prepare(self, sizes, vendor) -> float:
        """Build the data set, or reuse the one kept, and bring it to the state a live
        database is in; the seconds it took."""
        t0 = time.perf_counter()
        ids_file = bench.ids_path(vendor, sizes.scale)
        ids = json.loads(ids_file.read_text()) if ids_file.exists() else None
        if not bench.reusable(sizes, ids):
            if bench.counts()["roles"]:
                # A kept data set of another size, or another checkout's: start afresh.
                self.stderr.write("emptying the bench database (another data set was kept)")
                call_command("flush", interactive=False, verbosity=0)
            ids = bench.build(sizes, log=lambda m: self.stderr.write(f"building {m}"))
            ids_file.write_text(json.dumps(ids))
        # What `migrate` does on a deploy (the bulk load above bypasses it): every
        # application's pipeline headline stored.
        refresh_headlines()
        if vendor == "postgresql":
            # A bulk load leaves PostgreSQL without statistics, and the counts and headlines
            # written after it leave dead rows, until autovacuum gets to them; a live
            # database has both done, and its planner needs them (with dead rows at an
            # index's end, planning a page's query took 10-20 ms at --scale 10).
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        return round(time.perf_counter() - t0, 1)

    def spawn(self, scale, requests, n) -> dict:
        """Time the pages in a fresh process (hiring_site.bench_worker): what it found."""
        self.stderr.write(f"timing the pages in process {n + 1}")
        with tempfile.TemporaryDirectory() as folder:
            out = os.path.join(folder, "run.json")
            # Our own interpreter with arguments built here. The app imported, as a WSGI
            # server imports it, rather than run with -m (runpy): started that way, the
            # same process ran the panel a quarter slower.
            start = "import sys; from hiring_site.bench_worker import main; main(sys.argv[1:])"
            command = [sys.executable, "-c", start, str(scale), str(requests), out]
            subprocess.run(  # nosec B603
                command, cwd=settings.BASE_DIR, check=True, stdout=subprocess.DEVNULL
            )
            with open(out) as fh:
                return json.load(fh)

    def work(self, vendor, scale, requests, json_path) -> None:
        """A worker: time the pages in the bench database as it is, and write the rows."""
        name = bench.database_name(vendor, scale)
        settings.DATABASES["default"]["NAME"] = name
        connection.close()
        connection.settings_dict["NAME"] = name
        ids = json.loads(bench.ids_path(vendor, scale).read_text())
        pages = self.time_pages(ids, requests)
        with open(json_path, "w") as fh:
            json.dump({"data": bench.counts(), "pages": pages}, fh)

    def time_pages(self, ids, requests) -> list[dict]:
        # Timed as a server runs: without the query log DEBUG keeps, and after a collection
        # of what starting up left behind.
        reset_queries()
        gc.collect()
        User = get_user_model()
        clients = {}
        for who in ("recruiter", "interviewer", "manager"):
            client = Client()
            client.force_login(User.objects.get(pk=ids[who]))
            clients[who] = client
        clients[None] = Client()

        results = []
        with override_settings(ROOT_URLCONF="hiring_site.bench", DEBUG=False, ALLOWED_HOSTS=["*"]):
            baselines = [
                (reverse(name, args=args(ids)), clients[who]) for _, name, args, who in BASELINES
            ]
            for label, name, args, who in BASELINES + PAGES:
                try:
                    url = reverse(name, args=args(ids))
                except NoReverseMatch:
                    results.append({"page": label, "missing": True})
                    continue
                if BY_SCORE in label:
                    url += "?sort=-score"
                paired = None if (label, name, args, who) in BASELINES else baselines
                changed = None
                if CHANGED in label:  # the panel's application, or one of the role's
                    changed = ids["application"] if name == "hiring:panel" else _first_of(ids)
                results.append(
                    self.measure(label, url, clients[who], requests, paired, changed=changed)
                )
        for row in results[:2]:  # the baselines, against those measured on their own
            row["x_trivial"] = round(row["p50_ms"] / results[0]["p50_ms"], 2)
            row["x_floor"] = round(row["p50_ms"] / results[1]["p50_ms"], 2)
        return results

    def time_parser(self) -> dict[str, float]:
        parser_ms = {}
        for path in sorted(bench.BLUEPRINTS.glob("*.txt")):
            data = path.read_bytes()
            times = []
            for _ in range(10):
                t = time.perf_counter()
                parse_blueprint(data, path.name)
                times.append((time.perf_counter() - t) * 1000)
            parser_ms[path.name] = round(statistics.median(times), 2)
        return parser_ms

    def measure(self, label, url, client, requests, baselines=None, changed=None):
        """p50 and p95 of `requests` timed requests of `url`, and its query count. With
        `baselines` ((url, client) of the trivial view and of the floor page), each
        request of the page follows one of each, and the page's ratios are to those:
        a machine that slows down or speeds up during the run moves both alike."""
        for _ in range(3):
            response = client.get(url)
        if response.status_code != 200:
            return {"page": label, "url": url, "missing": True, "status": response.status_code}

        def prepare():
            # What the row times: the first view after a deploy, or after a change.
            if COLD in label:
                cache.clear()
            if changed:
                panel_changed([changed])

        timings = []
        paired = [[] for _ in baselines or ()]
        for _ in range(requests):
            for times, (baseline_url, baseline_client) in zip(paired, baselines or (), strict=True):
                t = time.perf_counter()
                baseline_client.get(baseline_url)
                times.append((time.perf_counter() - t) * 1000)
            prepare()
            t = time.perf_counter()
            client.get(url)
            timings.append((time.perf_counter() - t) * 1000)
        # Counted on one more request, not timed: capturing queries costs what no
        # production request pays (on SQLite Django even runs a query per query to quote
        # its parameters for the log), more so the more queries a page makes.
        prepare()
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        row = {
            "page": label,
            "url": url,
            "p50_ms": round(statistics.median(timings), 2),
            "p95_ms": round(percentile(timings, 0.95), 2),
            "queries": len(queries.captured_queries),
        }
        if baselines:
            trivial, floor = (statistics.median(times) for times in paired)
            row["x_trivial"] = round(row["p50_ms"] / trivial, 2)
            row["x_floor"] = round(row["p50_ms"] / floor, 2)
            row["floor_p50_ms"] = round(floor, 2)
        return row

    def print_table(self, report):
        self.stdout.write(f"database {report['database']}, data {report['data']}")
        header = (
            f"{'page':<32}{'p50 ms':>9}{'p95 ms':>9}{'queries':>9}{'x trivial':>11}{'x floor':>9}"
        )
        self.stdout.write(header)
        for row in report["pages"]:
            if row.get("missing"):
                why = f"answered {row['status']}" if "status" in row else "no such page yet"
                self.stdout.write(f"{row['page']:<32}  ({why})")
                continue
            self.stdout.write(
                f"{row['page']:<32}{row['p50_ms']:>9.2f}{row['p95_ms']:>9.2f}"
                f"{row['queries']:>9}{row['x_trivial']:>11.2f}{row['x_floor']:>9.2f}"
            )
        for name, ms in report["parser_ms_per_file"].items():
            self.stdout.write(f"parser {name}: {ms} ms")
