"""`python manage.py clear_import_previews`: delete the import previews that expired
(roles.models.PREVIEW_LIFETIME), confirmed or not. Meant for cron, say daily; each new
preview clears the expired ones too, so this only matters when nobody imports."""

from django.core.management.base import BaseCommand

from roles.models import ImportPreview


class Command(BaseCommand):
    help = "Delete the import previews that expired, confirmed or not. Meant for cron."

    def handle(self, *args, **options):
        count = ImportPreview.objects.clear_expired()
        self.stdout.write(f"Deleted {count} expired import preview{'' if count == 1 else 's'}.")
