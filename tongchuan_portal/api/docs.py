"""开放数据接口说明 — the OpenAPI schema as a server-rendered page (no JavaScript, no CDN, CSP-clean)."""

from functools import lru_cache

from django.shortcuts import render
from django.views.decorators.http import require_safe


@lru_cache(maxsize=1)
def _schema() -> dict:
    from drf_spectacular.generators import SchemaGenerator

    return SchemaGenerator().get_schema(request=None, public=True)


def _endpoints(schema: dict) -> list[dict]:
    rows = []
    for path, operations in schema.get("paths", {}).items():
        op = operations.get("get")
        if not op:
            continue
        rows.append({
            "path": path, "summary": (op.get("description") or "").strip(), "tag": (op.get("tags") or [""])[0],
            "parameters": [{"name": p["name"], "where": {"query": "查询参数", "path": "路径参数"}.get(p["in"], p["in"]),
                            "type": p.get("schema", {}).get("type", ""), "description": p.get("description", "")}
                           for p in op.get("parameters", [])],
        })
    return rows


@require_safe
def docs(request):
    schema = _schema()
    return render(request, "api/docs.html", {"endpoints": _endpoints(schema), "info": schema.get("info", {})})
