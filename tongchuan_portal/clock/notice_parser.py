"""Reading 国务院办公厅关于<year>年部分节假日安排的通知 as published (CLOCK4).

The notice is a handful of numbered lines, one per festival, each a few sentences:

    二、春节:2月15日(农历腊月二十八、周日)至23日(农历正月初七、周一)放假调休,共9天。
    2月14日(周六)、2月28日(周六)上班。

A sentence either gives rest days (“…放假…”) or make-up working days (“…上班”), or it is advice
(“鼓励…”), which sets no day; words with no date, no 放假 and no 上班 end the line (the closing
paragraph of a notice pasted without line breaks). Everything else in a festival's line is refused: the parser either
reads the whole notice or names the sentence it could not read, so nothing is ever entered half.
The weekdays and day counts the notice prints are checked against the dates, which catches a
mistyped date. Nothing here touches the database.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta

from .holidays import FESTIVALS, HOLIDAY, MAKEUP_WORKDAY, statutory_festivals

WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
ORDINAL = "一二三四五六七八九十"

_DATE = r"(?:(?P<{p}y>\d{{4}})年)?(?P<{p}m>\d{{1,2}})月(?P<{p}d>\d{{1,2}})日"
_END = r"(?:(?:(?P<ey>\d{4})年)?(?P<em>\d{1,2})月)?(?P<ed>\d{1,2})日"
_NOTE = r"(?:\((?P<{p}note>[^()]*)\))?"
HOLIDAY_SENTENCE = re.compile(
    "^" + _DATE.format(p="s") + _NOTE.format(p="s") + "(?:至" + _END + _NOTE.format(p="e") + ")?"
    + r"放假(?:调休)?(?:,?共?(?P<n>\d+)天)?(?:,(?:不调休|与周末连休))?$"
)
MAKEUP_ITEM = re.compile("^" + _DATE.format(p="s") + _NOTE.format(p="s") + "$")
FESTIVAL_LINE = re.compile(rf"^([{ORDINAL}]{{1,2}})、([^:]{{1,30}}):(.*)$")
YEAR = re.compile(r"关于(\d{4})年部分节假日安排|现将(\d{4})年")
DOCUMENT_NUMBER = re.compile(r"国办发明电〔\d{4}〕\d+号")


class NoticeError(ValueError):
    """The notice could not be read completely; `sentence` is the part that could not be read."""

    def __init__(self, message: str, sentence: str = ""):
        super().__init__(message)
        self.message = message
        self.sentence = sentence


@dataclass(frozen=True)
class NoticeDay:
    date: date
    kind: str  # holidays.HOLIDAY or holidays.MAKEUP_WORKDAY
    name: str
    sentence: str


@dataclass
class Notice:
    year: int
    title: str
    document_number: str = ""
    days: list[NoticeDay] = field(default_factory=list)
    advice: list[str] = field(default_factory=list)  # sentences read and set aside (“鼓励…”)

    @property
    def source(self) -> str:
        """What the calendar records as the source of each day: the title, and the number when given."""
        return f"{self.title}({self.document_number})" if self.document_number else self.title


def notice_title(year: int) -> str:
    return f"国务院办公厅关于{year}年部分节假日安排的通知"


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)  # full-width :(), → ASCII, as the regexes expect
    text = text.replace("\u3000", " ").replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("〜", "至").replace("~", "至")
    # A notice pasted without its line breaks: each numbered festival starts a line again.
    text = re.sub(rf"(?<=[。;])\s*(?=[{ORDINAL}]{{1,2}}、[^:\n]{{1,30}}:)", "\n", text)
    return text


def _check_note(day: date, note: str | None, sentence: str) -> None:
    for token in (note or "").replace(",", "、").split("、"):
        token = token.strip()
        match = re.fullmatch(r"(?:周|星期)([一二三四五六日天])", token)
        if match and WEEKDAYS[match.group(1)] != day.weekday():
            weekday = "一二三四五六日"[day.weekday()]
            raise NoticeError(f"{day.month}月{day.day}日是周{weekday},通知中写的是“{token}”,请核对日期。", sentence)


def _make_date(year: int, month: int, day: int, sentence: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise NoticeError(f"没有{year}年{month}月{day}日这一天。", sentence) from None


def _holiday_days(match: re.Match, year: int, sentence: str) -> list[date]:
    start_year = int(match["sy"] or year)
    start = _make_date(start_year, int(match["sm"]), int(match["sd"]), sentence)
    _check_note(start, match["snote"], sentence)
    end = start
    if match["ed"]:
        end = _make_date(int(match["ey"] or start_year), int(match["em"] or start.month), int(match["ed"]), sentence)
        _check_note(end, match["enote"], sentence)
    if end < start or (end - start).days > 20:
        raise NoticeError("放假的起止日期不成立。", sentence)
    span = (end - start).days + 1
    if match["n"] and int(match["n"]) != span:
        raise NoticeError(f"起止日期共{span}天,通知中写的是共{match['n']}天,请核对。", sentence)
    return [start + timedelta(days=i) for i in range(span)]


def _makeup_days(body: str, year: int, sentence: str) -> list[date]:
    days = []
    for item in re.split(r"、(?![^()]*\))", body):
        match = MAKEUP_ITEM.match(item.strip())
        if not match:
            raise NoticeError("无法读出上班的日期。", sentence)
        day = _make_date(int(match["sy"] or year), int(match["sm"]), int(match["sd"]), sentence)
        _check_note(day, match["snote"], sentence)
        days.append(day)
    return days


def _split_heading(heading: str, line: str) -> list[str]:
    names = [name.strip() for name in heading.split("、")]
    unknown = [name for name in names if name not in FESTIVALS]
    if unknown:
        raise NoticeError(f"不认识的节日名称“{'、'.join(unknown)}”。", line)
    return names


def parse_notice(text: str) -> Notice:
    """The days a notice sets, or NoticeError naming the first sentence that cannot be read."""
    text = _normalise(text or "")
    if not text.strip():
        raise NoticeError("请粘贴通知全文。")
    found = YEAR.search(text.replace(" ", ""))
    if not found:
        raise NoticeError("未能从通知中读出年份:请粘贴含标题或“现将××××年……通知如下”一句的全文。")
    year = int(found.group(1) or found.group(2))
    number = DOCUMENT_NUMBER.search(text.replace(" ", ""))
    notice = Notice(year=year, title=notice_title(year), document_number=number.group(0) if number else "")
    statutory = statutory_festivals(year) if year >= 2000 else {}
    seen: dict[date, NoticeDay] = {}
    lines = 0
    for raw in text.split("\n"):
        line = raw.strip().replace(" ", "")
        match = FESTIVAL_LINE.match(line)
        if not match:
            if re.match(rf"^[{ORDINAL}]{{1,2}}、", line):
                raise NoticeError("这一行没有“节日名称:”的格式。", raw.strip())
            continue
        lines += 1
        names = _split_heading(match.group(2), raw.strip())
        rest_days = 0
        for sentence in (s for s in re.split(r"[。;]", match.group(3)) if s.strip()):
            shown = sentence + "。"
            if sentence.startswith("鼓励"):
                notice.advice.append(shown)
                continue
            if not re.search(r"\d", sentence) and "放假" not in sentence and "上班" not in sentence:
                break  # the notice's closing words, pasted without line breaks: no more days in this line
            holiday = HOLIDAY_SENTENCE.match(sentence)
            if holiday:
                days = [(day, HOLIDAY) for day in _holiday_days(holiday, year, shown)]
                rest_days += len(days)
            elif sentence.endswith("上班"):
                days = [(day, MAKEUP_WORKDAY) for day in _makeup_days(sentence[: -len("上班")], year, shown)]
            else:
                raise NoticeError("无法读懂这一句。", shown)
            for day, kind in days:
                name = next((n for n in names if day in statutory.get(n, ())), names[0]) if kind == HOLIDAY \
                    else names[0]
                if day in seen and seen[day].kind != kind:
                    raise NoticeError(f"{day.month}月{day.day}日既被列为放假又被列为上班。", shown)
                if day.year not in (year - 1, year):
                    raise NoticeError(f"{day:%Y年%m月%d日}不属于{year}年的放假安排。", shown)
                seen.setdefault(day, NoticeDay(day, kind, name, shown))
        if not rest_days:
            raise NoticeError("这一行没有读出放假日期。", raw.strip())
    if not lines:
        raise NoticeError("通知中没有找到“一、元旦:……”这样的放假安排。")
    notice.days = sorted(seen.values(), key=lambda d: d.date)
    return notice
