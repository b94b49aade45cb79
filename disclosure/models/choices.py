"""The choices a document carries (D1, D4, D9) and its status map (one transition map beside the status)."""

from django.db import models


class DisclosureAttribute(models.TextChoices):
    """公开属性 (D1): every document carries exactly one."""

    PROACTIVE = "proactive", "主动公开"
    ON_REQUEST = "on_request", "依申请公开"
    NOT_PUBLIC = "not_public", "不予公开"


class LegalBasis(models.TextChoices):
    """The statutory grounds for not disclosing (D2; 政府信息公开条例第十四、十五、十六条)."""

    STATE_SECRET = "state_secret", "国家秘密(条例第十四条)"
    LAW_PROHIBITED = "law_prohibited", "法律、行政法规禁止公开(条例第十四条)"
    SECURITY_STABILITY = "security_stability", "公开后可能危及国家安全、公共安全、经济安全、社会稳定(条例第十四条)"
    TRADE_SECRET = "trade_secret", "涉及商业秘密(条例第十五条)"
    PRIVACY = "privacy", "涉及个人隐私(条例第十五条)"
    INTERNAL_AFFAIRS = "internal_affairs", "内部事务信息(条例第十六条第一款)"
    PROCESS_INFO = "process_info", "过程性信息(条例第十六条第二款)"
    ENFORCEMENT_FILE = "enforcement_file", "行政执法案卷信息(条例第十六条第二款)"


class FiveDisclosure(models.TextChoices):
    """五公开 (D9): the area a document is filed under."""

    DECISION = "decision", "决策公开"
    EXECUTION = "execution", "执行公开"
    MANAGEMENT = "management", "管理公开"
    SERVICE = "service", "服务公开"
    RESULT = "result", "结果公开"


class Topic(models.TextChoices):
    """主题分类, after the State Council's 公文主题词表 categories."""

    GENERAL = "general", "综合政务"
    ECONOMY = "economy", "国民经济管理、国有资产监管"
    FINANCE = "finance", "财政、金融、审计"
    LAND_ENERGY = "land_energy", "国土资源、能源"
    AGRICULTURE = "agriculture", "农业、林业、水利"
    INDUSTRY_TRANSPORT = "industry_transport", "工业、交通"
    COMMERCE = "commerce", "商贸、海关、旅游"
    MARKET = "market", "市场监管、安全生产监管"
    CONSTRUCTION_ENVIRONMENT = "construction_environment", "城乡建设、环境保护"
    SCIENCE_EDUCATION = "science_education", "科技、教育"
    CULTURE = "culture", "文化、广电、新闻出版"
    HEALTH_SPORTS = "health_sports", "卫生、体育"
    POPULATION = "population", "人口与计划生育、妇女儿童工作"
    LABOUR = "labour", "劳动、人事、监察"
    PUBLIC_SECURITY = "public_security", "公安、安全、司法"
    CIVIL_AFFAIRS = "civil_affairs", "民政、扶贫、救灾"
    ETHNIC_RELIGION = "ethnic_religion", "民族、宗教"
    FOREIGN = "foreign", "对外事务"
    OTHER = "other", "其他"


class DocumentKind(models.TextChoices):
    POLICY = "policy", "政策性文件"
    CITY_POLICY_DRAFT = "city_policy_draft", "市政府政策性文件代拟稿"
    ISSUE_REQUEST = "issue_request", "以发文为目的的请示件"
    OTHER = "other", "其他公文"


class IssuedInNameOf(models.TextChoices):
    OWN_UNIT = "own_unit", "本单位名义"
    CITY_GOVERNMENT = "city_government", "市政府名义"
    CITY_OFFICE = "city_office", "市政府办公室名义"


class Validity(models.TextChoices):
    """公文时效."""

    VALID = "valid", "有效"
    EXPIRED = "expired", "失效"
    REPEALED = "repealed", "废止"


class DocumentClass(models.TextChoices):
    """The classification table 二 of the annual report counts (A6; 国办公开办函〔2021〕30号, 第二十条第(一)项)."""

    REGULATION = "regulation", "规章"
    NORMATIVE = "normative", "行政规范性文件"
    OTHER = "other", "其他文件"


class Status(models.TextChoices):
    DRAFT = "draft", "草稿"
    SEAL_REVIEW = "seal_review", "待公开机构审查"
    SUBMITTED = "submitted", "已报送待审核"
    RETURNED = "returned", "已退文待修改"
    ACCEPTED = "accepted", "已审核通过"
    CONFIDENTIALITY_REVIEW = "confidentiality_review", "待保密审查"
    SCHEDULED = "scheduled", "定时发布"
    PUBLISHED = "published", "已发布"
    WITHDRAWN = "withdrawn", "已撤回"


# The one map of allowed transitions (STYLE.md "Workflows").
TRANSITIONS = {
    Status.DRAFT: {Status.SEAL_REVIEW, Status.SUBMITTED},
    Status.SEAL_REVIEW: {Status.DRAFT, Status.RETURNED},
    Status.SUBMITTED: {Status.RETURNED, Status.ACCEPTED, Status.CONFIDENTIALITY_REVIEW},
    Status.RETURNED: {Status.SEAL_REVIEW, Status.SUBMITTED},
    Status.ACCEPTED: {Status.CONFIDENTIALITY_REVIEW},
    Status.CONFIDENTIALITY_REVIEW: {Status.PUBLISHED, Status.SCHEDULED, Status.RETURNED},
    Status.SCHEDULED: {Status.PUBLISHED, Status.WITHDRAWN, Status.CONFIDENTIALITY_REVIEW},  # a change lapses it
    Status.PUBLISHED: {Status.WITHDRAWN},
    Status.WITHDRAWN: set(),
}
EDITABLE_STATUSES = (Status.DRAFT, Status.RETURNED)
PUBLIC_STATUSES = (Status.PUBLISHED, Status.SCHEDULED)  # scheduled counts once its moment has come
