"""Audit history for Django's own user and group models (django-simple-history)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from simple_history import register

register(get_user_model(), app="tongchuan_portal.core", table_name="core_historicaluser")
register(Group, app="tongchuan_portal.core", table_name="core_historicalgroup")
