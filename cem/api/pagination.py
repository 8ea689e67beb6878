"""Pagination for list endpoints: cursor-based, stable under inserts."""

from rest_framework.pagination import CursorPagination


class CreatedCursorPagination(CursorPagination):
    """Newest first by (created/received time, id); `page_size` up to 500."""

    ordering = ("-id",)
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
