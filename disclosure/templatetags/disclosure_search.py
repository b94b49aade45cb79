"""`{% search_results results %}` — the search page's result list items.

Twenty results as a template loop were about a thousand node renders per page (half the page's
template cost, and a fresh search renders every time); the values are already computed once per
result (`search_page.Result`), so the markup is written here in one pass. Titles and excerpts are
escaped HTML with <mark> (from `search.highlight`); everything else is escaped here.
"""

from html import escape

from django import template
from django.utils.safestring import mark_safe

register = template.Library()

EXACT_BADGE = ' <span class="badge">文号/索引号相符</span>'


@register.simple_tag
def search_results(results):
    return mark_safe("".join(
        f'<li>\n    <h2><a href="{escape(r.url)}">{r.title}</a>{EXACT_BADGE if r.exact else ""}</h2>\n'
        f'    <p class="excerpt">{r.excerpt}</p>\n'
        f'    <p class="doc-meta">{escape(r.meta)} · <time datetime="{escape(r.published_iso)}">'
        f'{escape(r.published_on)}</time></p>\n  </li>\n  '
        for r in results))
