"""公文时效 (D8): a published document is marked 失效 or 废止 with a date and a reason, through the one service."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from disclosure import services
from disclosure.models import Document, Validity
from tests.disclosure.factories import publish


def _unchanged(document: Document) -> bool:
    document.refresh_from_db()
    return (document.validity, document.validity_changed_on, document.repealed_by_id) == (Validity.VALID, None, None)


def test_D8_head_marks_a_published_document_expired_with_date_and_reason(world):
    document = publish(world)
    changed = services.document_change_validity(document=document, validity=Validity.EXPIRED, on=date(2026, 6, 30),
                                                reason="有效期届满", by=world.head)
    changed.refresh_from_db()
    assert (changed.validity, changed.validity_changed_on) == (Validity.EXPIRED, date(2026, 6, 30))
    latest = changed.history.first()
    assert latest.history_user == world.head
    assert latest.history_change_reason == "公文时效变更为失效:有效期届满"


def test_D8_repeal_names_the_repealing_document(world):
    old, new = publish(world, title="旧办法"), publish(world, title="新办法")
    with pytest.raises(ValidationError) as refused:
        services.document_change_validity(document=old, validity=Validity.REPEALED, on=date(2026, 6, 30),
                                          reason="已被新办法废止", by=world.head)
    assert "repealed_by" in refused.value.message_dict and _unchanged(old)
    services.document_change_validity(document=old, validity=Validity.REPEALED, on=date(2026, 6, 30),
                                      reason="已被新办法废止", by=world.head, repealed_by=new)
    old.refresh_from_db()
    assert (old.validity, old.repealed_by_id) == (Validity.REPEALED, new.pk)


@pytest.mark.parametrize("validity, reason, field", [
    (Validity.EXPIRED, "  ", "reason"),
    ("obsolete", "理由", "validity"),
])
def test_D8_validity_change_refuses_bad_input_and_changes_nothing(world, validity, reason, field):
    document = publish(world)
    with pytest.raises(ValidationError) as refused:
        services.document_change_validity(document=document, validity=validity, on=date(2026, 6, 30), reason=reason,
                                          by=world.head)
    assert field in refused.value.message_dict and _unchanged(document)


@pytest.mark.parametrize("who", ["clerk", "other_head"])
def test_D8_only_the_issuing_units_head_changes_validity(world, who):
    document = publish(world)
    with pytest.raises(PermissionDenied):
        services.document_change_validity(document=document, validity=Validity.EXPIRED, on=date(2026, 6, 30),
                                          reason="有效期届满", by=getattr(world, who))
    assert _unchanged(document)
