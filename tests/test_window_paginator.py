"""WindowPaginator (hiring_site/params.py): a page and the length of the whole list in
one query, and the list counted on its own only for a page past its end."""

import pytest
from django.core.paginator import EmptyPage
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hiring.models import Candidate
from hiring_site.params import WindowPaginator

pytestmark = pytest.mark.django_db


def listed():
    return Candidate.objects.order_by("name", "pk").values("pk", "name")


def test_a_page_and_the_count_come_in_one_query():
    Candidate.objects.bulk_create(
        Candidate(name=f"C{n:02d}", email=f"c{n}@example.com") for n in range(7)
    )
    paginator = WindowPaginator(listed(), 3)
    with CaptureQueriesContext(connection) as queries:
        page = paginator.page(3)
        assert (paginator.count, paginator.num_pages) == (7, 3)
    assert len(queries) == 1
    # The rows carry nothing of the count.
    assert list(page.object_list) == [{"pk": page.object_list[0]["pk"], "name": "C06"}]
    assert page.has_previous() and not page.has_next()


def test_an_empty_list_has_its_first_page_and_no_other():
    paginator = WindowPaginator(listed(), 3)
    assert list(paginator.page(1).object_list) == [] and paginator.count == 0
    with pytest.raises(EmptyPage):
        WindowPaginator(listed(), 3).page(2)


def test_a_page_past_the_end_is_counted_to_say_so():
    Candidate.objects.create(name="Only", email="only@example.com")
    paginator = WindowPaginator(listed(), 3)
    with CaptureQueriesContext(connection) as queries, pytest.raises(EmptyPage):
        paginator.page(5)
    assert len(queries) == 2 and paginator.num_pages == 1
    with pytest.raises(EmptyPage):
        paginator.page(0)
    # A page whose offset no database takes (past 64 bits) is refused before asking.
    with pytest.raises(EmptyPage):
        WindowPaginator(listed(), 25).page(2**63 - 1)
