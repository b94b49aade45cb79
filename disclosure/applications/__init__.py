"""依申请公开 — applications for government information (条例第二十七至四十五条)."""
