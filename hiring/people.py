"""Choosing a person of a group (an interviewer, a hiring manager) by typing their name.

A group holds hundreds of people, too many for a <select>. The form field takes what the
recruiter typed (part of a name, a username or an email) or a person's id: the id of a
result picked from the search (hiring:people_search, through htmx) or posted by a
client. Typed text that matches one person is that person; several matches come back as
choices, none as an error. Without JavaScript the same form works in two steps.
"""

import unicodedata

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q, Value
from django.db.models.functions import Concat
from django.urls import reverse

from hiring_site.access import HIRING_MANAGER, INTERVIEWER
from hiring_site.formatting import display_name

# The groups a picker may search, by the name the search URL takes (?group=...).
PICKER_GROUPS = {"interviewer": INTERVIEWER, "hiring_manager": HIRING_MANAGER}
# How many matches a search shows; more than this asks for a longer search.
MAX_MATCHES = 20
# Longer input is not a name: searched no further than this.
MAX_QUERY_LENGTH = 100
MAX_QUERY_WORDS = 5


def normalized_query(text) -> str:
    """What was typed, as it is searched for: spaces folded, at most MAX_QUERY_LENGTH."""
    return " ".join(str(text or "").split())[:MAX_QUERY_LENGTH]


def _query_words(text: str) -> list[str]:
    return text[:MAX_QUERY_LENGTH].split()[:MAX_QUERY_WORDS]


def members_of(group_name: str):
    """The active members of a group, in the order pages list them."""
    return (
        get_user_model()
        .objects.filter(groups__name=group_name, is_active=True)
        .only("id", "username", "first_name", "last_name", "email")
        .order_by("first_name", "last_name", "username", "id")
    )


def matching(people, text: str):
    """`people` narrowed to those whose first name, last name, username or email contains
    every word of `text`, ignoring case ("ivy it" finds Ivy Ito)."""
    words = _query_words(text)
    for word in words:
        people = people.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(username__icontains=word)
            | Q(email__icontains=word)
        )
    return people


def named_exactly(people, text: str):
    """`people` whose full name, username or email is `text`, ignoring case."""
    text = " ".join(text.split())
    return people.alias(full_name=Concat("first_name", Value(" "), "last_name")).filter(
        Q(full_name__iexact=text) | Q(username__iexact=text) | Q(email__iexact=text)
    )


def fits(person, text: str) -> bool:
    """Whether `person` is among matching(..., text): the same rule, on one person."""
    fields = [
        (getattr(person, name) or "").casefold()
        for name in ("first_name", "last_name", "username", "email")
    ]
    words = _query_words(text)
    return all(any(word.casefold() in field for field in fields) for word in words)


def search(people, text: str) -> tuple[list, bool]:
    """The first MAX_MATCHES of `people` matching `text`, and whether there are more."""
    found = list(matching(people, text)[: MAX_MATCHES + 1])
    return found[:MAX_MATCHES], len(found) > MAX_MATCHES


class PersonPicker(forms.TextInput):
    """A text box for a name, with the matches below it as radio buttons: those of the
    search as the recruiter types (htmx), those of a submitted name that matched several
    people, or the person already chosen. A picked radio button is what the form takes;
    otherwise the typed text."""

    template_name = "hiring/widgets/person_picker.html"

    def __init__(self, group_key: str, attrs=None):
        super().__init__(
            {
                "autocomplete": "off",
                "spellcheck": "false",
                "maxlength": MAX_QUERY_LENGTH,
                **(attrs or {}),
            }
        )
        self.group_key = group_key
        # Set by PersonField.clean when the typed text matched several people.
        self.matches, self.more = [], False

    def __deepcopy__(self, memo):
        result = super().__deepcopy__(memo)
        result.matches, result.more = [], False
        return result

    @staticmethod
    def pick_name(name: str) -> str:
        return f"{name}_pick"

    def value_from_datadict(self, data, files, name):
        """The typed text, or (picked id, typed text) when a match was picked."""
        text, pick = data.get(name), data.get(self.pick_name(name))
        return (pick, text or "") if pick else text

    def value_omitted_from_data(self, data, files, name):
        return name not in data and self.pick_name(name) not in data

    def format_value(self, value):
        if isinstance(value, get_user_model()):
            return display_name(value)
        return super().format_value(value)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        chosen = value if isinstance(value, get_user_model()) else None
        widget["chosen"] = chosen
        widget["matches"] = [chosen] if chosen is not None else self.matches
        widget["more"] = self.more
        widget["query"] = "" if chosen is not None else widget["value"]
        widget["pick_name"] = self.pick_name(name)
        widget["results_id"] = f"{widget['attrs'].get('id') or name}_results"
        widget["disabled"] = widget["attrs"].get("disabled", False)
        widget["search_url"] = reverse("hiring:people_search")
        widget["group"] = self.group_key
        return context


