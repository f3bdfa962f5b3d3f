"""The built-in roles' source: their files are named by a hash ("003_2d4d…txt"), which
tells a person nothing; revisions imported from them say which blueprint instead, as
roles.services.builtin_source_name names new ones."""

from django.db import migrations

BUILTIN_FILES = {
    "000_07d9d084b1b621e0.txt": "Senior AI Consultant",
    "001_705bb18053cb3e59.txt": "Senior AI Engineer",
    "002_3f2a52a4941b636f.txt": "Lead AI Engineer",
    "003_2d4d99d7bf8c210a.txt": "Senior AI Architect",
    "004_bdda5d6593af0dff.txt": "Senior Applied AI Engineer",
}


def name_builtin_sources(apps, schema_editor):
    RoleRevision = apps.get_model("roles", "RoleRevision")
    for filename, title in BUILTIN_FILES.items():
        RoleRevision.objects.filter(source_name=filename).update(
            source_name=f"Built-in blueprint: {title}"
        )


class Migration(migrations.Migration):
    dependencies = [("roles", "0004_warning_dismissal")]

    operations = [migrations.RunPython(name_builtin_sources, migrations.RunPython.noop)]
