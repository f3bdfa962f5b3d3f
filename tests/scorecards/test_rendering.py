"""scorecards.rendering gives, character for character, what the row templates it replaced
gave (kept below), for fresh, filled, invalid and hostile values."""

import pytest
from django.template import engines

from roles.models import Dimension, Signal
from scorecards import rendering
from scorecards.forms import MAX_TEXT, ScorecardForm

# templates/scorecards/_rating_row.html and _signal_row.html as they were.
RATING_ROW = """<fieldset class="rating-row card card-body mb-3{% if row.focus %} rating-focus{% endif %}" id="rating-{{ row.key }}">
  <legend class="h6 mb-1">{{ row.dimension.name }}{% if row.focus %} <span class="badge text-bg-primary">Focus</span>{% endif %}</legend>
  {% if row.dimension.meets_bar %}<p class="small text-body-secondary mb-2">Meets the bar: {{ row.dimension.meets_bar }}</p>{% endif %}
  <div class="rating-options d-flex flex-wrap gap-1">
    {% with name=row.score.html_name key=row.key invalid=row.invalid %}{% for o in row.options %}
    <input type="radio" class="btn-check level-input" name="{{ name }}" id="{{ o.id }}" value="{{ o.value }}" autocomplete="off"{% if o.checked %} checked{% endif %}{% if o.value %} aria-describedby="anchor-{{ key }}-{{ o.value }}"{% endif %}{% if invalid %} aria-invalid="true"{% endif %}>
    <label class="btn btn-sm btn-outline-{% if o.value %}primary{% else %}secondary{% endif %} level-label" for="{{ o.id }}">{% if o.value %}<span class="fw-semibold">{{ o.short }}</span> {{ o.long }}{% else %}Not assessed{% endif %}</label>
    {% endfor %}{% endwith %}
  </div>
  <div class="anchors mt-2">
    {% with key=row.key %}{% for level, label, text in row.anchors %}<p class="anchor small mb-0" data-level="{{ level }}" id="anchor-{{ key }}-{{ level }}"><strong>{{ level }} · {{ label }}</strong>{% if text != label %}: {{ text }}{% endif %}</p>{% endfor %}{% endwith %}
  </div>
  {% for e in row.score.errors %}<div class="invalid-feedback d-block">{{ e }}</div>{% endfor %}
  {% with evidence_id=row.evidence.auto_id evidence_errors=row.evidence.errors %}<label class="form-label mt-2 mb-1 small fw-semibold" for="{{ evidence_id }}">Evidence<span class="visually-hidden"> for {{ row.dimension.name }}</span> <span class="fw-normal text-body-secondary">(what you saw or heard; needed for a 1 or a 5)</span></label>
  <textarea name="{{ row.evidence.html_name }}" id="{{ evidence_id }}" rows="3" class="form-control{% if evidence_errors %} is-invalid{% endif %}"{% if evidence_errors %} aria-describedby="{{ evidence_id }}_error"{% endif %}>{{ row.evidence.value|default_if_none:"" }}</textarea>
  {% for e in evidence_errors %}<div class="invalid-feedback d-block" id="{{ evidence_id }}_error">{{ e }}</div>{% endfor %}{% endwith %}
</fieldset>
"""  # noqa: E501

SIGNAL_ROW = """{% with red=row.is_red_flag tick_id=row.tick.auto_id note_id=row.note.auto_id note_errors=row.note.errors %}<div class="signal-row mb-2 py-1 {% if red %}signal-red signal-red-row{% elif row.signal.kind == 'strong' %}signal-strong{% else %}signal-weak{% endif %}">
  <div class="form-check">
    <input class="form-check-input" type="checkbox" name="{{ row.tick.html_name }}" id="{{ tick_id }}" value="on"{% if row.tick.value %} checked{% endif %} data-note="{{ note_id }}">
    <label class="form-check-label" for="{{ tick_id }}">{% if red %}<span class="badge text-bg-danger me-1">Red flag</span>{% endif %}{{ row.signal.text }}</label>
  </div>
  <div class="ps-4 mt-1">
    <label class="visually-hidden" for="{{ note_id }}">{{ row.note.label }}</label>
    <input type="text" name="{{ row.note.html_name }}" id="{{ note_id }}" value="{{ row.note.value|default_if_none:'' }}" class="form-control form-control-sm signal-note{% if note_errors %} is-invalid{% endif %}" data-tick="{{ tick_id }}" placeholder="{% if red %}What did you observe? (needed if ticked){% else %}Note (optional){% endif %}"{% if note_errors %} aria-describedby="{{ note_id }}_error"{% endif %}>
    {% for e in note_errors %}<div class="invalid-feedback d-block" id="{{ note_id }}_error">{{ e }}</div>{% endfor %}
  </div>
</div>{% endwith %}
"""  # noqa: E501

