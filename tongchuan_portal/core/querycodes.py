"""查询码 — the code a citizen gets once to look up a message, a registration or an application.

Shown once and stored only as a digest, so a database leak reveals no code. No writes: selectors may use it.
"""

from __future__ import annotations

import hashlib
import secrets

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud and typed from paper


def new_query_code() -> str:
    """16 random characters (80 bits), shown once as XXXX-XXXX-XXXX-XXXX."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(16))
    return "-".join(raw[i:i + 4] for i in range(0, 16, 4))


def query_code_digest(code: str) -> str:
    """The stored form: spaces, dashes and case do not matter when the code is typed back."""
    normalized = "".join(ch for ch in (code or "").upper() if ch.isalnum())
    return hashlib.sha256(normalized.encode()).hexdigest()
