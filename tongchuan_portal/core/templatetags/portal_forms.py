"""`{% options choices selected %}` — the <option> elements of a filter's <select>.

The public filter forms list every unit (about seventy), each year and each category; written as a
template loop that is a few hundred variable lookups per render, the largest part of a search page's
template cost. This builds the same markup in one pass. `choices` are (value, label) pairs, plain values
(their own label; `suffix` follows it: 年), or objects read through `value=` and `label=` attribute names (`{% options units filters.unit value="code" label="name" %}`).
"""

from html import escape

from django import template
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def options(choices, selected="", value="", label="", suffix=""):
    chosen = "" if selected is None else str(selected)
    parts = []
    for choice in choices or ():
        if value:
            key, text = getattr(choice, value), getattr(choice, label or value)
        elif isinstance(choice, (tuple, list)):
            key, text = choice
        else:  # a plain value (a year) is its own label
            key = text = choice
        key = str(key)
        mark = " selected" if key == chosen and chosen != "" else ""
        parts.append(f'<option value="{escape(key)}"{mark}>{escape(str(text))}{suffix}</option>')
    return mark_safe("".join(parts))
