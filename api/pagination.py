"""Lists come in pages of 25 (`?page=`, `?page_size=` up to 100)."""

from rest_framework.pagination import PageNumberPagination


class Pages(PageNumberPagination):
    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100
