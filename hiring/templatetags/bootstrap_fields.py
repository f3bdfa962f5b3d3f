"""`{{ field|bootstrap_field }}`: the Bootstrap 5 markup crispy-forms gives a field (label,
widget classes, errors, help text), built directly instead of through crispy's dozen
nested templates, which cost about a millisecond a field on the application page.

Text inputs and selects only; any other field (checkbox, radio, file, hidden) goes to
crispy's own `as_crispy_field`, so the filter is safe on any field.
"""

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms, template
from django.utils.html import format_html, format_html_join

register = template.Library()

CRISPY_ONLY = (
    forms.CheckboxInput,
    forms.RadioSelect,
    forms.CheckboxSelectMultiple,
    forms.FileInput,
    forms.MultiWidget,
)


def _widget_class(widget: forms.Widget) -> str:
    # crispy adds the widget's class name; subclasses of Select read as "select".
    name = "select" if isinstance(widget, forms.Select) else widget.__class__.__name__.lower()
    existing = widget.attrs.get("class", "")
    css = [existing] if existing else []
    if name not in existing:
        css.append(name)
    return " ".join(css)


@register.filter
def bootstrap_field(field: forms.BoundField):
    widget = field.field.widget
    if field.is_hidden or isinstance(widget, CRISPY_ONLY):
        return as_crispy_field(field)
    css = [
        _widget_class(widget),
        "form-select" if isinstance(widget, forms.Select) else "form-control",
    ]
    if field.errors:
        css.append("is-invalid")
    parts = []
    if field.label:
        required = field.field.required
        parts.append(
            format_html(
                '<label for="{}" class="form-label{}">{}{}</label>',
                field.id_for_label,
                " requiredField" if required else "",
                field.label,
                format_html('<span class="{}">*</span>', "asteriskField") if required else "",
            )
        )
    parts.append(field.as_widget(attrs={"class": " ".join(css)}))
    if field.errors:
        parts.append(
            format_html(
                '<div id="{}_error" class="invalid-feedback">{}</div>',
                field.auto_id,
                format_html_join(
                    "",
                    '<p id="error_{}_{}"><strong>{}</strong></p>',
                    ((n, field.auto_id, error) for n, error in enumerate(field.errors, start=1)),
                ),
            )
        )
    if field.help_text:
        parts.append(
            format_html(
                '<div id="{}_helptext" class="form-text">{}</div>', field.auto_id, field.help_text
            )
        )
    return format_html(
        '<div id="div_{}" class="mb-3">{}</div>',
        field.auto_id,
        format_html_join("", "{}", ((part,) for part in parts)),
    )