HOSTILE = "<b>\"Tom\" & 'Jerry'</b>"


def old_rating_row(row) -> str:
    """The template, with what the view used to work out for it."""
    auto_id, current = row.score.auto_id, row.current
    row.key = str(row.dimension.id)
    row.invalid = bool(row.score.errors)
    row.options = [
        {"id": f"{auto_id}_{n}", "value": v, "checked": v == current, "short": s, "long": lg}
        for n, (v, s, lg) in enumerate(row.choices)
    ]
    row.anchors = [(str(level), label, text) for level, label, text in row.dimension.anchor_list()]
    return engines["django"].from_string(RATING_ROW).render({"row": row})


def old_signal_row(row) -> str:
    return engines["django"].from_string(SIGNAL_ROW).render({"row": row})


def make_form(data=None, initial=None) -> ScorecardForm:
    dimensions = [
        Dimension(id=11, order=1, name=f"Design {HOSTILE}", meets_bar=f"Bar {HOSTILE}",
                  anchors=["", f"Two {HOSTILE}", "", "Above bar", ""]),
        Dimension(id=12, order=2, name="Coding", meets_bar="", anchors=[]),
        Dimension(id=13, order=3, name="Comms", meets_bar="Clear", anchors=None),
    ]  # fmt: skip
    signals = [
        Signal(id=21, order=1, kind=Signal.Kind.STRONG, text=f"Strong {HOSTILE}"),
        Signal(id=22, order=1, kind=Signal.Kind.WEAK, text="Weak"),
        Signal(id=23, order=1, kind=Signal.Kind.RED_FLAG, text="Red & flag"),
    ]
    return ScorecardForm(
        data, initial=initial, dimensions=dimensions, focus_ids=[13, 11], signals=signals
    )


CASES = {
    "new": {},
    "filled": {
        "initial": {
            "version": 3,
            "score_11": "5",
            "evidence_11": HOSTILE,
            "score_13": "",
            "signal_21": True,
            "note_21": HOSTILE,
            "signal_23": True,
        }
    },
    "invalid": {
        "data": {
            "version": "2",
            "score_11": "9",
            "evidence_11": "x" * (MAX_TEXT + 1),
            "score_12": "2",
            "evidence_12": HOSTILE,
            "signal_22": "on",
            "note_22": HOSTILE,
            "note_23": "y" * (MAX_TEXT + 1),
        }
    },
}


@pytest.mark.parametrize("case", CASES)
def test_rows_render_as_their_templates_did(case):
    form = make_form(**CASES[case])
    if form.is_bound:
        assert not form.is_valid()
        form.add_error("evidence_12", f"Needed for a 1 or a 5 {HOSTILE}")
    rows = form.dimension_rows()
    ours = [rendering.rating_row(row) for row in rows]
    assert ours == [old_rating_row(row) for row in rows]
    assert ('aria-invalid="true"' in ours[0]) == (case == "invalid")
    assert ('id="id_evidence_12_error"' in "".join(ours)) == (case == "invalid")
    # The focus first, in the role's order: 11, 13, then 12.
    assert ('value="5" autocomplete="off" checked' in ours[0]) == (case == "filled")
    signal_rows = [row for _kind, _heading, group in form.signal_groups() for row in group]
    assert len(signal_rows) == 3
    ours = [rendering.signal_row(row) for row in signal_rows]
    assert ours == [old_signal_row(row) for row in signal_rows]
    assert HOSTILE not in "".join(ours)
