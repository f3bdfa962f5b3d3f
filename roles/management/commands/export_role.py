"""`python manage.py export_role SLUG [--revision N]`: a role revision as JSON on stdout.

The output imports back as an identical revision with `import_blueprint FILE` (it starts
with "{", so it is read as JSON) or the Import page.
"""

import sys

from django.core.management.base import BaseCommand

from roles import services
from roles.models import Role


class Command(BaseCommand):
    help = (
        "Print a role as JSON: its published revision, or its newest one when none is "
        "published, or the revision given with --revision. import_blueprint reads it back."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", metavar="SLUG", help="The role's slug, e.g. lead-ai-engineer.")
        parser.add_argument("--revision", type=int, metavar="N", help="Revision number.")

    def handle(self, *args, slug, revision, **options):
        role = Role.objects.filter(slug=slug).first()
        if role is None:
            self.stderr.write(f"Error: there is no role with slug {slug!r}.")
            sys.exit(1)
        if revision is None:
            found = services.default_export_revision(role)
        else:
            found = role.revisions.filter(number=revision).first()
        if found is None:
            which = f"revision {revision}" if revision is not None else "any revision"
            self.stderr.write(f"Error: role {slug!r} has no {which}.")
            sys.exit(1)
        self.stdout.write(services.export_json(found))
