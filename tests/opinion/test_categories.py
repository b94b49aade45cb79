"""O2: a case is filed under one of the six focus categories (and, where one applies, a special topic);
anything else is refused with a Chinese message and nothing is recorded."""

import pytest
from django.core.exceptions import ValidationError

from opinion.models import Category, OpinionCase, SpecialTopic
from tests.opinion.factories import officer, record

pytestmark = pytest.mark.usefixtures("calendar")


def test_O2_each_of_the_six_focus_categories_is_recorded_with_its_label(tongchuan_units):
    office = officer(tongchuan_units["szfb"])
    assert len(Category.choices) == 6
    for value, label in Category.choices:
        case = record(office, title=f"舆情:{label}", category=value, special_topic=SpecialTopic.TWO_SESSIONS)
        case.refresh_from_db()
        assert case.category == value and case.get_category_display() == label
        assert case.get_special_topic_display() == "两会"


@pytest.mark.parametrize("field, value", [("category", "gossip"), ("category", ""), ("special_topic", "weather")])
def test_O2_a_category_or_topic_outside_the_list_is_refused_and_nothing_is_recorded(tongchuan_units, field, value):
    office = officer(tongchuan_units["szfb"])
    with pytest.raises(ValidationError) as error:
        record(office, **{field: value})
    assert field in error.value.message_dict and "请选择" in error.value.message_dict[field][0]
    assert not OpinionCase.objects.exists()
