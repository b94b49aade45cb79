"""drf-spectacular hooks: every operation documents its error answers (404, 429) as JSON."""

ERROR = {"type": "object", "properties": {"detail": {"type": "string"}, "code": {"type": "string"}},
         "required": ["detail", "code"]}
THROTTLED = {"type": "object", "properties": {"detail": {"type": "string"}, "code": {"type": "string"},
                                              "retry_after": {"type": "integer"}},
             "required": ["detail", "code", "retry_after"]}


def add_error_responses(result, generator, request, public):
    result.setdefault("components", {}).setdefault("schemas", {}).update({"Error": ERROR, "Throttled": THROTTLED})
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            if any(p.get("in") == "query" for p in operation.get("parameters", [])):
                responses.setdefault("400", {"description": "请求参数有误(如每页条数、年份不是整数)",
                                             "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}})
            responses.setdefault("404", {"description": "不存在、未公开或已撤回;或翻页游标无效",
                                         "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}})
            responses.setdefault("429", {"description": "请求过于频繁,稍后重试",
                                         "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Throttled"}}}})
    return result
