"""The statutory reply forms and applicant columns, one to one with table 三 of the annual report (A4, A6).

国办公开办函〔2021〕30号 lays out table 三: a reply is exactly one leaf row, and an applicant exactly one column.
The annual report counts by these codes; the reply form offers exactly these labels.
"""

from django.db import models


class ApplicantColumn(models.TextChoices):
    """申请人情况 — the columns of table 三 (自然人, then the five kinds of 法人或其他组织)."""

    NATURAL_PERSON = "natural", "自然人"
    BUSINESS = "business", "商业企业"
    RESEARCH = "research", "科研机构"
    PUBLIC_INTEREST = "public_interest", "社会公益组织"
    LEGAL_SERVICES = "legal_services", "法律服务机构"
    OTHER_ORGANISATION = "other_org", "其他"


class OutcomeGroup(models.TextChoices):
    """The six groups (一)–(六) of 本年度办理结果."""

    DISCLOSED = "disclosed", "(一)予以公开"
    PARTLY_DISCLOSED = "partial", "(二)部分公开"
    NOT_DISCLOSED = "not_disclosed", "(三)不予公开"
    UNABLE = "unable", "(四)无法提供"
    NOT_PROCESSED = "not_processed", "(五)不予处理"
    OTHER = "other", "(六)其他处理"


class Outcome(models.TextChoices):
    """本年度办理结果 — every leaf row, verbatim (the label is the table's wording)."""

    DISCLOSED = "disclosed", "予以公开"
    PARTLY_DISCLOSED = "partial", "部分公开"
    SECRET = "secret", "属于国家秘密"
    LAW_FORBIDS = "law_forbids", "其他法律行政法规禁止公开"
    THREE_SAFETIES = "three_safeties", "危及“三安全一稳定”"
    THIRD_PARTY = "third_party", "保护第三方合法权益"
    INTERNAL_AFFAIRS = "internal_affairs", "属于三类内部事务信息"
    PROCESS_INFORMATION = "process_information", "属于四类过程性信息"
    ENFORCEMENT_FILE = "enforcement_file", "属于行政执法案卷"
    INQUIRY_MATTER = "inquiry_matter", "属于行政查询事项"
    NOT_HELD = "not_held", "本机关不掌握相关政府信息"
    NEEDS_CREATION = "needs_creation", "没有现成信息需要另行制作"
    STILL_UNCLEAR = "still_unclear", "补正后申请内容仍不明确"
    PETITION = "petition", "信访举报投诉类申请"
    REPEATED = "repeated", "重复申请"
    PUBLICATION = "publication", "要求提供公开出版物"
    EXCESSIVE = "excessive", "无正当理由大量反复申请"
    CONFIRMATION = "confirmation", "要求行政机关确认或重新出具已获取信息"
    NO_CORRECTION = "no_correction", "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"
    UNPAID = "unpaid", "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"
    OTHER = "other", "其他"


#: Table 三's layout: each group and its leaf rows in the template's order (numbered 1., 2. … within a group).
OUTCOME_GROUPS: dict[OutcomeGroup, tuple[Outcome, ...]] = {
    OutcomeGroup.DISCLOSED: (Outcome.DISCLOSED,),
    OutcomeGroup.PARTLY_DISCLOSED: (Outcome.PARTLY_DISCLOSED,),
    OutcomeGroup.NOT_DISCLOSED: (
        Outcome.SECRET, Outcome.LAW_FORBIDS, Outcome.THREE_SAFETIES, Outcome.THIRD_PARTY,
        Outcome.INTERNAL_AFFAIRS, Outcome.PROCESS_INFORMATION, Outcome.ENFORCEMENT_FILE, Outcome.INQUIRY_MATTER,
    ),
    OutcomeGroup.UNABLE: (Outcome.NOT_HELD, Outcome.NEEDS_CREATION, Outcome.STILL_UNCLEAR),
    OutcomeGroup.NOT_PROCESSED: (
        Outcome.PETITION, Outcome.REPEATED, Outcome.PUBLICATION, Outcome.EXCESSIVE, Outcome.CONFIRMATION,
    ),
    OutcomeGroup.OTHER: (Outcome.NO_CORRECTION, Outcome.UNPAID, Outcome.OTHER),
}

GROUP_OF: dict[str, OutcomeGroup] = {leaf: group for group, leaves in OUTCOME_GROUPS.items() for leaf in leaves}
