"""Sections other apps add to disclosure's pages, so disclosure never imports them.

- a public document page (e.g. 政策解读, I8), one query each at most;
- a document's staff page (e.g. the decision draft it came from, M6);
- the 保密审查 queue (D7): decision drafts, adoption reports, opinion releases waiting for the user.
"""

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


_confidentiality_providers: list[Callable] = []


def register_confidentiality_section(provider: Callable) -> None:
    """`provider(user) -> dict | None` with keys key, title, empty and rows (a list of
    `tongchuan_portal.core.confidentiality.QueueRow`); None when the user reviews nothing of that kind."""
    if provider not in _confidentiality_providers:
        _confidentiality_providers.append(provider)


def confidentiality_sections(user) -> list[dict]:
    sections = []
    for provider in _confidentiality_providers:
        section = provider(user)
        if section:
            sections.append(section)
    return sections


_review_providers: list[Callable] = []


def register_review_section(provider: Callable) -> None:
    """`provider(document) -> dict | None` with key template: what the reviewer of a submission must see
    besides the document (e.g. the interpretation plan and materials, or their absence)."""
    if provider not in _review_providers:
        _review_providers.append(provider)


def review_sections(document) -> list[dict]:
    return [section for provider in _review_providers if (section := provider(document))]
