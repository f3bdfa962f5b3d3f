"""`python manage.py import_blueprint FILE... [--dry-run] [--format json] [--publish] [--json]`

Reads role blueprints (plain text) or role exports (JSON from export_role, or the output
of this command's --format json) and stores each role as a new draft revision with a
default interview loop. Importing the same file again creates nothing.
"""

import json
import os
import sys

from django.core.management.base import BaseCommand
from django.urls import reverse

from roles import services
from roles.blueprint import MAX_BYTES, BlueprintError
from roles.weights import WeightTotal


class Command(BaseCommand):
    help = (
        "Import role blueprints (text files) or role exports (JSON) as draft revisions, each "
        "with a default interview loop (one stage per exercise). A file whose content was "
        "imported before creates nothing; a changed file for an existing role (same slug) "
        "becomes its next draft revision. A file is read as JSON (an export_role file, or "
        "the output of --format json) when it is named .json, when it starts with { or [ "
        "and parses as JSON, or always with --json. "
        "Exits 0 when every file was read, 1 otherwise, with one line per bad file on stderr."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE", help="Blueprint or export files.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Parse and check only; change nothing."
        )
        parser.add_argument(
            "--format",
            choices=["text", "json"],
            default="text",
            help="json: print only a JSON array (one object per file) on stdout; "
            "messages go to stderr.",
        )
        parser.add_argument(
            "--publish",
            action="store_true",
            help="Publish each imported revision (refused, and reported, when its weights do "
            "not total 100, a stage has no focus dimension, or an import warning is open: "
            "warnings are dismissed with a reason on the role page).",
        )
        parser.add_argument(
            "--json",
            action="store_true",
            dest="as_json",
            help="Read every FILE as a role export, whatever it starts with.",
        )

    def handle(self, *args, files, dry_run, format, publish, as_json, **options):
        as_json_output = format == "json"
        # In JSON mode stdout carries the JSON alone; every message goes to stderr.
        info = self.stderr if as_json_output else self.stdout
        parsed_out = []
        failures = 0
        for path in files:
            name = os.path.basename(path) or path
            try:
                data = _read(path, name)
                # Every role it holds within every limit (roles.blueprint.limits).
                loaded = services.load_file(data, name, as_json=True if as_json else None)
            except BlueprintError as exc:
                failures += 1
                self.stderr.write(f"Error: {exc}")
                continue
            sha = services.sha256_of(data)
            fresh = dry_run
            for n, item in enumerate(loaded):
                parsed_out.append(item.parsed.to_json(path))
                if dry_run:
                    info.write(_summary(item.parsed, name, "would import"))
                    continue
                # A list export holds several roles; each needs its own identity.
                digest = sha if len(loaded) == 1 else services.sha256_of(f"{sha}:{n}".encode())
                try:
                    result = services.import_parsed(
                        item.parsed,
                        source_name=name,
                        source_sha256=digest,
                        publish=publish,
                        extras=item.extras,
                    )
                except BlueprintError as exc:
                    failures += 1
                    self.stderr.write(f"Error: {exc}")
                    continue
                except Exception as exc:  # noqa: BLE001 - one line per bad file, never a traceback
                    failures += 1
                    self.stderr.write(
                        f"Error: {name} could not be saved ({type(exc).__name__}: {exc})."
                    )
                    continue
                revision = result.revision
                if result.created:
                    fresh = True
                    verb = f"imported as revision {revision.number}"
                else:
                    verb = f"already imported as revision {revision.number}; nothing new"
                info.write(
                    _summary(item.parsed, name, verb) + f" [{revision.get_status_display()}]"
                )
                if result.publish_error:
                    failures += 1
                    how = ""
                    if revision.open_warnings():
                        # A reason per warning is a person's judgement: no flag gives one.
                        how = (
                            " Open the role page, "
                            f"{reverse('roles:detail', args=[revision.role.slug])}, and "
                            "publish there: it asks for a reason for each warning."
                        )
                    self.stderr.write(f"Error: {name}: not published. {result.publish_error}{how}")
            if fresh and not as_json_output:
                for warning in [w for item in loaded for w in item.parsed.warnings]:
                    info.write(f"  warning: {warning}")
        if as_json_output:
            self.stdout.write(json.dumps(parsed_out, indent=2, ensure_ascii=False))
        if failures:
            self.stderr.flush()
            sys.exit(1)


def _read(path: str, name: str) -> bytes:
    try:
        size = os.path.getsize(path)
        if size > MAX_BYTES:
            raise BlueprintError(
                f"{name} is {size / 1024 / 1024:.1f} MB, over the 2 MB limit for a blueprint."
            )
        with open(path, "rb") as handle:
            return handle.read(MAX_BYTES + 1)
    except IsADirectoryError:
        raise BlueprintError(f"{path} is a folder, not a file.") from None
    except FileNotFoundError:
        raise BlueprintError(f"{path} does not exist.") from None
    except PermissionError:
        raise BlueprintError(f"{path} cannot be read (permission denied).") from None
    except OSError as exc:
        raise BlueprintError(f"{path} cannot be read ({exc.strerror or exc}).") from None


def _summary(parsed, name: str, verb: str) -> str:
    total = WeightTotal.of(d.weight for d in parsed.dimensions)
    return (
        f"{name}: {parsed.title} ({parsed.slug}) {verb}: "
        f"{_count(len(parsed.dimensions), 'dimension')} "
        f"(weights total {total}), {_count(len(parsed.exercises), 'exercise')}, "
        f"{_count(len(parsed.stages), 'stage')}, {_count(len(parsed.warnings), 'warning')}."
    )


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"
