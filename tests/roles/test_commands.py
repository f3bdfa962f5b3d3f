"""The import_blueprint and export_role management commands."""

import json
import subprocess
import sys
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from roles.models import Role, RoleRevision
from roles.services import clone_revision
from tests.roles.conftest import (
    BLUEPRINTS,
    F002,
    F003,
    FILES,
    README_DIMENSIONS,
    README_TITLES,
    import_reviewed,
)

pytestmark = pytest.mark.django_db
PROJECT = Path(__file__).resolve().parents[2]


def run(*args):
    """call_command with captured output; returns (exit code, stdout, stderr)."""
    out, err = StringIO(), StringIO()
    try:
        call_command(*args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue(), err.getvalue()


def _readme(data):
    return [(d["name"], f"{Decimal(d['weight']).normalize():f}") for d in data["dimensions"]]


SHARED = PROJECT.parent / "shared" / "blueprints"


@pytest.mark.parametrize(
    "folder",
    [
        BLUEPRINTS,
        pytest.param(
            SHARED,
            marks=pytest.mark.skipif(not SHARED.is_dir(), reason="no ../shared/blueprints here"),
        ),
    ],
)
def test_dry_run_json_of_the_real_blueprints_prints_the_readme_dimensions(folder):
    # The exact command of the issue, in a real process: stdout must be JSON and nothing else.
    paths = [str(folder / name) for name in FILES]
    proc = subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "manage.py", "import_blueprint", *paths, "--dry-run", "--format", "json"],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert [item["title"] for item in data] == [README_TITLES[name] for name in FILES]
    for item, name in zip(data, FILES, strict=True):
        assert _readme(item) == README_DIMENSIONS[name]
        assert set(item) >= {
            "file",
            "title",
            "slug",
            "dimensions",
            "competency_areas",
            "exercises",
            "signals",
            "warnings",
        }
        assert set(item["signals"]) == {"strong", "weak", "red_flag"}
    assert "Traceback" not in proc.stderr


def test_a_broken_file_exits_1_with_one_line_and_no_traceback(tmp_path):
    broken = tmp_path / "notes.txt"
    broken.write_text("Meeting notes\nNothing about hiring here.\n")
    proc = subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "manage.py", "import_blueprint", str(broken), "--dry-run"],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 1
    assert proc.stderr.strip().splitlines() == [
        'Error: notes.txt has no section 19 "Hiring Evaluation Criteria", so it is not a role '
        "blueprint."
    ]
    assert proc.stdout == ""


def test_dry_run_changes_nothing():
    code, out, err = run("import_blueprint", str(BLUEPRINTS / F002), "--dry-run")
    assert code == 0, err
    assert "Lead AI Engineer (lead-ai-engineer) would import: 8 dimensions" in out
    assert not Role.objects.exists()


def test_json_output_stays_pure_when_some_files_are_bad(tmp_path):
    image = tmp_path / "photo.txt"
    image.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    archive = tmp_path / "role.zip"
    archive.write_bytes(b"PK\x03\x04" + b"\x00" * 64)
    huge = tmp_path / "huge.txt"
    huge.write_bytes(b"x" * (2 * 1024 * 1024 + 1))
    files = [image, empty, archive, huge, tmp_path / "missing.txt", tmp_path]
    code, out, err = run(
        "import_blueprint", *map(str, files), str(BLUEPRINTS / F002), "--format", "json"
    )
    assert code == 1
    data = json.loads(out)
    assert [item["title"] for item in data] == ["Lead AI Engineer"]
    lines = [line for line in err.splitlines() if line.startswith("Error:")]
    assert lines == [
        "Error: photo.txt is a PNG image, not a text blueprint.",
        "Error: empty.txt is empty.",
        "Error: role.zip is a ZIP archive (e.g. a .docx); save it as plain text, not a text "
        "blueprint.",
        "Error: huge.txt is 2.0 MB, over the 2 MB limit for a blueprint.",
        f"Error: {tmp_path / 'missing.txt'} does not exist.",
        f"Error: {tmp_path} is a folder, not a file.",
    ]
    # The good file was imported all the same.
    assert RoleRevision.objects.get().role.slug == "lead-ai-engineer"


def test_import_twice_creates_nothing_new_and_says_so():
    code, out, _ = run("import_blueprint", *[str(BLUEPRINTS / n) for n in FILES])
    assert code == 0
    assert out.count("imported as revision 1") == 5
    code, out, _ = run("import_blueprint", *[str(BLUEPRINTS / n) for n in FILES])
    assert code == 0
    assert out.count("already imported as revision 1; nothing new") == 5
    assert RoleRevision.objects.count() == 5
    assert RoleRevision.objects.drafts().count() == 5


