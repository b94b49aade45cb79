"""Tongchuan's units as of the seed notice (铜政办发〔2016〕71号, December 2016).

Names are those in force when the notice was issued, because that is what the
notice's own obligations name (e.g. D10's 19 departments). Each row is
(code, full name, short name, 机关代字, kind, parent code).
"""

from .models import SpecialUnit
from .models import UnitKind as K

CITY_GOVERNMENT = "tcgov"
CITY_OFFICE = "szfb"

#: Which directory unit holds each office the rules name (the only place these codes are written).
SPECIAL_UNITS = {
    "tcgov": SpecialUnit.CITY_GOVERNMENT,
    "szfb": SpecialUnit.CITY_OFFICE,
    "swxcb": SpecialUnit.PROPAGANDA,
    "swwxb": SpecialUnit.CYBERSPACE,
    "bmj": SpecialUnit.SECRECY,
}

# D10: the 19 departments the seed names, due to publish their catalogs by 2017-12-31.
FIRST_BATCH_CATALOG_CODES = (
    "fgw", "jyj", "gxj", "gaj", "mzj", "czj", "rsj", "gtj", "hbj", "zjj",
    "jtj", "swj", "wjj", "sypj", "gsj", "zjj-qts", "ajj", "fpb", "dsj",
)

UNITS: list[tuple[str, str, str, str, str, str | None]] = [
    ("tcgov", "铜川市人民政府", "市政府", "铜政发", K.GOVERNMENT, None),
    ("szfb", "铜川市人民政府办公室", "市政府办公室", "铜政办发", K.GENERAL_OFFICE, "tcgov"),
    # The 19 departments named in 一、(三).
    ("fgw", "铜川市发展和改革委员会", "市发展改革委", "铜发改发", K.CITY_DEPARTMENT, "tcgov"),
    ("jyj", "铜川市教育局", "市教育局", "铜教发", K.CITY_DEPARTMENT, "tcgov"),
    ("gxj", "铜川市工业和信息化局", "市工信局", "铜工信发", K.CITY_DEPARTMENT, "tcgov"),
    ("gaj", "铜川市公安局", "市公安局", "铜公发", K.CITY_DEPARTMENT, "tcgov"),
    ("mzj", "铜川市民政局", "市民政局", "铜民发", K.CITY_DEPARTMENT, "tcgov"),
    ("czj", "铜川市财政局", "市财政局", "铜财发", K.CITY_DEPARTMENT, "tcgov"),
    ("rsj", "铜川市人力资源和社会保障局", "市人社局", "铜人社发", K.CITY_DEPARTMENT, "tcgov"),
    ("gtj", "铜川市国土资源局", "市国土资源局", "铜国土资发", K.CITY_DEPARTMENT, "tcgov"),
    ("hbj", "铜川市环境保护局", "市环保局", "铜环发", K.CITY_DEPARTMENT, "tcgov"),
    ("zjj", "铜川市住房和城乡建设局", "市住建局", "铜建发", K.CITY_DEPARTMENT, "tcgov"),
    ("jtj", "铜川市交通运输局", "市交通运输局", "铜交发", K.CITY_DEPARTMENT, "tcgov"),
    ("swj", "铜川市商务局", "市商务局", "铜商发", K.CITY_DEPARTMENT, "tcgov"),
    ("wjj", "铜川市卫生和计划生育局", "市卫计局", "铜卫计发", K.CITY_DEPARTMENT, "tcgov"),
    ("sypj", "铜川市食品药品监督管理局", "市食品药品监管局", "铜食药监发", K.CITY_DEPARTMENT, "tcgov"),
    ("gsj", "铜川市工商行政管理局", "市工商局", "铜工商发", K.CITY_DEPARTMENT, "tcgov"),
    ("zjj-qts", "铜川市质量技术监督局", "市质监局", "铜质监发", K.CITY_DEPARTMENT, "tcgov"),
    ("ajj", "铜川市安全生产监督管理局", "市安监局", "铜安监发", K.CITY_DEPARTMENT, "tcgov"),
    ("fpb", "铜川市扶贫开发办公室", "市扶贫办", "铜扶贫发", K.CITY_DEPARTMENT, "tcgov"),
    # 税务: in 2016 the city's own tax department was the local taxation bureau.
    ("dsj", "铜川市地方税务局", "市地税局", "铜地税发", K.CITY_DEPARTMENT, "tcgov"),
    # Other city departments (catalogs due by 2018-12-31).
    ("sfj", "铜川市司法局", "市司法局", "铜司发", K.CITY_DEPARTMENT, "tcgov"),
    ("sjj", "铜川市审计局", "市审计局", "铜审发", K.CITY_DEPARTMENT, "tcgov"),
    ("tjj", "铜川市统计局", "市统计局", "铜统发", K.CITY_DEPARTMENT, "tcgov"),
    ("slj", "铜川市水务局", "市水务局", "铜水发", K.CITY_DEPARTMENT, "tcgov"),
    ("nyj", "铜川市农业局", "市农业局", "铜农发", K.CITY_DEPARTMENT, "tcgov"),
    ("lyj", "铜川市林业局", "市林业局", "铜林发", K.CITY_DEPARTMENT, "tcgov"),
    ("whj", "铜川市文化广电新闻出版局", "市文广新局", "铜文广发", K.CITY_DEPARTMENT, "tcgov"),
    ("dzzwb", "铜川市电子政务办公室", "市电子政务办", "铜电政发", K.CITY_DEPARTMENT, "tcgov"),
    # Districts, counties and the new district (区县、市新区管委会).
    ("wyq", "铜川市王益区人民政府", "王益区政府", "王政发", K.DISTRICT, "tcgov"),
    ("ytq", "铜川市印台区人民政府", "印台区政府", "印政发", K.DISTRICT, "tcgov"),
    ("yzq", "铜川市耀州区人民政府", "耀州区政府", "耀政发", K.DISTRICT, "tcgov"),
    ("yjx", "宜君县人民政府", "宜君县政府", "宜政发", K.DISTRICT, "tcgov"),
    ("xq", "铜川市新区管理委员会", "市新区管委会", "铜新管发", K.DISTRICT, "tcgov"),
    # Party organs the rules name: propaganda and cyberspace (O1), confidentiality (D7).
    ("swxcb", "中共铜川市委宣传部", "市委宣传部", "铜宣发", K.PARTY_ORGAN, None),
    ("swwxb", "中共铜川市委网络安全和信息化领导小组办公室", "市委网信办", "铜网信发", K.PARTY_ORGAN, None),
    ("bmj", "铜川市国家保密局", "市保密局", "铜保密发", K.PARTY_ORGAN, None),
]

