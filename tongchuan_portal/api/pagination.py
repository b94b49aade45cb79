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

    def get_page_size(self, request):
        """`limit` is an integer or absent: anything else is a clear 400, a number is kept within 1–100."""
        from rest_framework.exceptions import ValidationError

        values = request.query_params.getlist(self.page_size_query_param)
        if not values:
            return self.page_size
        if len(values) > 1 or not values[0].isascii() or not values[0].lstrip("-").isdigit():
            raise ValidationError({"limit": "每页条数须为一个整数。"})
        return min(max(int(values[0]), 1), self.max_page_size)
