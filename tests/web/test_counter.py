"""阅读数 flushes exactly once, wherever the flush is killed (hardening, issue 11 item 14)."""

import pytest

from disclosure import counter
from disclosure.models import Document
from tongchuan_portal.core.models import AppliedBatch
from tests.disclosure.conftest import world  # noqa: F401  (fixture)
from tests.disclosure.factories import publish


class Killed(BaseException):
    """Stands for SIGKILL at one exact point: nothing after it runs."""


@pytest.fixture
def read_three_times(client, world):  # noqa: F811
    document = publish(world, title="阅读数")
    counter.flush_views()
    for _ in range(3):
        client.get(document.get_public_url())
    return document


def _views(document) -> int:
    return Document.objects.get(pk=document.pk).view_count


def test_hardening_flush_killed_between_commit_and_delete_counts_once(read_three_times, monkeypatch):
    document = read_three_times
    redis = counter._redis()

    def killed(*keys):
        raise Killed

    monkeypatch.setattr(redis, "delete", killed)
    with pytest.raises(Killed):
        counter.flush_views()
    assert _views(document) == 3  # committed
    monkeypatch.undo()
    assert counter.flush_views() == 0  # the claimed batch is in the ledger: only deleted now
    assert _views(document) == 3
    assert not redis.exists(counter._key("flushing"))
    assert counter.flush_views() == 0 and _views(document) == 3


def test_hardening_flush_killed_before_commit_applies_the_batch_next_time(read_three_times, monkeypatch):
    document = read_three_times
    redis = counter._redis()
    monkeypatch.setattr(AppliedBatch.objects, "create", lambda **kw: (_ for _ in ()).throw(Killed()))
    with pytest.raises(Killed):
        counter.flush_views()
    assert _views(document) == 0 and redis.exists(counter._key("flushing"))  # claimed, not applied
    monkeypatch.undo()
    assert counter.flush_views() == 3
    assert _views(document) == 3 and counter.flush_views() == 0


def test_hardening_readings_during_a_stuck_batch_are_kept_for_the_next(client, read_three_times, monkeypatch):
    document = read_three_times
    redis = counter._redis()
    monkeypatch.setattr(redis, "delete", lambda *keys: (_ for _ in ()).throw(Killed()))
    with pytest.raises(Killed):
        counter.flush_views()
    monkeypatch.undo()
    client.get(document.get_public_url())  # a new reading goes to a fresh pending hash
    assert counter.flush_views() == 0  # reconciles the stuck batch
    assert counter.flush_views() == 1
    assert _views(document) == 4
