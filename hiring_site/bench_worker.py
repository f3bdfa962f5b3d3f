"""A process `python manage.py bench` times the pages in: started as a WSGI server starts
a worker (hiring_site.wsgi), not as a management command, and given the database the
command prepared.

    python -m hiring_site.bench_worker SCALE REQUESTS OUT.json

How a process starts changes the figures of some pages by a fifth (the same code and
data ran the panel in 4 times the floor's time in a process started like this one, 5
times in one started as a command), so the pages are timed in the kind of process that
serves them.
"""

import os
import sys


def main(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hiring_site.settings")
    from django.core.wsgi import get_wsgi_application

    get_wsgi_application()
    from django.db import connection

    from hiring_site.management.commands.bench import Command

    scale, requests, out = float(argv[0]), int(argv[1]), argv[2]
    Command().work(connection.vendor, scale, requests, out)


if __name__ == "__main__":
    main(sys.argv[1:])
