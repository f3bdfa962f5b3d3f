"""The fast paths the busy pages use must give exactly what Django's own would: URLs as
reverse() makes them, dates as the `date` filter writes them, fields as crispy-forms
lays them out."""

import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms
from django.template import engines
from django.urls import reverse
from django.utils import timezone

from hiring.templatetags.bootstrap_fields import bootstrap_field
from hiring_site.formatting import decimal_text, long_datetime
from hiring_site.links import url_maker


@pytest.mark.parametrize(
    "name, arg",
    [("hiring:candidate", 7), ("scorecards:fill", 123456), ("roles:detail", "lead-ai-engineer-3")],
)
def test_url_maker_gives_what_reverse_gives(name, arg):
    assert url_maker(name)(arg) == reverse(name, args=[arg])


@pytest.mark.parametrize("zone", ["UTC", "Europe/Paris", "Asia/Kolkata", "America/St_Johns"])
def test_long_datetime_matches_the_date_filter(zone):
    template = engines["django"].from_string('{{ when|date:"D j M Y, H:i" }}')
    start = datetime(2025, 12, 31, 23, 30, tzinfo=UTC)
    with timezone.override(zone):
        for hours in range(0, 24 * 400, 37):
            when = start + timedelta(hours=hours, minutes=hours % 60)
            assert long_datetime(when) == template.render({"when": when})
    assert long_datetime(None) == ""


def test_decimal_text_matches_floatformat():
    template = engines["django"].from_string('{{ value|floatformat:"-2" }}')
    values = ["0", "0.00", "100", "100.00", "87.5", "12.25", "99.995", "99.999", "0.004"]
    values += [f"{n / 8:.3f}" for n in range(0, 1000, 3)]
    for value in map(Decimal, values):
        assert decimal_text(value) == template.render({"value": value})


class Assign(forms.Form):
    stage = forms.ChoiceField(choices=[("", "---"), ("1", "Case")])
    when = forms.DateTimeField(widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    note = forms.CharField(required=False, help_text="Shown to the interviewer.")


def normalised(html) -> str:
    """Crispy's templates leave whitespace everywhere; only the markup is compared."""
    html = re.sub(r"\s+", " ", str(html))
    return re.sub(r">\s+", ">", re.sub(r"\s+<", "<", html)).replace(" >", ">").strip()


@pytest.mark.parametrize("data", [None, {"stage": "", "when": "x"}, {"stage": "1", "when": ""}])
@pytest.mark.parametrize("name", ["stage", "when", "note"])
def test_bootstrap_field_lays_out_a_field_as_crispy_does(data, name):
    ours, theirs = Assign(data), Assign(data)
    if data is not None:
        ours.is_valid(), theirs.is_valid()
    expected = normalised(as_crispy_field(theirs[name]))
    assert normalised(bootstrap_field(ours[name])) == expected


def test_bootstrap_field_leaves_checkboxes_to_crispy():
    class Tick(forms.Form):
        agree = forms.BooleanField()

    assert str(bootstrap_field(Tick()["agree"])) == str(as_crispy_field(Tick()["agree"]))
