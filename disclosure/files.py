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
NAME_MAX_LENGTH = 200  # Attachment.original_name


class ZipBomb(ValueError):
    """A zip container (DOCX, XLSX, OFD) that would inflate past the limits."""


def _zip_names(data: bytes) -> set[str]:
    """The entry names of a zip container, refusing one too large once inflated (zip bomb).

    The declared sizes are checked first; the entries are then inflated in
    chunks, counting real bytes, so a header that lies about its size is caught
    as soon as the real total passes the limit.
    """
    max_bytes = settings.DISCLOSURE_MAX_UNZIPPED_MB * 1024 * 1024
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        entries = archive.infolist()
        if len(entries) > settings.DISCLOSURE_MAX_ZIP_ENTRIES:
            raise ZipBomb("too many entries")
        if sum(entry.file_size for entry in entries) > max_bytes:
            raise ZipBomb("declared size too large")
        total = 0
        for entry in entries:
            with archive.open(entry) as stream:
                while chunk := stream.read(1024 * 1024):
                    total += len(chunk)
                    if total > max_bytes:
                        raise ZipBomb("inflated size too large")
        return {entry.filename for entry in entries}


def display_name(name: str, limit: int = NAME_MAX_LENGTH) -> str:
    """The uploader's file name cut to `limit` characters, keeping its extension (".docx")."""
    name = (name or "").replace("\x00", "")
    if len(name) <= limit:
        return name
    stem, dot, extension = name.rpartition(".")
    if not dot or not stem or len(extension) > 10:
        return name[:limit]
    return stem[:limit - len(extension) - 1] + "." + extension


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
            names = _zip_names(data)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError, RuntimeError):
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
    try:
        kind = detect_type(data)
    except ZipBomb:
        raise ValidationError(
            f"附件“{name}”解压后超过 {settings.DISCLOSURE_MAX_UNZIPPED_MB} MB 或包含的文件过多,"
            "不像正常的办公文档,请核对后重新上传。"
        ) from None
    if kind is None:
        raise ValidationError(f"附件“{name}”不是可接受的文件类型。只能上传 {ALLOWED_TEXT} 文件。")
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in EXTENSIONS[kind]:
        raise ValidationError(f"附件“{name}”的内容是 {kind.upper()} 文件,与扩展名不符,请核对后重新上传。")
    return kind, data, hashlib.sha256(data).hexdigest()
