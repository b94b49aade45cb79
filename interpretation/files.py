"""Graphic uploads are checked by content, not by name: only real PNG or JPEG images pass."""

from django.conf import settings
from django.core.exceptions import ValidationError

EXTENSIONS = {"png": {"png"}, "jpg": {"jpg", "jpeg"}}
CONTENT_TYPES = {"png": "image/png", "jpg": "image/jpeg"}


def max_image_mb() -> int:
    return getattr(settings, "INTERPRETATION_MAX_IMAGE_MB", 10)


def detect_image(data: bytes) -> str | None:
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg"
    return None


def check_image(uploaded) -> tuple[str, bytes]:
    """(type, bytes) of a valid PNG/JPEG upload, or a ValidationError in Chinese."""
    name = uploaded.name or ""
    if uploaded.size > max_image_mb() * 1024 * 1024:
        raise ValidationError({"image": f"图片“{name}”超过 {max_image_mb()} MB 的大小限制。"})
    data = uploaded.read()
    kind = detect_image(data)
    if kind is None:
        raise ValidationError({"image": f"“{name}”不是 PNG 或 JPEG 图片,请上传 PNG 或 JPEG 格式的图解。"})
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in EXTENSIONS[kind]:
        raise ValidationError({"image": f"“{name}”的内容是 {kind.upper()} 图片,与扩展名不符,请核对后重新上传。"})
    return kind, data
