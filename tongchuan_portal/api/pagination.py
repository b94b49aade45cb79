"""Keyset (cursor) pages, like the 五公开 column: stable while new items are published, no COUNT(*)."""

from rest_framework.pagination import CursorPagination


class KeysetPagination(CursorPagination):
    page_size = 20
    page_size_query_param = "limit"
    max_page_size = 100
    cursor_query_description = "翻页游标(取自上一页的 next / previous)"
    page_size_query_description = "每页条数(1–100,默认 20)"

    def get_ordering(self, request, queryset, view):
        return view.ordering
