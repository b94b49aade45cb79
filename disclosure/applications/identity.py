"""Identity numbers an applicant gives (A1): the 18-digit resident ID (GB 11643-1999) and the 统一社会信用代码
(GB 32100-2015), each with its check character — and how staff lists mask them."""

from __future__ import annotations

import re
from datetime import date

RESIDENT_ID = re.compile(r"^\d{17}[\dX]$")
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"

CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # no I, O, S, V, Z
CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
CREDIT_CODE = re.compile(rf"^[{CREDIT_ALPHABET}]{{18}}$")


def normalize(value: str) -> str:
    return "".join((value or "").split()).upper()


def resident_id_error(value: str) -> str | None:
    """None when `value` is a valid 18-digit resident ID; else what is wrong, in Chinese."""
    value = normalize(value)
    if not RESIDENT_ID.match(value):
        return "居民身份证号码应为18位,前17位为数字,最后一位为数字或X。"
    try:
        date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return "居民身份证号码中的出生日期不正确,请核对。"
    check = ID_CHECK[sum(int(d) * w for d, w in zip(value[:17], ID_WEIGHTS)) % 11]
    if value[17] != check:
        return "居民身份证号码校验位不正确,请核对后重新填写。"
    return None


def credit_code_error(value: str) -> str | None:
    """None when `value` is a valid 统一社会信用代码; else what is wrong, in Chinese."""
    value = normalize(value)
    if not CREDIT_CODE.match(value):
        return "统一社会信用代码应为18位,由数字和大写英文字母(不含I、O、S、V、Z)组成。"
    total = sum(CREDIT_ALPHABET.index(c) * w for c, w in zip(value[:17], CREDIT_WEIGHTS))
    check = CREDIT_ALPHABET[(31 - total % 31) % 31]
    if value[17] != check:
        return "统一社会信用代码校验位不正确,请核对后重新填写。"
    return None


def mask_name(name: str) -> str:
    """张三 → 张*; 欧阳小明 → 欧***. Organisation names are not personal data, but are masked the same in lists."""
    name = (name or "").strip()
    return name[:1] + "*" * max(len(name) - 1, 1) if name else ""


def mask_number(value: str) -> str:
    """6102…1234 → 6102**********1234 (first 4 and last 4 kept)."""
    value = normalize(value)
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def mask_phone(value: str) -> str:
    value = normalize(value)
    if len(value) <= 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]
