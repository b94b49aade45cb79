"""`manage.py generate_documents` (issue 5, item 8): data for scale that behaves like real data."""

import io
import re

import pytest
from django.core.management import call_command
from django.utils.html import strip_tags

from disclosure import search
from disclosure.demo.vocabulary import SUBJECTS
from disclosure.models import Document, IndexSequence
from disclosure.selectors import public_documents

pytestmark = pytest.mark.django_db


def generate(count, seed):
    out = io.StringIO()
    call_command("generate_documents", str(count), "--seed", str(seed), "--batch", "8", stdout=out)
    return out.getvalue()


def test_generates_published_public_documents_with_numbers_and_history(tongchuan_units, calendar):
    output = generate(30, seed=7)

    documents = list(public_documents().select_related("issuer"))
    assert len(documents) == 30
    assert "30/30" in output and "完成:30 篇公文" in output
    numbers = [d.document_number for d in documents]
    assert all(numbers) and len(set(numbers)) == 30
    assert all(d.number_prefix == d.issuer.issuer_code for d in documents)
    index_numbers = [d.index_number for d in documents]
    assert len(set(index_numbers)) == 30
    assert all(re.fullmatch(r"TCXXGK-20\d\d-\d{6}", n) for n in index_numbers)
    for document in documents:
        assert 2016 <= document.published_at.year <= 2026
        assert document.written_on < document.published_at.date()
        assert document.confidentiality_cleared_at is not None
        assert document.source == document.issuer.name and document.publisher_id == document.issuer_id
        assert 300 <= len(strip_tags(document.body)) <= 1200
    history = Document.history.filter(history_type="+")
    assert history.count() == 30
    assert set(history.values_list("id", flat=True)) == {d.pk for d in documents}
    assert {h.history_user.username for h in history.select_related("history_user")} == {"system"}


def test_a_second_run_continues_numbers_and_index_sequence(tongchuan_units, calendar):
    generate(20, seed=1)
    generate(20, seed=1)  # same seed, same units and years: the serials must move on

    documents = list(Document.objects.all())
    assert len(documents) == 40
    assert len({d.document_number for d in documents}) == 40
    assert len({d.index_number for d in documents}) == 40
    for sequence in IndexSequence.objects.all():
        used = [int(d.index_number.rsplit("-", 1)[1]) for d in documents
                if d.index_number.startswith(f"TCXXGK-{sequence.year}-")]
        assert sequence.last == max(used)


def test_search_vectors_are_those_search_reindex_stores(tongchuan_units, calendar):
    generate(10, seed=3)

    stored = dict(Document.objects.values_list("pk", "search_vector"))
    titles = dict(Document.objects.values_list("pk", "search_title"))
    search.reindex(list(Document.objects.all()))
    assert dict(Document.objects.values_list("pk", "search_vector")) == stored
    assert dict(Document.objects.values_list("pk", "search_title")) == titles
    assert all(stored.values())


def test_public_search_finds_a_generated_document_by_a_word_of_its_title(tongchuan_units, calendar, client):
    generate(30, seed=11)

    documents = list(public_documents())
    texts = {d.pk: d.title + strip_tags(d.body) for d in documents}
    # A subject word from some title that few documents contain, so it is on the first results page;
    # plain words of up to four characters, which the search matches as the whole word or phrase.
    words = [subject for subject, _ in SUBJECTS if re.fullmatch(r"[\u4e00-\u9fff]{2,4}", subject)]
    target, word = min(
        ((d, subject) for d in documents for subject in words if subject in d.title),
        key=lambda pair: sum(pair[1] in text for text in texts.values()),
    )
    response = client.get("/xxgk/search/", {"q": word})

    assert response.status_code == 200
    found = [r.document.pk for r in response.context["result"].results]
    assert target.pk in found
    assert set(found) <= {pk for pk, text in texts.items() if word in text}
