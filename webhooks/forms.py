"""The endpoint form of the Administrators' webhook pages."""

from django import forms

from hiring_site.forms import MarkErrors
from webhooks.models import EVENT_TYPES, Endpoint, validate_webhook_url


class EndpointForm(MarkErrors, forms.ModelForm):
    # A plain text field: Django's URL form field would put http:// before
    # "ats.example.com"; the address is taken as typed, and refused unless http(s).
    url = forms.CharField(
        label="URL",
        max_length=500,
        validators=[validate_webhook_url],
        help_text="Where the events are POSTed, as JSON: an http:// or https:// address.",
        widget=forms.URLInput(attrs={"placeholder": "https://ats.example.com/hooks"}),
    )
    events = forms.MultipleChoiceField(
        choices=[(key, f"{key}: {label}") for key, label in EVENT_TYPES.items()],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one event to send."},
        help_text="The events this endpoint receives.",
    )

    class Meta:
        model = Endpoint
        fields = ["url", "description", "events", "active"]
