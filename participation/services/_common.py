"""Helpers every participation service shares: plain-text cleaning and refusals."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError


def clean_text(value: str | None, *, field: str, label: str, max_chars: int, required: bool = True) -> str:
    """Plain text, kept as typed ("PM2.5 <b and a> 50" stays whole): trimmed, the length limit enforced.

    Nothing is stripped: every template that shows it escapes it (autoescape, never `|safe`).
    """
    text = (value or "").replace("\r\n", "\n").strip()
    if required and not text:
        raise ValidationError({field: f"请填写{label}。"})
    if len(text) > max_chars:
        raise ValidationError({field: f"{label}不能超过{max_chars}字(当前{len(text)}字)。"})
    return text


def _deny(message: str = "您没有权限执行此操作。"):
    raise PermissionDenied(message)


def _system_user() -> User:
    from tongchuan_portal.core.selectors import system_user

    return system_user()
