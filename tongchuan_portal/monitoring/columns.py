"""The columns of a unit's section and how the national checks class them (W2, 国办秘函〔2019〕19号).

动态类 (news/updates) columns must show something new every 2 weeks; 通知公告、政策文件类 (notice,
policy) columns every 6 months; no column may be empty. A section's columns are the ones its pages
show: the five 五公开 areas of its 政府信息公开 column, 政策解读, 征求意见 and 回应关切. 执行公开
(how policies are carried out, progress) and 回应关切 are the section's 动态 columns.
"""

from dataclasses import dataclass

NEWS = "news"
NOTICE = "notice"


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: str  # NEWS or NOTICE
    source: str  # "documents:<area>", "interpretations", "drafts", "releases"


COLUMNS = (
    Column("wgk:decision", "决策公开", NOTICE, "documents:decision"),
    Column("wgk:execution", "执行公开", NEWS, "documents:execution"),
    Column("wgk:management", "管理公开", NOTICE, "documents:management"),
    Column("wgk:service", "服务公开", NOTICE, "documents:service"),
    Column("wgk:result", "结果公开", NOTICE, "documents:result"),
    Column("jiedu", "政策解读", NOTICE, "interpretations"),
    Column("canyu", "征求意见", NOTICE, "drafts"),
    Column("huiying", "回应关切", NEWS, "releases"),
)


def column_url(column: Column, unit_code: str) -> str:
    from django.urls import reverse

    if column.source.startswith("documents:"):
        return f"{reverse('disclosure:wgk')}?area={column.source.split(':', 1)[1]}&unit={unit_code}"
    name = {"interpretations": "interpretation:column", "drafts": "participation:drafts",
            "releases": "huiying:list"}[column.source]
    return f"{reverse(name)}?site={unit_code}"
