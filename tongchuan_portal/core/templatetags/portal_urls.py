"""`{% id_url "app:view" pk %}` — `{% url "app:view" pk %}` for a one-id view, reversed once per process
(`core.cached_urls.id_url`): the staff queues print one such link per row."""

from django import template

from tongchuan_portal.core.cached_urls import id_url as cached_id_url

register = template.Library()


@register.simple_tag
def id_url(view, pk):
    return cached_id_url(view, pk)
