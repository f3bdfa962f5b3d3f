"""URLs for long lists, reversed once per page rather than once per row.

`reverse()` walks the URL resolver on every call; a list of 50 roles or 25 candidates
spent a noticeable part of its time there. `url_maker` reverses a name once with a
marker argument and returns a function that puts each row's argument in its place.
"""

from collections.abc import Callable

from django.urls import reverse

# Digits only, so it reverses for both <int:...> and <slug:...> patterns, and long
# enough not to occur anywhere else in a URL.
_MARKER = "8080808080808080"


def url_maker(name: str) -> Callable[[object], str]:
    """`url_maker("hiring:candidate")(7) == reverse("hiring:candidate", args=[7])` for
    a pattern with one int or slug argument (neither needs quoting)."""
    prefix, suffix = reverse(name, args=[_MARKER]).split(_MARKER)
    return lambda arg: f"{prefix}{arg}{suffix}"
