"""Two writers at once, each on its own database connection, for the race tests.

`run_concurrently` starts one thread per writer (together, at a barrier, or one after
the other) and returns what each got. A `CriticalSection` patched onto a function that
a write calls after its locked read forces the dangerous interleaving: the first writer
to get there stops, still holding its locks, until the other one is either seen by
PostgreSQL waiting for a lock (the locking works: it will read the first one's result
once that commits) or gets there too (both read the same state: a lost update in the
making, which the tests then assert never happens).

The locking itself is real: nothing here serialises the writers but the database.
"""

import threading
import time
from dataclasses import dataclass
from unittest import mock

import pytest
from django.conf import settings
from django.db import connection

ON_SQLITE = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"

# SQLite has no row locks (and its shared in-memory test database refuses a second
# writer instead of queueing it), so the concurrent tests need PostgreSQL.
needs_row_locks = pytest.mark.skipif(
    ON_SQLITE, reason="row-level locking is tested on PostgreSQL; CI runs the suite there too"
)

TIMEOUT = 20  # seconds; only reached when something is wrong


def lock_waiters() -> int:
    """Sessions on this test database that are waiting for a lock (here: a row lock)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


@dataclass
class Outcome:
    """What one writer got: its return value, or the exception it raised."""

    name: str
    value: object = None
    error: BaseException | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


class CriticalSection:
    """Patches `owner.attribute` (a function a write calls inside its transaction, after
    the read it decides on) with a pause for the first racing thread that gets there.

    After the race, `other_waited` says the second writer was seen waiting for a database
    lock while the first was inside; `both_inside` says both got inside together.
    """

    def __init__(self, owner, attribute: str):
        self.owner, self.attribute = owner, attribute
        self.inside: list[str] = []  # names of the writers that got inside, in order
        self.other_waited = False
        self.both_inside = False
        self.first_in = threading.Event()
        self.release = threading.Event()
        self._lock = threading.Lock()
        self._racers: set[str] = set()
        self._patch = None

    def __enter__(self):
        original = getattr(self.owner, self.attribute)
        section = self

        def wrapper(*args, **kwargs):
            section._arrive()
            return original(*args, **kwargs)

        self._patch = mock.patch.object(self.owner, self.attribute, wrapper)
        self._patch.start()
        return self

    def __exit__(self, *exc_info):
        self.release.set()
        self._patch.stop()

    def _arrive(self):
        name = threading.current_thread().name
        with self._lock:
            if name not in self._racers or name in self.inside:
                return  # not a racing writer, or its second call: pass through
            self.inside.append(name)
            first = len(self.inside) == 1
        if first:
            self.first_in.set()
            if not self.release.wait(TIMEOUT):
                raise AssertionError("held in the critical section for too long")

    def hold_first_writer(self, threads: list[threading.Thread]) -> None:
        """Main thread: keep the first writer inside until the other is seen waiting for
        a lock or gets inside too (or has finished without either), then let it go."""
        deadline = time.monotonic() + TIMEOUT
        try:
            while not self.first_in.is_set():
                if time.monotonic() > deadline or not any(t.is_alive() for t in threads):
                    return  # nobody got inside: nothing to hold
                time.sleep(0.005)
            while time.monotonic() < deadline:
                if len(self.inside) > 1:
                    self.both_inside = True
                    return
                if lock_waiters():
                    self.other_waited = True
                    return
                first = self.inside[0]
                if not any(t.is_alive() for t in threads if t.name != first):
                    return  # the other one finished without waiting or getting inside
                time.sleep(0.005)
        finally:
            self.release.set()


def run_concurrently(*writers, section: CriticalSection | None = None, in_order=False):
    """Run each writer (a function without arguments) in its own thread, on its own
    database connection, closed when it ends. By default they start together at a
    barrier; with `in_order` the first one is started alone and the next only once the
    first is inside `section`, so the first always gets there first.
    Returns one Outcome per writer, in the order given."""
    outcomes = [Outcome(f"writer-{n}") for n in range(len(writers))]
    barrier = threading.Barrier(len(writers))

    def body(outcome, writer):
        try:
            if not in_order:
                barrier.wait(TIMEOUT)
            outcome.value = writer()
        except BaseException as exc:  # noqa: BLE001 - reported to the test
            outcome.error = exc
        finally:
            connection.close()

    threads = [
        threading.Thread(target=body, args=(outcome, writer), name=outcome.name, daemon=True)
        for outcome, writer in zip(outcomes, writers, strict=True)
    ]
    if section is not None:
        section._racers = {t.name for t in threads}
    try:
        if in_order:
            assert section is not None, "in_order needs a critical section to order by"
            threads[0].start()
            deadline = time.monotonic() + TIMEOUT
            while not section.first_in.wait(0.01):
                assert threads[0].is_alive(), f"the first writer ended early: {outcomes[0]}"
                assert time.monotonic() < deadline, "the first writer never got inside"
            for thread in threads[1:]:
                thread.start()
        else:
            for thread in threads:
                thread.start()
        if section is not None:
            section.hold_first_writer(threads)
    finally:
        if section is not None:
            section.release.set()
        for thread in threads:
            thread.join(2 * TIMEOUT)
    assert not any(t.is_alive() for t in threads), "a writer is stuck"
    return outcomes


def one_winner(outcomes: list[Outcome]) -> tuple[Outcome, Outcome]:
    """(winner, loser) of a two-writer race; fails unless exactly one succeeded."""
    winners = [o for o in outcomes if o.ok]
    assert len(winners) == 1, outcomes
    loser = next(o for o in outcomes if not o.ok)
    return winners[0], loser
