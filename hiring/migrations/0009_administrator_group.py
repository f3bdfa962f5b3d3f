"""Create the Administrator group (hiring/groups.py), who manage people and integrations."""

from django.db import migrations

from hiring.groups import sync_groups


def create_groups(apps, schema_editor):
    sync_groups(apps)


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Administrator").delete()


class Migration(migrations.Migration):
    dependencies = [("hiring", "0008_performance_review")]

    operations = [migrations.RunPython(create_groups, remove_group)]
