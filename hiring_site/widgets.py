"""Form widgets rendered in Python where Django's templates are too slow for long lists.

Django renders each <option> of a select through a template of its own (about 15 µs
each); the list of interviewers on the application page has hundreds of them, which
made the widget most of the page's time. This produces the same markup as Django's
`select.html` / `select_option.html` / `attrs.html` templates, in a single pass.
"""

import html

from django import forms
from django.utils.safestring import mark_safe


def _escape(value) -> str:
    """conditional_escape() without a SafeString per call: the same text, faster."""
    return value.__html__() if hasattr(value, "__html__") else html.escape(str(value))


def _attrs(attrs: dict) -> str:
    """As attrs.html: ` name` for True, nothing for False, else ` name="value"`, in order."""
    if not attrs:
        return ""
    return "".join(
        f" {name}" if value is True else f' {name}="{_escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


class PlainSelect(forms.Select):
    """A Select whose markup is built in Python; same output as Django's templates."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [f'<select name="{_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
        for group_name, group_choices, _index in widget["optgroups"]:
            if group_name:
                parts.append(f'\n  <optgroup label="{_escape(group_name)}">')
            for option in group_choices:
                # The trailing newline is the one select_option.html ends with.
                option_value = _escape(option["value"])
                attrs_html = _attrs(option["attrs"])
                label = _escape(option["label"])
                parts.append(f'\n  <option value="{option_value}"{attrs_html}>{label}</option>\n')
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        # Every value above went through _escape.
        return mark_safe("".join(parts))  # noqa: S308  # nosec B308 B703
