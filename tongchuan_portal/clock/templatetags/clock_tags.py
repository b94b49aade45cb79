from datetime import datetime

from django import template

from ..registry import label_for
from ..formatting import fmt

register = template.Library()


@register.filter
def bj(moment: datetime | None) -> str:
    """YYYY-MM-DD HH:MM in Beijing time (CLOCK7)."""
    return fmt(moment) if moment else "—"


@register.filter
def weekday_cn(day) -> str:
    return "周" + "一二三四五六日"[day.weekday()]


@register.simple_tag
def time_left(deadline, now):
    """剩余时间 in words that do not depend on colour."""
    delta = deadline.due_at - now
    seconds = int(delta.total_seconds())
    late = seconds < 0
    seconds = abs(seconds)
    days, rem = divmod(seconds, 86400)
    hours, rem = divmod(rem, 3600)
    minutes = rem // 60
    text = (f"{days}天" if days else "") + (f"{hours}小时" if hours or days else "") + f"{minutes}分"
    return f"已超期{text}" if late else f"剩余{text}"


@register.filter
def rule_label(code: str, short: str = "") -> str:
    """A deadline's rule as people read it: "主动公开时限(条例第二十六条,20个工作日)", never its ID.

    `rule_label:"short"` leaves out the length, for a chip beside its due moment."""
    return label_for(code, length=not short)


@register.filter
def deadline_label(deadline, short: str = "") -> str:
    """`rule_label` of a deadline, with the length it carries where its rule lets it carry one."""
    return label_for(deadline.rule, length=not short, days=deadline.length_days)
