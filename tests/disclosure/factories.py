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
