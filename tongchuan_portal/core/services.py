"""Writes that belong to no single app."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model


def system_user():
    """The named account that tasks act as, so history says "系统" rather than nobody.

    Created by migration ``core.0001_system_user``; made again here for tests that flush tables.
    """
    user, _ = get_user_model().objects.get_or_create(
        username=settings.SYSTEM_USERNAME,
        defaults={"first_name": "系统", "is_active": False, "password": "!"},
    )
    return user
