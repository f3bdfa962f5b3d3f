"""A real HTTP receiver for the webhook tests: http.server in a thread on 127.0.0.1, on a
free port, stopped at the end of each test. It checks each request's signature the way
the README tells receivers to (`verify` below is that snippet)."""

import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests import factories
from webhooks.models import EVENT_TYPES, Endpoint


# --- the README's receiver check, word for word ------------------------------------------
def verify(secret: str, header: str, body: bytes, tolerance: int = 300) -> bool:
    """True if `header` (X-Scorecards-Signature) signs `body` with `secret`, made less
    than `tolerance` seconds ago."""
    try:
        parts = dict(item.split("=", 1) for item in header.split(","))
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    signed = f"{timestamp}.".encode() + body
    expected = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    fresh = abs(time.time() - timestamp) <= tolerance
    return fresh and hmac.compare_digest(expected, parts.get("v1", ""))


# -------------------------------------------------------------------------------------------


class Receiver:
    """Records every POST it gets (headers, raw body, parsed JSON) and answers with the
    next of `answers` (a status code; the last one repeats), after `delay` seconds."""

    def __init__(self, port: int = 0):
        self.received: list[dict] = []
        self.answers = [200]
        self.delay = 0.0
        self._lock = threading.Lock()
        self.port = port
        self.server = None
        self.thread = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks"

    def start(self):
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if receiver.delay:
                    time.sleep(receiver.delay)
                with receiver._lock:
                    receiver.received.append(
                        {"headers": dict(self.headers), "body": body, "json": json.loads(body)}
                    )
                    answer = receiver.answers[
                        min(len(receiver.received), len(receiver.answers)) - 1
                    ]
                self.send_response(answer)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def stop(self):
        """Down: the port refuses connections until start() again."""
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.thread.join(5)
            self.server = None

    def types(self) -> list[str]:
        return [r["json"]["type"] for r in self.received]

    def ids(self) -> list[str]:
        return [r["json"]["id"] for r in self.received]


@pytest.fixture
def receiver():
    server = Receiver().start()
    yield server
    server.stop()


@pytest.fixture
def endpoint(db, receiver):
    """An active endpoint on the receiver, taking every event."""
    return Endpoint.objects.create(
        url=receiver.url, events=list(EVENT_TYPES), created_by=factories.UserFactory()
    )


@pytest.fixture
def administrator(db):
    from django.contrib.auth.models import Group

    from hiring_site.access import ADMINISTRATOR

    user = factories.UserFactory(username="ada-admin")
    user.groups.add(Group.objects.get(name=ADMINISTRATOR))
    return user


@pytest.fixture
def admin_user_client(client, administrator):
    client.force_login(administrator)
    return client
