"""Create the three groups of the design with their model permissions (hiring/groups.py)."""

from django.db import migrations

from hiring.groups import PERMISSIONS, sync_groups


def create_groups(apps, schema_editor):
    sync_groups(apps)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=PERMISSIONS.keys()).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("hiring", "0001_initial"),
        ("roles", "0001_initial"),
        ("scorecards", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
