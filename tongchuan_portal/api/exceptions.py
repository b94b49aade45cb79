"""Errors of the open-data API as JSON with a clear Chinese message (W3)."""

from math import ceil

from django.http import Http404

from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_handler


def exception_handler(exc, context):
    response = drf_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.Throttled):
        wait = ceil(exc.wait or 1)
        response.data = {"detail": f"请求过于频繁,请在 {wait} 秒后重试。", "code": "throttled", "retry_after": wait}
    elif isinstance(exc, (exceptions.NotFound, Http404)):
        response.data = {"detail": "没有找到该项,或它尚未公开、已撤回。", "code": "not_found"}
    elif isinstance(exc, exceptions.MethodNotAllowed):
        response.data = {"detail": "开放数据接口只提供查询(GET)。", "code": "method_not_allowed"}
    elif isinstance(exc, exceptions.ValidationError):
        fields = exc.detail if isinstance(exc.detail, dict) else {}
        message = ";".join(f"{name}:{' '.join(str(m) for m in (msgs if isinstance(msgs, list) else [msgs]))}"
                          for name, msgs in fields.items()) or "请求参数有误。"
        response.data = {"detail": f"请求参数有误({message})", "code": "invalid"}
    elif isinstance(response.data, dict) and "detail" in response.data:
        response.data = {"detail": str(response.data["detail"]), "code": getattr(exc, "default_code", "error")}
    return response
