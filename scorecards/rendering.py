"""The scorecard form's repeated rows (a rating row per dimension, a row per signal),
rendered in Python.

A card has some ten dimensions of six radios and five anchors each, and a dozen signals:
as template includes, looked up part by part, they were most of the fill page's time.
These functions give the markup the templates gave, character for character
(tests/scorecards/test_rendering.py holds the templates they replaced and compares).
Every value goes through `_escape`, as the templates' autoescaping did.
"""

from django.utils.safestring import SafeString, mark_safe

from hiring_site.widgets import _escape
from roles.models import LEVEL_LABELS, Signal

# What does not depend on the dimension: (value, the label's inner markup, its class).
_LEVELS = [("", "Not assessed", "secondary")] + [
    (str(level), f'<span class="fw-semibold">{level}</span> {_escape(label)}', "primary")
    for level, label in LEVEL_LABELS.items()
]
_LABELS = {level: _escape(label) for level, label in LEVEL_LABELS.items()}
FOCUS_CSS = " rating-focus"
FOCUS_BADGE = ' <span class="badge text-bg-primary">Focus</span>'
RED_FLAG_BADGE = '<span class="badge text-bg-danger me-1">Red flag</span>'


def _errors(errors, attrs: str = "") -> str:
    return "".join(
        f'<div class="invalid-feedback d-block"{attrs}>{_escape(e)}</div>' for e in errors
    )


def _value(bound) -> str:
    value = bound.value()
    return "" if value is None else _escape(value)


def rating_row(row) -> SafeString:
    """A forms.DimensionRow as a <fieldset>: the radios for 1-5 or "not assessed", the
    anchors they point to, and the evidence box."""
    d, score, evidence = row.dimension, row.score, row.evidence
    key = str(d.id)
    name = _escape(score.html_name)
    auto_id = _escape(score.auto_id)
    current = row.current
    invalid = ' aria-invalid="true"' if score.errors else ""
    dimension_name = _escape(d.name)
    focus_css, focus_badge = (FOCUS_CSS, FOCUS_BADGE) if row.focus else ("", "")
    parts = [
        f'<fieldset class="rating-row card card-body mb-3{focus_css}" id="rating-{key}">\n'
        f'  <legend class="h6 mb-1">{dimension_name}{focus_badge}</legend>\n  ',
    ]
    if d.meets_bar:
        parts.append(
            f'<p class="small text-body-secondary mb-2">Meets the bar: {_escape(d.meets_bar)}</p>'
        )
    parts.append('\n  <div class="rating-options d-flex flex-wrap gap-1">\n    ')
    for n, (value, label, tone) in enumerate(_LEVELS):
        option_id = f"{auto_id}_{n}"
        checked = " checked" if value == current else ""
        described = f' aria-describedby="anchor-{key}-{value}"' if value else ""
        parts.append(
            f'\n    <input type="radio" class="btn-check level-input" name="{name}"'
            f' id="{option_id}" value="{value}" autocomplete="off"{checked}{described}{invalid}>\n'
            f'    <label class="btn btn-sm btn-outline-{tone} level-label" for="{option_id}">'
            f"{label}</label>\n    "
        )
    parts.append('\n  </div>\n  <div class="anchors mt-2">\n    ')
    for level, label, text in d.anchor_list():
        parts.append(
            f'<p class="anchor small mb-0" data-level="{level}" id="anchor-{key}-{level}">'
            f"<strong>{level} · {_LABELS[level]}</strong>"
            f"{(': ' + _escape(text)) if text != label else ''}</p>"
        )
    parts.append("\n  </div>\n  ")
    parts.append(_errors(score.errors))
    evidence_id = _escape(evidence.auto_id)
    evidence_errors = evidence.errors
    described = f' aria-describedby="{evidence_id}_error"' if evidence_errors else ""
    parts.append(
        f'\n  <label class="form-label mt-2 mb-1 small fw-semibold" for="{evidence_id}">'
        f'Evidence<span class="visually-hidden"> for {dimension_name}</span> '
        '<span class="fw-normal text-body-secondary">(what you saw or heard; needed for a 1 or'
        " a 5)</span></label>\n"
        f'  <textarea name="{_escape(evidence.html_name)}" id="{evidence_id}" rows="3"'
        f' class="form-control{" is-invalid" if evidence_errors else ""}"{described}>'
        f"{_value(evidence)}</textarea>\n  "
    )
    parts.append(_errors(evidence_errors, f' id="{evidence_id}_error"'))
    parts.append("\n</fieldset>\n")
    return mark_safe("".join(parts))  # noqa: S308  # nosec B308 B703: every value escaped


def signal_row(row) -> SafeString:
    """A forms.SignalRow: the tick box and the note beside it."""
    tick, note = row.tick, row.note
    red = row.is_red_flag
    if red:
        css = "signal-red signal-red-row"
    elif row.signal.kind == Signal.Kind.STRONG:
        css = "signal-strong"
    else:
        css = "signal-weak"
    tick_id, note_id = _escape(tick.auto_id), _escape(note.auto_id)
    note_errors = note.errors
    placeholder = "What did you observe? (needed if ticked)" if red else "Note (optional)"
    badge = RED_FLAG_BADGE if red else ""
    checked = " checked" if tick.value() else ""
    invalid = " is-invalid" if note_errors else ""
    described = f' aria-describedby="{note_id}_error"' if note_errors else ""
    errors = _errors(note_errors, f' id="{note_id}_error"')
    html = (
        f'<div class="signal-row mb-2 py-1 {css}">\n'
        '  <div class="form-check">\n'
        f'    <input class="form-check-input" type="checkbox" name="{_escape(tick.html_name)}"'
        f' id="{tick_id}" value="on"{checked} data-note="{note_id}">\n'
        f'    <label class="form-check-label" for="{tick_id}">{badge}{_escape(row.signal.text)}'
        "</label>\n"
        "  </div>\n"
        '  <div class="ps-4 mt-1">\n'
        f'    <label class="visually-hidden" for="{note_id}">{_escape(note.label)}</label>\n'
        f'    <input type="text" name="{_escape(note.html_name)}" id="{note_id}"'
        f' value="{_value(note)}" class="form-control form-control-sm signal-note{invalid}"'
        f' data-tick="{tick_id}" placeholder="{placeholder}"{described}>\n'
        f"    {errors}\n"
        "  </div>\n"
        "</div>\n"
    )
    return mark_safe(html)  # noqa: S308  # nosec B308 B703: every value escaped
