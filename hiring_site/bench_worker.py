"""A process `python manage.py bench` times the pages in: the app imported and set up as
a WSGI server's worker does it (hiring_site.wsgi), not as a management command, and
given the database the command prepared.

    python -c "import sys; from hiring_site.bench_worker import main; main(sys.argv[1:])" \
        SCALE REQUESTS OUT.json

How a process starts changes the figures of some pages by a fifth or more: the same
code and data ran the panel in 4 times the floor's time in a process started like this,
in 5 to 5.7 times in one started as a management command or with `python -m`. So the
pages are timed in the kind of process that serves them.
"""

import os


def main(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hiring_site.settings")
    from django.core.wsgi import get_wsgi_application

    get_wsgi_application()
    from django.db import connection

    from hiring_site.management.commands.bench import Command

    scale, requests, out = float(argv[0]), int(argv[1]), argv[2]
    Command().work(connection.vendor, scale, requests, out)
