from django.db.models import Prefetch, QuerySet

from tongchuan_portal.core import versions

from .models import Membership, SpecialUnit, Unit, UnitKind


def special_unit(special: SpecialUnit) -> Unit:
    """The unit holding an office the rules name (市政府办公室, 市委宣传部…); DoesNotExist until loaded."""
    return Unit.objects.get(special=special)


def special_unit_id(special: SpecialUnit) -> int | None:
    """The primary key of that unit, or None when the directory has not been loaded; from the per-process
    copy of the unit rows (`units_by_id`), so asking costs no query."""
    marked = [unit for unit in units_by_id().values() if unit.special == special]
    return min(marked, key=lambda unit: (unit.sort_order, unit.code)).pk if marked else None


DIRECTORY_VERSION_KEY = "units:rows-version"
_rows: tuple[int, dict[int, Unit]] | None = None


def units_by_id() -> dict[int, Unit]:
    """Every unit by primary key, read once per process and again after any unit row changes.

    Public pages name issuers and publishers on every render; a join per page costs more than the
    page's own rows. The version lives in the shared cache and is bumped on every save or delete
    (`bump_units_version`, also at commit), so every process sees a rename at its next read. With the
    cache down the rows are read each time.
    """
    global _rows
    try:
        version = versions.get(DIRECTORY_VERSION_KEY)  # within a request, usually read with the page's key
    except Exception:  # a cache outage costs a query, never an error page
        version = None
    if _rows is not None and version is not None and _rows[0] == version:
        return _rows[1]
    rows = {unit.pk: unit for unit in Unit.objects.all()}
    if version is not None:
        _rows = (version, rows)
    return rows


def attach_units(objs, *fields: str) -> None:
    """Set these unit foreign keys of `objs` (one object or several) from one read of `units_by_id()`;
    a unit not found there loads as usual."""
    rows = units_by_id()
    for obj in (objs if isinstance(objs, (list, tuple)) else (objs,)):
        for name in fields:
            unit = rows.get(getattr(obj, f"{name}_id"))
            if unit is not None:
                setattr(obj, name, unit)


def unit_directory() -> list[dict]:
    """The public units directory in sections, from one query over the (small) tree.

    Districts carry their own departments, so the whole 集约化 platform (W1) reads
    as one directory.
    """
    units = list(Unit.objects.filter(is_active=True))
    by_parent: dict[int | None, list[Unit]] = {}
    for unit in units:
        by_parent.setdefault(unit.parent_id, []).append(unit)

    def of_kind(*kinds):
        return [u for u in units if u.kind in kinds]

    districts = [
        {"unit": d, "departments": by_parent.get(d.pk, [])} for d in of_kind(UnitKind.DISTRICT)
    ]
    return [
        {"title": "市人民政府", "units": of_kind(UnitKind.GOVERNMENT, UnitKind.GENERAL_OFFICE)},
        {"title": "市政府工作部门", "units": of_kind(UnitKind.CITY_DEPARTMENT)},
        {"title": "区县及市新区", "districts": districts},
        {"title": "市委有关部门", "units": of_kind(UnitKind.PARTY_ORGAN)},
    ]


def city_departments() -> QuerySet[Unit]:
    return Unit.objects.filter(kind=UnitKind.CITY_DEPARTMENT, is_active=True)


def memberships_for_user(user) -> QuerySet[Membership]:
    """The user's memberships with unit, parent and roles loaded (constant queries)."""
    return (
        Membership.objects.filter(user=user)
        .select_related("unit", "unit__parent")
        .prefetch_related(Prefetch("roles"))
        .order_by("unit__sort_order", "unit__code")
    )


def descendant_ids(unit: Unit) -> set[int]:
    """The unit and every unit below it, from one query over the (small) tree."""
    pairs = list(Unit.objects.values_list("pk", "parent_id"))
    children: dict[int | None, list[int]] = {}
    for pk, parent_id in pairs:
        children.setdefault(parent_id, []).append(pk)
    found, stack = set(), [unit.pk]
    while stack:
        pk = stack.pop()
        if pk not in found:
            found.add(pk)
            stack.extend(children.get(pk, []))
    return found


def unit_public(code: str) -> Unit:
    """An active unit with its parents loaded for the breadcrumb (市 → 区县 → 部门), one query."""
    return Unit.objects.select_related("parent", "parent__parent").get(code=code, is_active=True)


def unit_trail(unit: Unit) -> list[Unit]:
    """The unit's ancestors, top first, then the unit itself (from the loaded parents; no query)."""
    trail, node = [], unit
    while node is not None and len(trail) < 4:
        trail.append(node)
        node = node.parent if node.parent_id else None
    return list(reversed(trail))


def unit_scope_ids(unit: Unit) -> list[int]:
    """The ids a unit's section covers (W1): the unit and every unit below it, e.g. a district's departments."""
    return sorted(descendant_ids(unit))


def site_scope(params) -> tuple[Unit | None, list[int] | None]:
    """The unit section a public list is narrowed to by `?site=<unit code>` (W1): (unit, its scope ids).

    An unknown or malformed code is ignored, like every other list filter that cannot be read.
    """
    code = params.get("site", "")
    if not code or len(code) > 40:
        return None, None
    try:
        unit = unit_public(code)
    except Unit.DoesNotExist:
        return None, None
    return unit, unit_scope_ids(unit)
