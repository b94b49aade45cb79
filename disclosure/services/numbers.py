"""发文字号 and 索引号 (D8): parsing what is typed, checking the 机关代字, numbering at acceptance."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Max
from django.utils import timezone

from tongchuan_portal.clock.workdays import BEIJING
from tongchuan_portal.units.models import Unit

from ..models import Document, IndexSequence
from ..text import format_document_number, parse_document_number


def apply_number(document: Document, number_text: str) -> None:
    """Own-name documents carry the number their unit gives; city-name ones get it at acceptance (D8).

    For a document in the city government's or its office's name the drafter's number is only a
    proposal until the city office assigns one; a number already assigned at acceptance stays.
    """
    parsed = parse_document_number(number_text) if number_text.strip() else None
    if document.issued_in_city_name:
        document.number_proposal = format_document_number(*parsed) if parsed else ""
        if document.accepted_at is None or document.number_serial is None:
            document.number_prefix, document.number_year, document.number_serial = "", None, None
        return
    document.number_proposal = ""
    if parsed:
        document.number_prefix, document.number_year, document.number_serial = parsed
    else:
        document.number_prefix, document.number_year, document.number_serial = "", None, None


def foreign_prefix_message(prefix: str, body: Unit) -> str:
    """The refusal when a 文号's 机关代字 is not the issuing body's (D8)."""
    codes = "、".join(body.issuer_codes) or "(该单位尚未登记机关代字)"
    return f"机关代字“{prefix}”不属于发文机关{body.name},应使用{body.name}的机关代字:{codes}。"


def number_prefix_error(document: Document, number_text: str) -> str:
    """D8: the 机关代字 of a 文号 (typed or proposed) belongs to the body in whose name it is issued."""
    parsed = parse_document_number(number_text) if number_text.strip() else None
    if parsed is None:
        return ""
    body = document.issuing_body
    if parsed[0] not in body.issuer_codes:
        return foreign_prefix_message(parsed[0], body)
    return ""


def check_number_unique(document: Document) -> None:
    """One document per 文号: a clash names the document that holds it."""
    if document.number_serial is None:
        return
    clash = Document.objects.filter(
        number_prefix=document.number_prefix, number_year=document.number_year, number_serial=document.number_serial,
    ).exclude(pk=document.pk).first()
    if clash is not None:
        raise ValidationError({"document_number": f"发文字号{document.document_number}已被《{clash.title}》使用。"})


def assign_number(document: Document, number_text: str) -> None:
    """D8: the issuing office gives the number; its 机关代字 must be the issuing body's, the number free."""
    body = document.issuing_body
    if not number_text.strip() and document.number_serial is not None and document.number_prefix in body.issuer_codes:
        return  # given at an earlier acceptance (the document came back from 保密审查)
    text = number_text.strip() or document.number_proposal
    if text:
        parsed = parse_document_number(text)
        if parsed is None:
            raise ValidationError({"document_number": "发文字号格式应为“机关代字〔年份〕序号号”,例如:铜政办发〔2016〕71号。"})
        if parsed[0] not in body.issuer_codes:
            raise ValidationError({"document_number": foreign_prefix_message(parsed[0], body)})
        document.number_prefix, document.number_year, document.number_serial = parsed
        if number_text.strip() or not _number_taken(document):
            check_number_unique(document)
            return
    prefix = parsed[0] if text else body.issuer_code
    if not prefix:
        raise ValidationError({"document_number": f"{body.name}尚未登记机关代字,请在单位名录中补充后再审核通过。"})
    year = document.accepted_at.astimezone(BEIJING).year
    document.number_prefix, document.number_year = prefix, year
    document.number_serial = next_free_serial(prefix, year)


def _number_taken(document: Document) -> bool:
    return Document.objects.filter(number_prefix=document.number_prefix, number_year=document.number_year,
                                   number_serial=document.number_serial).exclude(pk=document.pk).exists()


def next_free_serial(prefix: str, year: int) -> int:
    """The next unused 序号 of a 机关代字 and year; a transaction lock keeps two acceptances apart."""
    if connection.vendor == "postgresql":  # SQLite (the local stack) serialises writers anyway
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"document-number:{prefix}:{year}"])
    last = Document.objects.filter(number_prefix=prefix, number_year=year).aggregate(last=Max("number_serial"))
    return (last["last"] or 0) + 1


def suggested_number(document: Document) -> str:
    """What the review form offers the city office: the drafter's proposal if it is still free, else the
    next free number of the issuing body's main 机关代字 (D8)."""
    body = document.issuing_body
    parsed = parse_document_number(document.number_proposal) if document.number_proposal else None
    if parsed and parsed[0] in body.issuer_codes and not Document.objects.filter(
            number_prefix=parsed[0], number_year=parsed[1], number_serial=parsed[2]).exclude(pk=document.pk).exists():
        return document.number_proposal
    if document.document_number:
        return document.document_number
    if not body.issuer_code:
        return ""
    year = timezone.localdate().year
    last = Document.objects.filter(number_prefix=body.issuer_code, number_year=year).aggregate(
        last=Max("number_serial"))["last"]
    return format_document_number(body.issuer_code, year, (last or 0) + 1)


def next_index_number(moment: datetime) -> str:
    """索引号 TCXXGK-<year>-<six digits>: one city-wide running number per year, like the seed's page."""
    year = moment.astimezone(BEIJING).year
    sequence, _ = IndexSequence.objects.select_for_update().get_or_create(year=year)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return f"TCXXGK-{year}-{sequence.last:06d}"
