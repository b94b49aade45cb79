from django import template

from disclosure.applications import identity

register = template.Library()


@register.filter
def mask_name(value: str) -> str:
    return identity.mask_name(value)


@register.filter
def mask_number(value: str) -> str:
    return identity.mask_number(value)


@register.filter
def mask_phone(value: str) -> str:
    return identity.mask_phone(value)


@register.filter
def get_item(mapping, key):
    return (mapping or {}).get(key)
