"""The one way services save a row: with who acted and why, so the history says it (STYLE.md)."""


def save_with_history(obj, *, by, reason: str, fields: list[str] | None = None) -> None:
    obj._history_user, obj._change_reason = by, reason
    obj.save(update_fields=fields)
