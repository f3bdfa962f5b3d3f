"""A role's slug never takes the path of a fixed page under /roles/."""

import dataclasses

import pytest
from django.urls import URLPattern, reverse

from roles import services, urls
from roles.blueprint import parse_blueprint
from roles.models import RESERVED_SLUGS, Role
from tests.roles.conftest import F002, blueprint_bytes

pytestmark = pytest.mark.django_db


def test_every_fixed_page_under_roles_is_reserved():
    fixed = {
        str(p.pattern).split("/")[0]
        for p in urls.urlpatterns
        if isinstance(p, URLPattern) and str(p.pattern) and "<" not in str(p.pattern)
    }
    assert fixed == set(RESERVED_SLUGS)


@pytest.mark.parametrize("slug", sorted(RESERVED_SLUGS))
def test_a_blueprint_titled_like_a_fixed_page_gets_a_role_of_its_own(recruiter_client, slug):
    data = blueprint_bytes(F002)
    parsed = dataclasses.replace(parse_blueprint(data, F002), slug=slug)
    first = services.import_parsed(parsed, source_name=F002, source_sha256="a" * 64)
    again = services.import_parsed(parsed, source_name=F002, source_sha256="b" * 64)

    role = Role.objects.get()
    assert role.slug == f"{slug}-role"
    assert (first.revision.number, again.revision.number) == (1, 2)
    page = recruiter_client.get(role.get_absolute_url())
    assert page.status_code == 200
    assert role.title in page.content.decode()
    # The fixed page still answers as itself.
    assert recruiter_client.get(reverse(f"roles:{slug.replace('-', '_')}")).status_code in (
        200,
        405,
    )
