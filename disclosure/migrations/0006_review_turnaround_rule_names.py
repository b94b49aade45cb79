"""The review-turnaround clocks are renamed to what they are (``review.turnaround.*``, rule ID ``TURNAROUND``):
no rule requires them, so they no longer cite D1, D3, D5 or D7. Stored deadlines and their history rows follow,
so every clock keeps resolving to its rule and its name."""

from django.db import migrations

RENAMES = {
    "disclosure.seal_review": ("review.turnaround.seal_review", "D3"),
    "disclosure.unit_head_review": ("review.turnaround.unit_head", "D1"),
    "disclosure.city_office_review": ("review.turnaround.city_office", "D5"),
    "disclosure.confidentiality_review": ("review.turnaround.confidentiality", "D7"),
}
TURNAROUND = "TURNAROUND"


def forwards(apps, schema_editor):
    for model in ("Deadline", "HistoricalDeadline"):
        Deadline = apps.get_model("clock", model)
        for old, (new, _) in RENAMES.items():
            Deadline.objects.filter(rule=old).update(rule=new, rule_id=TURNAROUND)


def backwards(apps, schema_editor):
    for model in ("Deadline", "HistoricalDeadline"):
        Deadline = apps.get_model("clock", model)
        for old, (new, rule_id) in RENAMES.items():
            Deadline.objects.filter(rule=new).update(rule=old, rule_id=rule_id)


class Migration(migrations.Migration):

    dependencies = [
        ("disclosure", "0005_merge_issuing_body_and_office_words"),
        ("clock", "0004_merge_calendar_change_and_seed"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
