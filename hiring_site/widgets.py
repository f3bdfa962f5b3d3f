"""Form widgets rendered in Python where Django's templates are too slow for long lists.

Django renders each <option> of a select through a template of its own (about 15 µs
each); the list of interviewers on the application page has hundreds of them, which
made the widget most of the page's time. This produces the same markup as Django's
`select.html` / `select_option.html` / `attrs.html` templates, in a single pass.
"""

import functools
import html

from django import forms
from django.utils.safestring import SafeString, mark_safe


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
        values = frozenset(self.format_value(value))
        attrs = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            attrs["multiple"] = True
        # iter(): a model field's choices have a len() that would count in SQL.
        choices = tuple(iter(self.choices))
        try:
            # The same list renders the same markup: the hundreds of interviewers on
            # every application page are escaped once per process, not once a request.
            return _select_markup(name, tuple(attrs.items()), choices, values)
        except TypeError:  # something unhashable (a group's list of options)
            return _select_markup.__wrapped__(name, tuple(attrs.items()), choices, values)


@functools.lru_cache(maxsize=128)
def _select_markup(name, attrs, choices, values) -> SafeString:
    """A select's markup from hashable parts; `attrs` as items, `values` those selected.
    What Widget.get_context and ChoiceWidget.optgroups work out, without the dict they
    build per option: only `selected` can differ from one option to the next (a
    Select's options inherit no attributes)."""
    attrs = dict(attrs)
    multiple = attrs.get("multiple") is True
    has_selected = False
    parts = [f'<select name="{_escape(name)}"{_attrs(attrs)}>']
    for option_value, option_label in choices:
        if option_value is None:
            option_value = ""
        group = isinstance(option_label, (list, tuple))
        if group:
            # An empty group name, as optgroups() reads it, is no <optgroup>.
            if option_value:
                parts.append(f'\n  <optgroup label="{_escape(option_value)}">')
            options = option_label
        else:
            options = ((option_value, option_label),)
        for subvalue, sublabel in options:
            # Plain ints (ids) and plain strings (names), most options of a long list,
            # skip _escape's checks: digits need no escaping, a str is not safe.
            if type(subvalue) is int:
                text = value_html = str(subvalue)
            else:
                text = str(subvalue)
                value_html = _escape(text)
            selected = (multiple or not has_selected) and text in values
            has_selected |= selected
            # The trailing newline is the one select_option.html ends with.
            parts.append(
                f'\n  <option value="{value_html}"{" selected" if selected else ""}>'
                f"{html.escape(sublabel) if type(sublabel) is str else _escape(sublabel)}"
                "</option>\n"
            )
        if group and option_value:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    # Every value above went through _escape.
    return mark_safe("".join(parts))  # noqa: S308  # nosec B308 B703