class PersonField(forms.Field):
    """An active member of `group`, given by id or by what was typed of their name."""

    default_error_messages = {
        "not_member": "That person is not an active %(group)s. Type part of their name and "
        "choose from the matches.",
        "no_match": "Nobody among the active %(groups)s matches “%(text)s”. Type part of "
        "their name, username or email.",
        "several": "Several people match “%(text)s”: choose one of them.",
        "too_many": "More than %(max)s people match “%(text)s”: type more of the name, or "
        "choose one of those shown.",
        "control": "A name has no control characters; type it again.",
    }

    def __init__(self, group: str, **kwargs):
        self.group = group
        self.group_key = next(key for key, name in PICKER_GROUPS.items() if name == group)
        kwargs.setdefault("widget", PersonPicker(self.group_key))
        kwargs.setdefault(
            "help_text", "Type part of their name, username or email, then choose from the matches."
        )
        super().__init__(**kwargs)
        self._people = {}  # id -> person, or None: what this form has read

    def __deepcopy__(self, memo):
        # Each form gets its own copy of the field: nothing read is kept past its request.
        result = super().__deepcopy__(memo)
        result._people = {}
        return result

    @property
    def queryset(self):
        return members_of(self.group)

    def _member(self, pk: int):
        if pk not in self._people:
            self._people[pk] = self.queryset.filter(pk=pk).first()
        return self._people[pk]

    @staticmethod
    def _id(value) -> int | None:
        """`value` as a person's id, if it is one (ids are posted as digits)."""
        if isinstance(value, int):
            return value
        if isinstance(value, str):
            value = value.strip()
            if value.isascii() and value.isdigit() and len(value) < 19:
                return int(value)
        return None

    def _picked(self, value):
        """The person picked among the matches, if `value` is (id, text) and the person
        fits the text: without JavaScript, a recruiter who types another name after
        a pick means the name."""
        pick, text = value
        pk = self._id(pick)
        person = None if pk is None else self._member(pk)
        if person is None or not fits(person, text):
            return None
        return person

    def prepare_value(self, value):
        """What the widget shows: the person an id names, else the text as typed."""
        if isinstance(value, tuple):
            return self._picked(value) or value[1]
        pk = self._id(value)
        if pk is not None:
            return self._member(pk) or value
        return value

    def to_python(self, value):
        if isinstance(value, get_user_model()):
            return value
        if isinstance(value, tuple):
            pk = self._id(value[0])
            if pk is None or self._member(pk) is None:
                raise self._not_member()
            person = self._picked(value)
            if person is not None:
                return person
            value = value[1]
        pk = self._id(value)
        if pk is not None:
            person = self._member(pk)
            if person is None:
                raise self._not_member()
            return person
        text = normalized_query(value)
        if not text:
            return None
        if any(unicodedata.category(c) == "Cc" for c in text):
            # Never searched for: PostgreSQL refuses a NUL in a query.
            raise forms.ValidationError(self.error_messages["control"], code="control")
        matches, more = search(self.queryset, text)
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            exact = list(named_exactly(self.queryset, text)[:2])
            if len(exact) == 1:
                return exact[0]
        params = {"text": text, "groups": f"{self.group.lower()}s", "max": MAX_MATCHES}
        if not matches:
            raise forms.ValidationError(
                self.error_messages["no_match"], code="no_match", params=params
            )
        self.widget.matches, self.widget.more = matches, more
        code = "too_many" if more else "several"
        raise forms.ValidationError(self.error_messages[code], code=code, params=params)

    def _not_member(self):
        return forms.ValidationError(
            self.error_messages["not_member"],
            code="not_member",
            params={"group": self.group.lower()},
        )

    def has_changed(self, initial, data):
        if self.disabled:
            return False
        if isinstance(data, tuple):
            data = data[0]
        return str(getattr(initial, "pk", initial) or "") != str(getattr(data, "pk", data) or "")
