"""HTML → PDF with WeasyPrint, for every printable notice and report (fonts: Debian's fonts-noto-cjk).

A PDF template carries no <style>: its page and print styles are a static stylesheet passed here, so the
site's templates hold no inline styles at all (the Content-Security-Policy's rule, kept for every template).
"""

from __future__ import annotations

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string


def render_pdf(template: str, context: dict, *, stylesheet: str, base_url: str | None = None) -> bytes:
    """Render `template` with `context` and lay it out with the static `stylesheet` (e.g. "css/pdf/letter.css")."""
    from weasyprint import CSS, HTML

    path = finders.find(stylesheet)
    if path is None:
        raise FileNotFoundError(f"PDF stylesheet {stylesheet} is not among the static files")
    html = render_to_string(template, context)
    return HTML(string=html, base_url=base_url).write_pdf(stylesheets=[CSS(filename=path)])
