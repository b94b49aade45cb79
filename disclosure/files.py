"""Attachment checks by content, not by name: a renamed executable is not a PDF."""

import hashlib
import io
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
EXTENSIONS = {
    "pdf": {"pdf"}, "ofd": {"ofd"}, "doc": {"doc"}, "docx": {"docx"}, "xls": {"xls"}, "xlsx": {"xlsx"},
    "jpg": {"jpg", "jpeg"}, "png": {"png"},
}
CONTENT_TYPES = {
    "pdf": "application/pdf", "ofd": "application/ofd", "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xls": "application/vnd.ms-excel", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "jpg": "image/jpeg", "png": "image/png",
}
ALLOWED_TEXT = "PDF、OFD、DOC/DOCX、XLS/XLSX、JPG、PNG"


def detect_type(data: bytes) -> str | None:
    """The file's real type from its bytes, or None when it is none we accept."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(OLE2_MAGIC):
        if "WordDocument".encode("utf-16-le") in data:
            return "doc"
        if "Workbook".encode("utf-16-le") in data or "Book".encode("utf-16-le") in data:
            return "xls"
        return None
    if data.startswith(b"PK\x03\x04"):
        try:
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        except zipfile.BadZipFile:
            return None
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
        if "OFD.xml" in names:
            return "ofd"
    return None


def check_upload(uploaded) -> tuple[str, bytes, str]:
    """Validate an uploaded file; returns (type, bytes, sha256) or raises a ValidationError in Chinese."""
    name = uploaded.name or ""
    limit = settings.DISCLOSURE_MAX_ATTACHMENT_MB * 1024 * 1024
    if uploaded.size > limit:
        raise ValidationError(f"附件“{name}”超过 {settings.DISCLOSURE_MAX_ATTACHMENT_MB} MB 的大小限制。")
    if uploaded.size == 0:
        raise ValidationError(f"附件“{name}”是空文件。")
    data = uploaded.read()
    kind = detect_type(data)
    if kind is None:
        raise ValidationError(f"附件“{name}”不是可接受的文件类型。只能上传 {ALLOWED_TEXT} 文件。")
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in EXTENSIONS[kind]:
        raise ValidationError(f"附件“{name}”的内容是 {kind.upper()} 文件,与扩展名不符,请核对后重新上传。")
    return kind, data, hashlib.sha256(data).hexdigest()
