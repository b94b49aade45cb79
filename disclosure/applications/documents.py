"""What the pages and letters show from the record: the clocks with their explanation (CLOCK6), the 答复告知书
(printable and as PDF through WeasyPrint with Debian's Noto CJK fonts)."""

from __future__ import annotations

import base64
from dataclasses import dataclass

from django.utils import timezone

from disclosure.selectors import public_documents
from tongchuan_portal.clock.selectors import explain
from tongchuan_portal.clock import workdays

from .models import Application
from tongchuan_portal.core import pdf


@dataclass
class ClockView:
    deadline: object
    explanation: object


def clocks_for(application: Application) -> list[ClockView]:
    """The open clocks (prefetched as `open_deadlines`), soonest first, each with how it was computed."""
    return [ClockView(d, explain(d)) for d in getattr(application, "open_deadlines", [])]


def matched_public(application: Application):
    """The matched document when it is public: "this is already public, here it is"."""
    document = application.matched_document
    if document is None:
        return None
    return document if public_documents().filter(pk=document.pk).exists() else None


def _seal(unit) -> str:
    if not unit.seal_image:
        return ""
    try:
        with unit.seal_image.open("rb") as handle:
            return "data:image/png;base64," + base64.b64encode(handle.read()).decode()
    except OSError:
        return ""


def reply_context(application: Application, *, full_name: bool = False) -> dict:
    """The letter's context; the applicant's name is masked unless staff of the unit read it (`full_name`)."""
    return {"application": application, "unit": application.unit, "seal": _seal(application.unit),
            "full_name": full_name,
            "replied_on": application.replied_on, "generated": workdays.beijing_date(timezone.now()),
            "matched_public": matched_public(application)}


def render_pdf(template: str, context: dict) -> bytes:
    """A letter as PDF: the template's print version (`for_pdf`) with the letters' stylesheet."""
    return pdf.render_pdf(template, {**context, "for_pdf": True}, stylesheet="css/pdf/letter.css")


def reply_pdf(context: dict) -> bytes:
    return render_pdf("applications/reply_letter.html", context)
