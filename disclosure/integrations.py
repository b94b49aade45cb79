"""Sections other apps add to a public document page (e.g. 政策解读, I8), one query each at most."""

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
