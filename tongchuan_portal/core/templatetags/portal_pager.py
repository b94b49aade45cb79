"""`{% pager page query %}` — the one pager of every list (templates/includes/pager.html).

`page` is a Django `Page` (numbered, with a total), a keyset page (`next_cursor` / `prev_cursor`,
links `after=` / `before=`), or anything with `page` (number) and `has_next` (numbered, no total).
`query` is the list's other parameters (a dict or an encoded string), kept in every link.
"""

from urllib.parse import urlencode

from django import template

register = template.Library()


def _base(query) -> str:
    if not query:
        return ""
    if isinstance(query, dict):
        return urlencode({k: v for k, v in query.items() if v not in ("", None)})
    return str(query).lstrip("?&")


def _url(base: str, **extra) -> str:
    tail = urlencode(extra)
    return "?" + "&".join(part for part in (base, tail) if part)


@register.inclusion_tag("includes/pager.html")
def pager(page, query="", name="page"):
    base = _base(query)
    prev_url = next_url = first_url = ""
    position = ""
    if hasattr(page, "paginator"):  # django.core.paginator.Page
        if page.has_previous():
            prev_url = _url(base, **{name: page.previous_page_number()})
        if page.has_next():
            next_url = _url(base, **{name: page.next_page_number()})
        position = f"第 {page.number} / {page.paginator.num_pages} 页" if page.has_other_pages() else ""
    elif hasattr(page, "next_cursor"):  # keyset
        if page.prev_cursor:
            prev_url = _url(base, before=page.prev_cursor)
            first_url = _url(base)
        if page.next_cursor:
            next_url = _url(base, after=page.next_cursor)
    else:  # numbered without a total
        number = int(getattr(page, "page", 1) or 1)
        if number > 1:
            prev_url = _url(base, **{name: number - 1})
        if getattr(page, "has_next", False):
            next_url = _url(base, **{name: number + 1})
        position = f"第 {number} 页" if prev_url or next_url else ""
    return {"prev_url": prev_url, "next_url": next_url, "first_url": first_url, "position": position}
