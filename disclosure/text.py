"""Text rules for documents: 发文字号 normalisation and safe rich text."""

import re

import nh3

# 机关代字 + year in any bracket style + serial + 号, e.g. 铜政办发[2016]71号, 铜政办发(2016)71号, 铜政办发2016 71号.
NUMBER_PATTERN = re.compile(
    r"^\s*(?P<prefix>[\u4e00-\u9fffA-Za-z]+?)\s*[〔\[\(（【［]?\s*(?P<year>(19|20)\d{2})\s*[〕\]\)）】］]?\s*"
    r"第?\s*(?P<serial>\d{1,5})\s*号?\s*$"
)

ALLOWED_TAGS = {
    "p", "br", "strong", "b", "em", "i", "u", "h2", "h3", "h4", "ul", "ol", "li", "blockquote",
    "table", "thead", "tbody", "tr", "th", "td", "a", "span", "sup", "sub",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan", "scope"}}


def parse_document_number(text: str) -> tuple[str, int, int] | None:
    """('铜政办发', 2016, 71) from any common way of typing 发文字号; None if it is not one."""
    match = NUMBER_PATTERN.match(text or "")
    if not match:
        return None
    return match["prefix"], int(match["year"]), int(match["serial"])


def format_document_number(prefix: str, year: int, serial: int) -> str:
    return f"{prefix}〔{year}〕{serial}号"


def clean_body(html: str) -> str:
    """Keep the structure a government document needs; drop scripts, styles, event handlers."""
    if not html:
        return ""
    if "<" not in html:
        paragraphs = [p.strip() for p in re.split(r"\n\s*\n|\r?\n", html) if p.strip()]
        html = "".join(f"<p>{nh3.clean_text(p)}</p>" for p in paragraphs)
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes={"http", "https", "mailto"},
                     link_rel="noopener noreferrer")
