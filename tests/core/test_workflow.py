"""The shared workflow helpers: one transition check, one save-with-history, one form bridge, special units."""

import pytest
from django import forms
from django.core.exceptions import ValidationError

from tongchuan_portal.core.forms import apply_service_error
from tongchuan_portal.core.workflow import check_transition, move, save_with_history
from tongchuan_portal.units.models import SpecialUnit, Unit
from tongchuan_portal.units.selectors import special_unit, special_unit_id

pytestmark = pytest.mark.django_db


def test_move_refuses_a_transition_the_map_does_not_allow_and_leaves_the_row_alone():
    from disclosure.models import TRANSITIONS, Status

    class Row:
        status = Status.DRAFT

    row = Row()
    allowed = next(iter(TRANSITIONS[Status.DRAFT]))
    move(row, allowed, TRANSITIONS, what="公文")
    assert row.status == allowed
    forbidden = Status.PUBLISHED if Status.PUBLISHED not in TRANSITIONS[Status(row.status)] else Status.DRAFT
    before = row.status
    with pytest.raises(ValidationError) as exc:
        move(row, forbidden, TRANSITIONS, what="公文")
    assert row.status == before
    assert exc.value.messages[0].startswith("公文当前为“")
    assert "不能改为" in exc.value.messages[0]


def test_check_transition_names_unknown_current_status_plainly():
    from disclosure.models import TRANSITIONS

    with pytest.raises(ValidationError, match="不能改为"):
        check_transition(TRANSITIONS, "no-such-status", "draft", what="公文")


def test_save_with_history_records_who_and_why(tongchuan_units):
    from tongchuan_portal.core.services import system_user

    unit = tongchuan_units["szfb"]
    unit.short_name = "市府办"
    save_with_history(unit, by=system_user(), reason="测试更名", fields=["short_name"])
    last = unit.history.first()
    assert last.short_name == "市府办"
    assert last.history_change_reason == "测试更名"
    assert last.history_user_id == system_user().pk


def test_special_units_resolve_by_office_not_by_code(tongchuan_units):
    assert special_unit(SpecialUnit.CITY_OFFICE).pk == tongchuan_units["szfb"].pk
    assert special_unit_id(SpecialUnit.PROPAGANDA) is not None
    assert Unit.objects.filter(special=SpecialUnit.SECRECY).count() == 1


def test_apply_service_error_puts_field_errors_on_fields_and_the_rest_on_top():
    class F(forms.Form):
        title = forms.CharField()

    form = F({"title": "x"})
    assert form.is_valid()
    apply_service_error(form, ValidationError({"title": "标题重复。", "other": "别的问题。"}))
    assert form.errors["title"] == ["标题重复。"]
    assert form.non_field_errors() == ["别的问题。"]
    form = F({"title": "x"})
    form.is_valid()
    apply_service_error(form, ValidationError("整体不行。"))
    assert form.non_field_errors() == ["整体不行。"]
