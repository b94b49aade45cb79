import re

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords


UNIT_GROUP_PREFIX = "unit:"


class UnitKind(models.TextChoices):
    GOVERNMENT = "government", "人民政府"
    GENERAL_OFFICE = "general_office", "政府办公室"
    CITY_DEPARTMENT = "city_department", "市级部门"
    PARTY_ORGAN = "party_organ", "党委及其部门"
    DISTRICT = "district", "区县政府及管委会"
    DISTRICT_DEPARTMENT = "district_department", "区县部门"


class SpecialUnit(models.TextChoices):
    """The few units the rules name by office, not by tree position (one row each)."""

    CITY_GOVERNMENT = "city_government", "市人民政府"
    CITY_OFFICE = "city_office", "市政府办公室"
    PROPAGANDA = "propaganda", "市委宣传部"
    CYBERSPACE = "cyberspace", "市委网信办"
    SECRECY = "secrecy", "市保密局"


class Unit(models.Model):
    """单位 — a government body that files, reviews or answers for what it publishes.

    Units form a tree (RULES.md "Actors"): 铜川市人民政府 → its office, the city
    departments, the districts and 市新区管委会, each with departments of its own.
    """

    code = models.SlugField("单位代码", max_length=40, unique=True)
    name = models.CharField("全称", max_length=100, unique=True)
    short_name = models.CharField("简称", max_length=40)
    issuer_code = models.CharField(
        "机关代字", max_length=20, blank=True, help_text="用于发文字号,如“铜政办发”。"
    )
    other_issuer_codes = models.CharField(
        "其他机关代字", max_length=200, blank=True,
        help_text="本单位发文字号可用的其他机关代字,如函件的“铜政办函”;多个用顿号分隔。",
    )
    kind = models.CharField("类别", max_length=24, choices=UnitKind.choices)
    special = models.CharField(
        "特定职能", max_length=24, choices=SpecialUnit.choices, blank=True, default="",
        help_text="规则按职能指定的单位(市政府办公室、市委宣传部等);每种职能只对应一个单位。",
    )
    parent = models.ForeignKey(
        "self", verbose_name="上级单位", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    seal_image = models.FileField(
        "单位公章图样", upload_to="seals/", blank=True, help_text="PNG 图片,用于政务公开工作机构审查意见上的电子印章。"
    )
    sort_order = models.PositiveIntegerField("排序", default=100)
    is_active = models.BooleanField("在用", default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "单位"
        verbose_name_plural = "单位"
        ordering = ["sort_order", "code"]
        indexes = [models.Index(fields=["kind", "sort_order"])]
        constraints = [
            models.UniqueConstraint(fields=["special"], condition=~models.Q(special=""), name="unit_special_once"),
        ]

    def __str__(self):
        return self.name

    @property
    def issuer_codes(self) -> list[str]:
        """Every 机关代字 the unit's own 发文字号 may carry (D8): the main one first."""
        codes = [self.issuer_code, *(c.strip() for c in re.split(r"[、,,;;\s]+", self.other_issuer_codes))]
        return [c for i, c in enumerate(codes) if c and c not in codes[:i]]

    @property
    def group_name(self) -> str:
        """The auth group holding this unit's members, for django-guardian object permissions.

        Built from `code`, which is why the code never changes once the unit exists (`unit_update`).
        """
        return f"{UNIT_GROUP_PREFIX}{self.code}"


class Role(models.Model):
    """A role a member holds in a unit (RULES.md "Actors"); one row per role code."""

    class Code(models.TextChoices):
        CLERK = "clerk", "部门经办人"
        UNIT_HEAD = "unit_head", "单位主要负责人"
        TRANSPARENCY_OFFICE = "transparency_office", "政务公开工作机构"
        CONFIDENTIALITY_REVIEWER = "confidentiality_reviewer", "保密审查员"
        CITY_OFFICE_REVIEWER = "city_office_reviewer", "市政府办公室审核员"
        OPINION_OFFICER = "opinion_officer", "舆情工作人员"
        DISCLOSURE_OFFICE_HEAD = "disclosure_office_head", "政府信息公开工作机构负责人"

    code = models.CharField("角色代码", max_length=32, choices=Code.choices, unique=True)
    description = models.CharField("职责", max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "角色"
        verbose_name_plural = "角色"
        ordering = ["id"]

    def __str__(self):
        return self.get_code_display()


class Membership(models.Model):
    """任职 — a user acts for one unit in one or more roles; permissions follow from it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="用户", on_delete=models.CASCADE, related_name="memberships"
    )
    unit = models.ForeignKey(Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="memberships")
    roles = models.ManyToManyField(Role, verbose_name="角色", related_name="memberships")
    title = models.CharField("职务", max_length=60, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[roles])

    class Meta:
        verbose_name = "任职"
        verbose_name_plural = "任职"
        constraints = [models.UniqueConstraint(fields=["user", "unit"], name="membership_one_per_user_unit")]
        indexes = [models.Index(fields=["unit", "user"])]

    def __str__(self):
        return f"{self.user} @ {self.unit}"