# Each district and the new district keeps the same core departments of its own.
_DISTRICT_DEPARTMENTS = [
    ("zfb", "人民政府办公室", "政府办", "政办发"),
    ("fgj", "发展和改革局", "发改局", "发改发"),
    ("jyj", "教育局", "教育局", "教发"),
    ("mzj", "民政局", "民政局", "民发"),
    ("czj", "财政局", "财政局", "财发"),
    ("zjj", "住房和城乡建设局", "住建局", "建发"),
    ("wjj", "卫生和计划生育局", "卫计局", "卫计发"),
]
_DISTRICT_PREFIX = {"wyq": "王益区", "ytq": "印台区", "yzq": "耀州区", "yjx": "宜君县", "xq": "市新区"}
_DISTRICT_ISSUER = {"wyq": "王", "ytq": "印", "yzq": "耀", "yjx": "宜", "xq": "铜新"}
_DISTRICT_FULL = {
    "wyq": "铜川市王益区", "ytq": "铜川市印台区", "yzq": "铜川市耀州区", "yjx": "宜君县", "xq": "铜川市新区",
}

for _d, _prefix in _DISTRICT_PREFIX.items():
    for _code, _name, _short, _issuer in _DISTRICT_DEPARTMENTS:
        if _d == "xq" and _code == "zfb":
            UNITS.append((f"{_d}-zfb", "铜川市新区管理委员会办公室", "市新区管委会办公室", "铜新管办发",
                          K.DISTRICT_DEPARTMENT, _d))
            continue
        UNITS.append(
            (f"{_d}-{_code}", f"{_DISTRICT_FULL[_d]}{_name}", f"{_prefix}{_short}",
             f"{_DISTRICT_ISSUER[_d]}{_issuer}", K.DISTRICT_DEPARTMENT, _d)
        )


def issuer_codes_for(issuer_code: str) -> str:
    """The other 机关代字 a unit uses besides its main one (D8): its letters (函), e.g. 铜政办发 → 铜政办函."""
    if issuer_code.endswith("发"):
        return issuer_code[:-1] + "函"
    return ""
