"""The fast path the busy pages use must give exactly what Django's own would: fields as
crispy-forms lays them out."""

import re

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms

from hiring.templatetags.bootstrap_fields import bootstrap_field


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
