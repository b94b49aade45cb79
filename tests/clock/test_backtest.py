"""The back-test of the provisional calendar (CLOCK4): 2025 and 2026 treated as unpublished in turn."""

from io import StringIO

import pytest
from django.core.management import call_command

from tongchuan_portal.clock import workdays
from tongchuan_portal.clock.backtest import backtest_entered_calendar

pytestmark = pytest.mark.usefixtures("calendar")


def test_CLOCK4_backtest_2025_and_2026_are_at_least_90_percent_exact_and_never_more_than_2_days_off():
    scores = backtest_entered_calendar(years=[2025, 2026], methods=(workdays.PREDICTED,))
    assert {(s.year, s.days) for s in scores} == {(2025, 7), (2025, 20), (2026, 7), (2026, 20)}
    for score in scores:
        assert score.starts in (365,) and score.share_exact >= 0.9 and score.worst <= 2, score


def test_CLOCK4_backtest_shows_what_each_part_of_the_prediction_brings():
    scores = {(s.year, s.method, s.days): s for s in backtest_entered_calendar(years=[2026])}
    for n in (7, 20):
        fixed, statutory, predicted = (scores[(2026, m, n)] for m in
                                       (workdays.FIXED_DATES, workdays.STATUTORY_ONLY, workdays.PREDICTED))
        assert fixed.share_exact < statutory.share_exact < predicted.share_exact
        assert fixed.worst > 2 >= predicted.worst


def test_CLOCK4_backtest_command_prints_every_year_method_and_length():
    out = StringIO()
    call_command("backtest_calendar", stdout=out)
    text = out.getvalue()
    print(text)
    assert "法定节假日+调休惯例推算" in text and "法定节假日(农历推算,不调休)" in text
    assert text.count("2025") == 6 and text.count("2026") == 6
