"""Reading a page's query parameters (request.GET), strictly and with the reason given.

A value a page cannot use answers 400 (BadRequest, rendered as the app's 400 page with
the message), a page past the end of its list 404; a parameter left out or empty is its
default. Views read numbers, choices and search text from request.GET through these,
never with int() or isdigit() of their own: "²".isdigit() is true, and int("²") a
ValueError (a 500).
"""

import unicodedata

from django.core.exceptions import BadRequest
from django.core.paginator import EmptyPage, Page, Paginator
from django.db.models import Count, Window
from django.http import Http404
from django.utils.functional import cached_property

from hiring_site.forms import MAX_INT

# Searched text longer than this is not a name or a title anyone types.
MAX_SEARCH_LENGTH = 100
# How much of a refused value the message repeats.
_SHOWN = 40


def shown(raw: str) -> str:
    """`raw` as an error message may repeat it: short, and without control characters."""
    text = "".join(c if c.isprintable() else "\N{REPLACEMENT CHARACTER}" for c in raw[:_SHOWN])
    return text + ("…" if len(raw) > _SHOWN else "")


def int_param(request, name: str, default: int | None = None, *, what: str, minimum: int = 1):
    """The whole number `name` gives (ASCII digits only), from `minimum` to MAX_INT; its
    `default` when left out or empty."""
    raw = request.GET.get(name, "")
    if raw == "":
        return default
    if raw.isascii() and raw.isdigit() and len(raw) <= len(str(MAX_INT)):
        value = int(raw)
        if minimum <= value <= MAX_INT:
            return value
    raise BadRequest(f"“{shown(raw)}” is not a {what}: give a whole number from {minimum} up.")


def choice_param(request, name: str, choices, default: str | None = None, *, what: str) -> str:
    """One of `choices` (strings); `default` when left out or empty. With no default the
    parameter is required."""
    raw = request.GET.get(name, "")
    if raw == "" and default is not None:
        return default
    if raw in choices:
        return raw
    listed = ", ".join(choices)
    raise BadRequest(f"“{shown(raw)}” is not a {what}: use one of {listed}.")


def text_param(request, name: str, *, what: str, max_length: int = MAX_SEARCH_LENGTH) -> str:
    """Text typed into a search box, stripped: at most `max_length` characters, and no
    control characters (PostgreSQL refuses a NUL in a query)."""
    raw = request.GET.get(name, "")
    if len(raw) > max_length:
        raise BadRequest(f"The {what} is longer than {max_length} characters; shorten it.")
    if any(unicodedata.category(c) == "Cc" for c in raw):
        raise BadRequest(f"The {what} contains control characters; type it again.")
    return raw.strip()


def page_of(request, paginator, param: str = "page"):
    """The page of `paginator` that ?page= (or `param`) asks for (the first by default);
    404 past the last one."""
    number = int_param(request, param, 1, what="page number")
    try:
        return paginator.page(number)
    except EmptyPage:
        pages = paginator.num_pages
        raise Http404(
            f"There is no page {number} of this list: it has {pages} page{'s' * (pages != 1)}."
        ) from None


class CountedPaginator(Paginator):
    """A Paginator told how to count its rows (`count`, called once at most), where the
    page has counted them already (My interviews' two lists in one query, the pipeline
    with its histogram): Django's count of the page's query would keep the joins and
    annotations its columns need, where a count of the same rows needs neither."""

    def __init__(self, object_list, per_page, *, count):
        super().__init__(object_list, per_page)
        self._count = count

    @cached_property
    def count(self) -> int:
        return self._count()


class WindowPaginator(Paginator):
    """A Paginator of a values() queryset that reads a page and the length of the whole
    list in one query: each row of the page carries the count (COUNT(*) OVER (), taken
    before LIMIT), where Django's Paginator asks for it in a query of its own. Worth it
    where the database reads every row of the list to sort it anyway (My interviews);
    a list an index hands over in order would be read whole to be counted. A page past
    the end has no row to carry the count: it is counted the usual way, to say how many
    pages there are."""

    _LISTED = "listed_in_all"
    _FURTHEST = 2**31

    def page(self, number):
        if not isinstance(number, int) or number < 1:
            return super().page(number)  # refused as Paginator refuses it
        bottom = (number - 1) * self.per_page
        if bottom > self._FURTHEST:
            # No list is that long, and a database refuses an offset past 64 bits.
            self.validate_number(number)  # counted the usual way: EmptyPage
        rows = list(
            self.object_list.annotate(**{self._LISTED: Window(Count("pk"))})[
                bottom : bottom + self.per_page
            ]
        )
        if rows or number == 1:
            self.__dict__["count"] = rows[0][self._LISTED] if rows else 0
        for row in rows:
            del row[self._LISTED]
        self.validate_number(number)  # past the end: EmptyPage, once counted
        return Page(rows, number, self)
