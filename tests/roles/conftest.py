"""Fixtures of the role tests: the real blueprint files and roles imported from them."""

from pathlib import Path

import pytest

from roles import services
from roles.blueprint import parse_blueprint

BLUEPRINTS = Path(__file__).resolve().parents[2] / "roles" / "blueprints"
FILES = sorted(p.name for p in BLUEPRINTS.glob("*.txt"))
F000, F001, F002, F003, F004 = FILES

# From roles/blueprints/README.md: the truth the importer is tested against.
README_DIMENSIONS = {
    F000: [
        ("Problem framing & value", "20"),
        ("Applied ML competence", "20"),
        ("System design & MLOps", "20"),
        ("Responsible AI & governance", "15"),
        ("Stakeholder communication", "15"),
        ("Delivery leadership", "10"),
    ],
    F001: [
        ("Production ML engineering", "20"),
        ("Software engineering", "15"),
        ("Evaluation & experimentation", "15"),
        ("MLOps & operations", "15"),
        ("Data proficiency", "10"),
        ("LLM engineering (if relevant)", "10"),
        ("Security & privacy awareness", "5"),
        ("Communication & collaboration", "10"),
    ],
    F002: [
        ("Production AI system design", "20"),
        ("Software engineering quality", "15"),
        ("Evaluation & experimentation", "15"),
        ("MLOps & operational excellence", "15"),
        ("Modeling competence", "10"),
        ("Data engineering collaboration", "10"),
        ("Security/privacy/governance mindset", "5"),
        ("Leadership & influence", "10"),
    ],
    F003: [
        (name, "12.5")
        for name in (
            "AI/ML architecture breadth",
            "LLM architecture depth",
            "Production readiness",
            "Security/privacy & responsible AI",
            "Cost/performance engineering",
            "Communication & documentation",
            "Influence & leadership",
            "Pragmatism & judgment",
        )
    ],
    F004: [
        ("Applied AI/ML fundamentals", "15"),
        ("Production engineering", "20"),
        ("MLOps & lifecycle", "20"),
        ("Data proficiency", "10"),
        ("System design (end-to-end)", "15"),
        ("LLM/RAG competence (if applicable)", "10"),
        ("Collaboration & communication", "5"),
        ("Senior behaviors (mentorship/leadership)", "5"),
    ],
}
README_TITLES = {
    F000: "Senior AI Consultant",
    F001: "Senior AI Engineer",
    F002: "Lead AI Engineer",
    F003: "Senior AI Architect",
    F004: "Senior Applied AI Engineer",
}


def blueprint_bytes(name: str) -> bytes:
    return (BLUEPRINTS / name).read_bytes()


def import_file(name: str, **kwargs):
    data = blueprint_bytes(name)
    return services.import_parsed(
        parse_blueprint(data, name),
        source_name=name,
        source_sha256=services.sha256_of(data),
        **kwargs,
    )


def import_reviewed(name: str, **kwargs):
    """import_file with the built-in review's dismissals (roles/blueprints/reviews.json),
    as the recruiter gave them, so that publishing is not held up by open warnings."""
    return import_file(name, dismissals=services.builtin_reviews()[name], **kwargs)


@pytest.fixture
def lead_draft(db):
    """Lead AI Engineer (file 002) imported as a draft revision."""
    return import_file(F002).revision


@pytest.fixture
def lead_published(db):
    return import_reviewed(F002, publish=True).revision


def editor_data(revision) -> dict:
    """The edit form of `revision` as a browser posts it when nothing is changed."""
    from django import forms

    from roles.forms import RevisionEditor

    editor = RevisionEditor(revision)
    data: dict = {}

    def add(form):
        for name, field in form.fields.items():
            value = form[name].value()
            key = form.add_prefix(name)
            if isinstance(field.widget, forms.CheckboxInput):
                if value:
                    data[key] = "on"
            elif isinstance(value, (list, tuple)):
                data[key] = [str(v) for v in value]
            else:
                data[key] = "" if value is None else str(value)

    add(editor.settings)
    for formset in editor.formsets:
        for key, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{key}"] = str(value)
        for form in formset.forms:
            add(form)
    return data


def row_of(data: dict, prefix: str, field: str, value: str) -> int:
    """The index of the row of `prefix` whose `field` is `value`."""
    for key, posted in data.items():
        if key.startswith(f"{prefix}-") and key.endswith(f"-{field}") and posted == value:
            return int(key.split("-")[1])
    raise KeyError(value)
