"""`python manage.py create_api_token USERNAME [--name NAME]`: a personal API token for a
user, printed once (only its digest is stored; revoke it on their profile page)."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from api.models import NAME_LENGTH, ApiToken


class Command(BaseCommand):
    help = (
        "Create a personal API token for USERNAME and print it, once: only a digest is "
        "stored. Send it as `Authorization: Bearer <token>`; it has the user's access."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--name", default="Created by create_api_token", help="What the token is for."
        )

    def handle(self, *args, username, name, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user is called {username!r}.")
        if not user.is_active:
            raise CommandError(f"{username} is deactivated; a token of theirs would not work.")
        name = name.strip()
        if not name or len(name) > NAME_LENGTH:
            raise CommandError(f"Give the token a name of 1 to {NAME_LENGTH} characters.")
        _, token = ApiToken.issue(user, name)
        self.stdout.write(token)