def test_publish_option_publishes_each_imported_revision(tmp_path):
    run("import_blueprint", str(BLUEPRINTS / F003))
    _, exported, _ = run("export_role", "senior-ai-architect")
    data = json.loads(exported)
    data["warnings"] = []  # an export of a revision whose warnings were all seen to
    data["dimensions"][0]["meets_bar"] += " (checked)"
    path = tmp_path / "architect.json"
    path.write_text(json.dumps(data))
    code, out, err = run("import_blueprint", str(path), "--publish")
    assert code == 0, err
    assert "[Published]" in out
    assert RoleRevision.objects.get(number=2).status == RoleRevision.Status.PUBLISHED


def test_publish_option_refuses_open_warnings_and_says_how():
    code, out, err = run("import_blueprint", str(BLUEPRINTS / F003), "--publish")
    assert code == 1
    assert "Error: 003_2d4d99d7bf8c210a.txt: not published. Revision 1 cannot be published" in err
    assert "10 import warnings are still open" in err  # 5 of the table and loop, 5 anchors
    assert "Open the role page, /roles/senior-ai-architect/, and publish there" in err
    assert "a reason for each warning" in err
    revision = RoleRevision.objects.get()
    assert revision.is_draft
    assert revision.warning_dismissals.count() == 0


def test_publish_option_reports_a_refusal_and_exits_1(tmp_path):
    code, out, _ = run("import_blueprint", str(BLUEPRINTS / F002))
    code, exported, _ = run("export_role", "lead-ai-engineer")
    data = json.loads(exported)
    data["dimensions"][0]["weight"] = "1"
    path = tmp_path / "lead.json"
    path.write_text(json.dumps(data))
    code, out, err = run("import_blueprint", str(path), "--publish")
    assert code == 1
    assert "Error: lead.json: not published. Revision 2 cannot be published yet." in err
    assert "weights total 81, not 100" in err
    assert RoleRevision.objects.get(number=2).is_draft


def test_export_role_output_imports_back_as_an_identical_revision(tmp_path):
    import_reviewed(F002, publish=True)
    code, exported, err = run("export_role", "lead-ai-engineer")
    assert code == 0, err
    path = tmp_path / "lead.json"
    path.write_text(exported)
    code, out, err = run("import_blueprint", str(path))
    assert code == 0, err
    assert "imported as revision 2" in out
    _, again, _ = run("export_role", "lead-ai-engineer", "--revision", "2")
    first, second = json.loads(exported), json.loads(again)
    assert first.pop("revision")["number"] == 1
    assert second.pop("revision")["number"] == 2
    assert first == second
    # And the same export again is recognised by its content.
    code, out, _ = run("import_blueprint", str(path))
    assert "already imported as revision 2" in out
    assert RoleRevision.objects.count() == 2


def test_export_role_prefers_the_published_revision():
    import_reviewed(F002, publish=True)
    clone_revision(Role.objects.get().revisions.get(), None)
    _, out, _ = run("export_role", "lead-ai-engineer")
    assert json.loads(out)["revision"] == {
        "number": 1,
        "status": "published",
        "source_name": F002,
    }


def test_json_flag_reads_a_file_as_json_whatever_it_starts_with():
    code, _, err = run("import_blueprint", str(BLUEPRINTS / F002), "--json")
    assert code == 1
    assert err.startswith(f"Error: {F002} is not valid JSON (")
    assert len(err.strip().splitlines()) == 1


def test_a_list_export_imports_every_role_in_it(tmp_path):
    code, out, _ = run(
        "import_blueprint", *[str(BLUEPRINTS / n) for n in FILES], "--dry-run", "--format", "json"
    )
    path = tmp_path / "all.json"
    path.write_text(out)
    code, out, err = run("import_blueprint", str(path))
    assert code == 0, err
    assert Role.objects.count() == 5
    code, out, _ = run("import_blueprint", str(path))
    assert RoleRevision.objects.count() == 5


def test_export_role_of_an_unknown_role_or_revision_exits_1_with_one_line():
    code, out, err = run("export_role", "nobody")
    assert (code, out) == (1, "")
    assert err.strip() == "Error: there is no role with slug 'nobody'."
    run("import_blueprint", str(BLUEPRINTS / F002))
    code, out, err = run("export_role", "lead-ai-engineer", "--revision", "7")
    assert code == 1
    assert err.strip() == "Error: role 'lead-ai-engineer' has no revision 7."
