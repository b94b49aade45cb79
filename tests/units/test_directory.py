"""The unit directory: Tongchuan's real units, loaded idempotently with history."""

from tongchuan_portal.core.selectors import system_user
from tongchuan_portal.units.directory import FIRST_BATCH_CATALOG_CODES
from tongchuan_portal.units.models import Unit, UnitKind
from tongchuan_portal.units.services import units_load_directory


def test_directory_holds_the_units_the_rules_name(tongchuan_units):
    names = {u.name for u in tongchuan_units.values()}
    for name in [
        "铜川市人民政府", "铜川市人民政府办公室", "中共铜川市委宣传部", "中共铜川市委网络安全和信息化领导小组办公室",
        "铜川市国家保密局", "铜川市王益区人民政府", "铜川市印台区人民政府", "铜川市耀州区人民政府",
        "宜君县人民政府", "铜川市新区管理委员会", "铜川市发展和改革委员会", "铜川市地方税务局",
    ]:
        assert name in names
    assert tongchuan_units["szfb"].issuer_code == "铜政办发"
    assert tongchuan_units["szfb"].parent == tongchuan_units["tcgov"]
    assert tongchuan_units["yzq-jyj"].parent == tongchuan_units["yzq"]


def test_D10_the_nineteen_named_departments_exist(tongchuan_units):
    assert len(FIRST_BATCH_CATALOG_CODES) == 19
    for code in FIRST_BATCH_CATALOG_CODES:
        assert tongchuan_units[code].kind == UnitKind.CITY_DEPARTMENT


def test_loading_twice_changes_nothing(tongchuan_units):
    history_before = Unit.history.count()
    assert units_load_directory(by=system_user()) == (0, 0)
    assert Unit.history.count() == history_before


def test_loading_records_who_and_why(tongchuan_units):
    record = tongchuan_units["fgw"].history.first()
    assert record.history_user.username == "system"
    assert record.history_change_reason == "载入铜川市单位名录"
