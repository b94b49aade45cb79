"""Reading the State Council's notice (CLOCK4): the real notices of 2024–2026 give exactly the days the
`chinesecalendar` package carries; a notice read only in part is refused, naming the sentence."""

import chinese_calendar
import pytest

from tongchuan_portal.clock.calendar_seed import HOLIDAY_NAMES
from tongchuan_portal.clock.notice_parser import NoticeError, parse_notice
from tests.clock.notices import NOTICE_2024, NOTICE_2026, NOTICES


def _package_days(year):
    return ({(d, "holiday", HOLIDAY_NAMES[n]) for d, n in chinese_calendar.holidays.items() if d.year == year}
            | {(d, "makeup_workday", HOLIDAY_NAMES[n]) for d, n in chinese_calendar.workdays.items() if d.year == year})


@pytest.mark.parametrize("year", [2024, 2025, 2026])
def test_CLOCK4_real_notice_parses_to_exactly_the_packages_days(year):
    notice = parse_notice(NOTICES[year])
    assert notice.year == year and notice.title == f"国务院办公厅关于{year}年部分节假日安排的通知"
    assert {(d.date, d.kind, d.name) for d in notice.days} == _package_days(year)


def test_CLOCK4_notice_number_advice_and_sentences_are_kept():
    notice = parse_notice(NOTICE_2024)
    assert notice.source == "国务院办公厅关于2024年部分节假日安排的通知(国办发明电〔2023〕7号)"
    assert notice.advice == ["鼓励各单位结合带薪年休假等制度落实,安排职工在除夕(2月9日)休息。"]
    by_day = {d.date.isoformat(): d for d in notice.days}
    assert by_day["2024-02-18"].sentence == "2月4日(星期日)、2月18日(星期日)上班。"


def test_CLOCK4_notice_pasted_on_one_line_reads_the_same():
    flat = NOTICE_2026.replace("\n", "")
    assert parse_notice(flat).days == parse_notice(NOTICE_2026).days


@pytest.mark.parametrize("original, broken, sentence", [
    ("至23日", "至二十三日", "2月15日(农历腊月二十八、周日)至二十三日(农历正月初七、周一)放假调休,共9天。"),
    ("共9天", "共8天", "2月15日(农历腊月二十八、周日)至23日(农历正月初七、周一)放假调休,共8天。"),
    ("2月14日（周六）", "2月14日（周五）", "2月14日(周五)、2月28日(周六)上班。"),
    ("5月9日（周六）上班", "5月9日（周六）照常上班吧", "5月9日(周六)照常上班吧。"),
    ("6月19日", "6月31日", "6月31日(周五)至21日(周日)放假,共3天。"),
])
def test_CLOCK4_malformed_notice_is_refused_whole_naming_the_sentence(original, broken, sentence):
    with pytest.raises(NoticeError) as refused:
        parse_notice(NOTICE_2026.replace(original, broken, 1))
    assert refused.value.sentence == sentence


def test_CLOCK4_notice_without_year_or_arrangement_is_refused():
    with pytest.raises(NoticeError, match="年份"):
        parse_notice("一、元旦:1月1日放假。")
    with pytest.raises(NoticeError, match="放假安排"):
        parse_notice("国务院办公厅关于2027年部分节假日安排的通知\n节假日期间,各地区要妥善安排值班。")
    with pytest.raises(NoticeError, match="不认识的节日名称") as refused:
        parse_notice(NOTICE_2026.replace("五、端午节", "五、端阳节"))
    assert refused.value.sentence.startswith("五、端阳节")
