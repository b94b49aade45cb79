"""Documents made through the real services, as each role would."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

from disclosure import services
from disclosure.models import DisclosureAttribute, DocumentKind, FiveDisclosure, IssuedInNameOf, LegalBasis

PDF_BYTES = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def pdf(name="附件.pdf", data=PDF_BYTES):
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def docx(name="说明.docx"):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return SimpleUploadedFile(name, buffer.getvalue())


def document_data(**overrides):
    data = {
        "title": "关于进一步做好政务公开工作的通知", "kind": DocumentKind.OTHER,
        "issued_in_name_of": IssuedInNameOf.OWN_UNIT, "area": FiveDisclosure.DECISION, "topic": "general",
        "written_on": None, "attribute": DisclosureAttribute.PROACTIVE, "legal_basis": "", "attribute_reason": "",
        "body": "<p>正文第一段。</p>", "source": "", "web_editor": "", "info_reviewer": "",
    }
    data.update(overrides)
    return data


def not_public(**overrides):
    return document_data(attribute=DisclosureAttribute.NOT_PUBLIC, legal_basis=LegalBasis.PROCESS_INFO,
                         attribute_reason="本文件为内部研究过程中形成的过程性信息。", **overrides)


def draft(clerk, unit, *, number="", co_issuers=(), files=(), **overrides):
    return services.document_create(by=clerk, issuer=unit, data=document_data(**overrides), number_text=number,
                                    co_issuers=co_issuers, files=files)


def publish(world, *, title="关于进一步做好政务公开工作的通知", number="", area="decision", topic="general",
            body="<p>各区县人民政府:为推进政务公开,现通知如下。</p>", co_issuers=(), files=(), clerk=None, unit=None):
    """A document filed, accepted and cleared through the real services: public."""
    clerk, unit = clerk or world.clerk, unit or world.fgw
    head = world.head if unit == world.fgw else world.other_head
    secrecy = world.secrecy if unit == world.fgw else world.other_secrecy
    document = services.document_create(by=clerk, issuer=unit, data=document_data(
        title=title, area=area, topic=topic, body=body), number_text=number, co_issuers=co_issuers, files=files)
    services.document_submit(document=document, by=clerk)
    services.document_accept(document=document, by=head)
    return services.confidentiality_decide(document=document, cleared=True, opinion="", by=secrecy)


def seed_notice(world):
    """铜政办发〔2016〕71号 as the city published it (the seed's own metadata)."""
    from datetime import date, datetime

    from tongchuan_portal.clock.workdays import BEIJING
    from tongchuan_portal.core.selectors import system_user

    return services.document_import_published(
        by=system_user(), issuer=world.szfb, number_text="铜政办发〔2016〕71号",
        published_at=datetime(2016, 12, 30, 16, 17, tzinfo=BEIJING), index_number="TCXXGK-2016-026432",
        data={"title": "铜川市人民政府办公室关于进一步推进政务公开有关工作的通知", "kind": DocumentKind.POLICY,
              "issued_in_name_of": IssuedInNameOf.CITY_OFFICE, "area": "decision", "topic": "general",
              "written_on": date(2016, 12, 28), "attribute": "proactive", "source": "铜川市人民政府办公室",
              "web_editor": "机要科", "info_reviewer": "机要科",
              "body": "<p>围绕决策、执行、管理、服务和结果“五公开”,现就有关事项通知如下。</p>"},
        files=[pdf("铜政办发〔2016〕71号.pdf")])
