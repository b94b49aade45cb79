"""Who answers for a case (O1): the competent unit follows from its scope and its subject area.

- a city-level policy or work, or a matter touching several districts → the
  competent city department (`CITY_DEPARTMENT`);
- a matter of one district or county → that district's department of the same
  area when the district has one (`DISTRICT_DEPARTMENT`, e.g. 耀州区教育局
  `yzq-jyj`), otherwise the district government itself (`yzq`).

The city office (市政府办公室) and the propaganda department (市委宣传部) are told
of every case; the city office may reassign it with a reason (`case_reassign`).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError

from tongchuan_portal.units.models import SpecialUnit, Unit, UnitKind
from tongchuan_portal.units.selectors import special_unit

from .models import Scope, SubjectArea as A

# Subject area → the competent city department (unit codes of units/directory.py). An area with no competent
# department (`OTHER`) is answered by the city office itself, found by its office (`SpecialUnit.CITY_OFFICE`).
CITY_DEPARTMENT: dict[str, str] = {
    A.EDUCATION: "jyj",  # 市教育局
    A.PUBLIC_SECURITY: "gaj",  # 市公安局
    A.CIVIL_AFFAIRS: "mzj",  # 市民政局
    A.HOUSING: "zjj",  # 市住建局
    A.TRANSPORT: "jtj",  # 市交通运输局
    A.ENVIRONMENT: "hbj",  # 市环保局
    A.HEALTH: "wjj",  # 市卫计局
    A.FOOD_DRUG: "sypj",  # 市食品药品监管局
    A.EMPLOYMENT: "rsj",  # 市人社局
    A.FINANCE: "czj",  # 市财政局
    A.DEVELOPMENT: "fgw",  # 市发展改革委 (prices included)
    A.WORK_SAFETY: "ajj",  # 市安监局
    A.POVERTY: "fpb",  # 市扶贫办
    A.LAND: "gtj",  # 市国土资源局
    A.MARKET: "gsj",  # 市工商局
    A.QUALITY: "zjj-qts",  # 市质监局
    A.COMMERCE: "swj",  # 市商务局
    A.INDUSTRY: "gxj",  # 市工信局
    A.TAX: "dsj",  # 市地税局
    A.JUSTICE: "sfj",  # 市司法局
    A.AUDIT: "sjj",  # 市审计局
    A.STATISTICS: "tjj",  # 市统计局
    A.WATER: "slj",  # 市水务局
    A.AGRICULTURE: "nyj",  # 市农业局
    A.FORESTRY: "lyj",  # 市林业局
    A.CULTURE: "whj",  # 市文广新局
}

# Subject area → the suffix of a district's own department (`<district>-<suffix>`).
# Areas not listed here fall to the district government.
DISTRICT_DEPARTMENT: dict[str, str] = {
    A.EDUCATION: "jyj",
    A.CIVIL_AFFAIRS: "mzj",
    A.HOUSING: "zjj",
    A.HEALTH: "wjj",
    A.FINANCE: "czj",
    A.DEVELOPMENT: "fgj",
}


@dataclass(frozen=True)
class Route:
    unit: Unit
    reason: str


def _active(code: str) -> Unit | None:
    return Unit.objects.filter(code=code, is_active=True).first()


def check_scope(scope: str, districts: list[Unit]) -> None:
    """The districts must fit the scope: one for a district case, two or more for several."""
    if any(d.kind != UnitKind.DISTRICT for d in districts):
        raise ValidationError({"districts": "涉及区县只能选择区县政府或市新区管委会。"})
    if scope == Scope.DISTRICT and len(districts) != 1:
        raise ValidationError({"districts": "涉及单个区县的舆情,请选择且只选择一个区县。"})
    if scope == Scope.MULTI_DISTRICT and len(districts) < 2:
        raise ValidationError({"districts": "涉及多个区县的舆情,请至少选择两个区县。"})


def route(*, scope: str, subject_area: str, districts: list[Unit]) -> Route:
    """The responsible unit for a case (O1), with the reason shown in its timeline."""
    check_scope(scope, districts)
    area = A(subject_area).label
    if scope == Scope.DISTRICT:
        district = districts[0]
        suffix = DISTRICT_DEPARTMENT.get(subject_area)
        department = _active(f"{district.code}-{suffix}") if suffix else None
        if department is not None:
            return Route(department, f"涉及单个区县({district.short_name}),由该区县{area}主管部门{department.short_name}负责回应")
        return Route(district, f"涉及单个区县({district.short_name}),该区县未设{area}主管部门,由{district.short_name}负责回应")
    code = CITY_DEPARTMENT.get(subject_area)
    unit = _active(code) if code else None
    if unit is None:  # no competent department, or one merged away: the city office answers
        unit = special_unit(SpecialUnit.CITY_OFFICE)
    why = "市级政策或工作" if scope == Scope.CITY else "涉及多个区县"
    return Route(unit, f"{why},由市级{area}主管部门({unit.short_name})负责回应")
