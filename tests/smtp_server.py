"""A real SMTP server in a process of its own, for the email tests: aiosmtpd's command
line on 127.0.0.1 at a free port, storing what it accepts in a Maildir
(`aiosmtpd.handlers.Mailbox`), or refusing every recipient (`Refuse`, 550). Started and
stopped by the tests; never left running."""

import mailbox
import socket
import subprocess
import sys
import time
from email import message_from_bytes, policy
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class Refuse:
    """An aiosmtpd handler that refuses every recipient, as a server does for an unknown
    or blocked address."""

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        return "550 5.1.1 Mailbox unavailable"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SmtpServer:
    """`start()` serves at `port` (accepting into `maildir`, or with refuse=True refusing);
    `stop()` ends the process; `messages()` reads what was accepted."""

    def __init__(self, maildir: Path, port: int | None = None):
        self.port = port or free_port()
        self.maildir = maildir
        self.process: subprocess.Popen | None = None

    def start(self, *, refuse: bool = False) -> "SmtpServer":
        handler = (
            ["-c", "tests.smtp_server.Refuse"]
            if refuse
            else ["-c", "aiosmtpd.handlers.Mailbox", str(self.maildir)]
        )
        self.process = subprocess.Popen(
            [sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{self.port}", *handler],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("the SMTP server did not start")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                    if sock.recv(3) == b"220":
                        return self
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError("the SMTP server did not answer")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def messages(self) -> list:
        """What the server accepted, as email messages, oldest first."""
        if not self.maildir.exists():
            return []
        box = mailbox.Maildir(self.maildir, create=False)
        return [
            message_from_bytes(box.get_bytes(key), policy=policy.default)
            for key in sorted(box.keys(), key=_arrival)
        ]


def _arrival(key: str) -> tuple[int, int, int]:
    # Python's Maildir names a message "<seconds>.M<microseconds>P<pid>Q<counter>.<host>".
    seconds, rest = key.split(".", 1)
    micro = rest.split("P", 1)[0].lstrip("M")
    counter = rest.split("Q", 1)[1].split(".", 1)[0] if "Q" in rest else "0"
    return int(seconds), int(micro or 0), int(counter or 0)
