"""How good the provisional calendar is: each published year since the 2024 revision treated in turn as
unpublished, and every deadline started in it compared with the real schedule (CLOCK4).

For each start day of the year and each length, the provisional due day is compared with the real one;
the error is counted in working days of the real calendar. Years after the one tested are treated
alike on both sides (provisional in both), so only the tested year's schedule makes a difference.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from . import holidays, workdays

LENGTHS = (7, 20)
METHODS = {
    workdays.FIXED_DATES: "周末和固定日期节假日(原做法)",
    workdays.STATUTORY_ONLY: "法定节假日(农历推算,不调休)",
    workdays.PREDICTED: "法定节假日+调休惯例推算",
}


@dataclass(frozen=True)
class Score:
    year: int
    method: str
    days: int
    starts: int
    exact: int
    worst: int  # working days, the largest error either way

    @property
    def share_exact(self) -> float:
        return self.exact / self.starts if self.starts else 1.0


def _due(cal: workdays._Calendar, start: date, n: int) -> date:
    return date.fromordinal(cal.workday_ordinals[cal.cumulative[cal.index(start)] + n - 1])


def published_years(confirmed_years) -> list[int]:
    return sorted(y for y in confirmed_years if y >= holidays.REVISION_2024)


def backtest(holiday_days: dict[date, str], makeup_days: dict[date, str], confirmed_years: set[int],
             *, years=None, lengths=LENGTHS, methods=tuple(METHODS)) -> list[Score]:
    """Scores per tested year, method and length. Inputs are the calendar as entered (dates → names)."""
    confirmed_years = set(confirmed_years)
    last_year = max(confirmed_years) + 3
    scores = []
    for year in years or published_years(confirmed_years):
        hidden_h = {d: n for d, n in holiday_days.items() if d.year != year}
        hidden_m = {d: n for d, n in makeup_days.items() if d.year != year}
        for method in methods:
            real = workdays._Calendar(holiday_days, makeup_days, confirmed_years, provisional=method,
                                      last_year=last_year)
            guess = workdays._Calendar(hidden_h, hidden_m, confirmed_years - {year}, provisional=method,
                                       last_year=last_year)
            for n in lengths:
                exact = worst = starts = 0
                day = date(year, 1, 1)
                while day.year == year:
                    truth, guessed = _due(real, day, n), _due(guess, day, n)
                    error = abs(real.cumulative[real.index(guessed)] - real.cumulative[real.index(truth)])
                    exact += truth == guessed
                    worst = max(worst, error)
                    starts += 1
                    day += timedelta(days=1)
                scores.append(Score(year, method, n, starts, exact, worst))
    return scores


def backtest_entered_calendar(**kwargs) -> list[Score]:
    """The back-test over the calendar as entered in the database."""
    from .models import CalendarYear, OfficialDay

    holiday_days, makeup_days = {}, {}
    for day, kind, name in OfficialDay.objects.values_list("date", "kind", "name"):
        (makeup_days if kind == OfficialDay.Kind.MAKEUP_WORKDAY else holiday_days)[day] = name
    confirmed = set(CalendarYear.objects.filter(confirmed=True).values_list("year", flat=True))
    return backtest(holiday_days, makeup_days, confirmed, **kwargs)
