"""Sections other apps add to a document's public page (e.g. 政策解读, I8) or its staff page (e.g. the
decision draft it came from, M6), one query each at most. Disclosure never imports those apps."""

from collections.abc import Callable

_section_providers: list[Callable] = []


def register_document_section(provider: Callable) -> None:
    """`provider(document) -> dict | None` with keys title, template, context."""
    if provider not in _section_providers:
        _section_providers.append(provider)


def document_sections(document) -> list[dict]:
    sections = []
    for provider in _section_providers:
        section = provider(document)
        if section:
            sections.append(section)
    return sections


_staff_section_providers: list[Callable] = []


def register_staff_document_section(provider: Callable) -> None:
    """`provider(document, user) -> dict | None` with key template (and whatever it shows), on the staff page."""
    if provider not in _staff_section_providers:
        _staff_section_providers.append(provider)


def staff_document_sections(document, user) -> list[dict]:
    return [section for provider in _staff_section_providers if (section := provider(document, user))]
