"""信息处理费 (A5; 条例第四十二条, 国办函〔2020〕109号《政府信息公开信息处理费管理办法》): the national scale.

按件计收 — counted per applicant per natural month: the 1st–10th application is free, the 11th–30th cost
100 元 each, and from the 31st each further block of 10 costs 100 元 more per application (31–40: 200 元,
41–50: 300 元 …). 按量计收 — per application, by pages, cumulative: 1–30 free, 31–100 at 10 元, 101–200 at
20 元, from 201 at 40 元 per page. One method per application. The amount is always computed here, never typed,
and the arithmetic is written out for the 收费通知书.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

FREE_APPLICATIONS = 10
FIRST_TIER_END = 30
FIRST_TIER_RATE = 100
BLOCK = 10

PAGE_TIERS = ((30, 0), (100, 10), (200, 20), (None, 40))  # (last page of the tier, 元 per page)


@dataclass(frozen=True)
class FeeComputation:
    amount: Decimal
    arithmetic: str


def per_application(nth: int) -> FeeComputation:
    """The fee for the applicant's `nth` application in the natural month."""
    if nth < 1:
        raise ValueError("nth starts at 1")
    if nth <= FREE_APPLICATIONS:
        rate, tier = 0, f"1—{FREE_APPLICATIONS}件,不收费"
    elif nth <= FIRST_TIER_END:
        rate, tier = FIRST_TIER_RATE, f"{FREE_APPLICATIONS + 1}—{FIRST_TIER_END}件,每件{FIRST_TIER_RATE}元"
    else:
        block = (nth - FIRST_TIER_END - 1) // BLOCK + 1
        low, high = FIRST_TIER_END + (block - 1) * BLOCK + 1, FIRST_TIER_END + block * BLOCK
        rate = FIRST_TIER_RATE * (block + 1)
        tier = f"{low}—{high}件,每件{rate}元"
    text = f"按件计收:本申请为申请人本自然月内第{nth}件申请,适用“{tier}”的标准,应缴{rate}元。"
    return FeeComputation(Decimal(rate), text)


def per_volume(pages: int) -> FeeComputation:
    """The fee for one application of `pages` pages, tier by tier."""
    if pages < 1:
        raise ValueError("pages start at 1")
    parts, total, low = [], 0, 1
    for high, rate in PAGE_TIERS:
        top = pages if high is None else min(pages, high)
        if top < low:
            break
        count = top - low + 1
        label = f"第{low}页以上" if high is None else f"第{low}—{high}页"
        if rate:
            parts.append(f"{label}{count}页×{rate}元={count * rate}元")
        else:
            parts.append(f"{label}{count}页免费")
        total += count * rate
        if high is None or pages <= high:
            break
        low = high + 1
    text = f"按量计收:共{pages}页;" + ";".join(parts) + f";合计{total}元。"
    return FeeComputation(Decimal(total), text)
