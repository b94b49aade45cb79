"""The review-turnaround clocks, which no rule requires, are named for what they are (issue 12)."""

import importlib

from django.apps import apps

from disclosure import deadlines, services
from tests.disclosure.factories import draft
from tongchuan_portal.clock.models import Deadline
from tongchuan_portal.clock.registry import PLATFORM, get_rule, rule_label

rename = importlib.import_module("disclosure.migrations.0006_review_turnaround_rule_names")

TURNAROUND_CODES = (deadlines.SEAL_REVIEW, deadlines.UNIT_HEAD_REVIEW, deadlines.CITY_OFFICE_REVIEW,
                    deadlines.CONFIDENTIALITY_REVIEW)


def test_turnaround_clocks_cite_no_rule_and_read_as_set_by_the_platform():
    for code in TURNAROUND_CODES:
        rule = get_rule(code)
        assert code.startswith("review.turnaround.")
        assert rule.rule_id == deadlines.TURNAROUND and rule.source == PLATFORM
        assert rule_label(rule).startswith(rule.title + "(本平台设定,") and rule.title.endswith("办理时限")


def test_a_submission_starts_the_renamed_clock(world):
    document = draft(world.clerk, world.fgw)
    services.document_submit(document=document, by=world.clerk)
    clock = document.deadlines.get()
    assert (clock.rule, clock.rule_id) == (deadlines.UNIT_HEAD_REVIEW, deadlines.TURNAROUND)


def test_migration_renames_stored_clocks_and_their_history_and_back(world):
    document = draft(world.clerk, world.fgw)
    services.document_submit(document=document, by=world.clerk)
    clock = document.deadlines.get()
    Deadline.objects.filter(pk=clock.pk).update(rule="disclosure.unit_head_review", rule_id="D1")
    Deadline.history.filter(id=clock.pk).update(rule="disclosure.unit_head_review", rule_id="D1")

    rename.forwards(apps, None)
    clock.refresh_from_db()
    assert (clock.rule, clock.rule_id) == (deadlines.UNIT_HEAD_REVIEW, deadlines.TURNAROUND)
    assert set(Deadline.history.filter(id=clock.pk).values_list("rule", flat=True)) == {deadlines.UNIT_HEAD_REVIEW}

    rename.backwards(apps, None)
    clock.refresh_from_db()
    assert (clock.rule, clock.rule_id) == ("disclosure.unit_head_review", "D1")
