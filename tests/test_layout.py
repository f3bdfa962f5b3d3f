"""The layout the README's table describes, held by the code itself.

- The apps depend one way: roles <- hiring <- scorecards <- webhooks and api (the REST
  API), each of those two above the three and neither importing the other. An app
  imports only the apps to its left and hiring_site's base helpers (access, admin, env,
  formatting, forms, params);
  hiring_site's top layer (root URLs, the demo and bench commands) may import every app.
- No view module imports another app's view module.
- No HTML assembled in Python (`mark_safe`) and no hand-written SQL (`cursor()`,
  `.raw(`) in the app's code; the benchmark commands may run SQL of their own (ANALYZE).
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ("roles", "hiring", "scorecards", "webhooks", "api")
# What each app may import of the others. webhooks sits above the three: its outbox
# listens to their events (hiring.events, scorecards.events); the REST API too.
ALLOWED = {
    "roles": set(),
    "hiring": {"roles"},
    "scorecards": {"roles", "hiring"},
    "webhooks": {"roles", "hiring", "scorecards"},
    "api": {"roles", "hiring", "scorecards"},
}
# hiring_site's modules that every app may use: they import no app themselves.
BASE_HELPERS = {"access", "admin", "env", "formatting", "forms", "params"}
BENCH = {"hiring_site/bench.py", "hiring_site/management/commands/bench.py"}


def _modules(package: str):
    for path in sorted((ROOT / package).rglob("*.py")):
        if "migrations" not in path.parts:
            yield path


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


@pytest.mark.parametrize("app", APPS)
def test_apps_import_only_the_apps_to_their_left(app):
    wrong = []
    for path in _modules(app):
        for name in _imports(path):
            top = name.split(".")[0]
            if top in APPS and top != app and top not in ALLOWED[app]:
                wrong.append(f"{_rel(path)} imports {name}")
            if top == "hiring_site" and len(name.split(".")) > 1:
                module = name.split(".")[1]
                if module not in BASE_HELPERS and module != "templatetags":
                    wrong.append(f"{_rel(path)} imports {name} (not a base helper)")
    assert not wrong, "\n".join(sorted(set(wrong)))


def test_hiring_sites_base_helpers_import_no_app():
    wrong = [
        f"{_rel(path)} imports {name}"
        for path in _modules("hiring_site")
        if path.stem in BASE_HELPERS
        for name in _imports(path)
        if name.split(".")[0] in APPS
    ]
    assert not wrong, "\n".join(wrong)


def test_no_view_module_imports_another_apps_views():
    wrong = []
    for app in APPS:
        for path in _modules(app):
            if "views" not in path.stem:
                continue
            for name in _imports(path):
                parts = name.split(".")
                if parts[0] in APPS and parts[0] != app and any("views" in p for p in parts[1:]):
                    wrong.append(f"{_rel(path)} imports {name}")
    assert not wrong, "\n".join(wrong)


def test_no_markup_or_sql_built_by_hand_in_the_apps_code():
    wrong = []
    for package in (*APPS, "hiring_site"):
        for path in _modules(package):
            if _rel(path) in BENCH:
                continue
            text = path.read_text()
            for needle in ("mark_safe", "cursor()", ".raw("):
                if needle in text:
                    wrong.append(f"{_rel(path)}: {needle}")
    assert not wrong, "\n".join(wrong)
