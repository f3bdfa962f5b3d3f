"""`python manage.py demo`: one command from a fresh clone to a running app with data.

Migrates, creates one demo user per group (printing their logins), loads the demo
data, then serves the app. Running it again updates in place and duplicates nothing.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from hiring_site.access import ADMINISTRATOR, HIRING_MANAGER, INTERVIEWER, RECRUITER
from hiring_site.demo_data import create_demo_data
from roles.services import import_builtin_roles
from scorecards.pipeline import refresh_headlines

DEFAULT_ADDRPORT = "127.0.0.1:8000"

# username, password, first name, last name, group, staff
DEMO_USERS = (
    ("recruiter", "recruiter-demo", "Rita", "Recruiter", RECRUITER, True),
    ("manager", "manager-demo", "Hank", "Manager", HIRING_MANAGER, False),
    ("interviewer1", "interviewer1-demo", "Ivy", "Interviewer", INTERVIEWER, False),
    ("interviewer2", "interviewer2-demo", "Ian", "Interviewer", INTERVIEWER, False),
    # Manages people (the People pages), and nothing else.
    ("admin", "admin-demo", "Ada", "Admin", ADMINISTRATOR, False),
)


def ensure_demo_users():
    """Create or reset the demo users; returns them by username."""
    User = get_user_model()
    users = {}
    for username, password, first, last, group_name, staff in DEMO_USERS:
        user, _ = User.objects.get_or_create(username=username)
        user.first_name, user.last_name = first, last
        user.email = f"{username}@example.com"
        user.is_staff = staff
        user.is_active = True
        user.set_password(password)
        user.save()
        user.groups.add(Group.objects.get(name=group_name))
        users[username] = user
    return users


class Command(BaseCommand):
    help = "Set up the database with demo users and data, then serve the app."

    def add_arguments(self, parser):
        parser.add_argument(
            "--addrport",
            default=DEFAULT_ADDRPORT,
            help=f"Where to serve (default {DEFAULT_ADDRPORT}).",
        )
        parser.add_argument(
            "--no-serve", action="store_true", help="Set up the demo data and exit."
        )

    def handle(self, *args, addrport, no_serve, **options):
        self.stdout.write("Migrating the database...")
        call_command("migrate", interactive=False, verbosity=0)
        with transaction.atomic():
            users = ensure_demo_users()
            self.load_demo_data(users)
        self.print_logins()
        if no_serve:
            # Nothing serves it: no address to open, but the way to start it.
            self.stdout.write(
                "Not serving (--no-serve). Start the app with: python manage.py runserver"
                + ("" if addrport == DEFAULT_ADDRPORT else f" {addrport}")
            )
            return
        self.stdout.write(f"App: http://{addrport}/")
        call_command("runserver", addrport, use_reloader=False, use_threading=True)

    def load_demo_data(self, users):
        """The five built-in roles, published, then candidates with cards in every state."""
        results = import_builtin_roles(user=users["recruiter"], publish=True)
        for result in results:
            if result.publish_error:
                self.stderr.write(f"{result.revision.role.title}: {result.publish_error}")
        created = sum(result.created for result in results)
        self.stdout.write(f"Built-in roles: {len(results)} ({created} new).")
        create_demo_data(users)
        # As `migrate` does on a deploy: every application's pipeline headline stored.
        refresh_headlines()

    def print_logins(self):
        self.stdout.write(self.style.SUCCESS("Demo data is ready. Log in with:"))
        for username, password, _first, _last, group_name, _staff in DEMO_USERS:
            self.stdout.write(f"  {group_name:<15} username {username:<13} password {password}")
