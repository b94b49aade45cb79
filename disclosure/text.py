"""Text rules for documents: 发文字号 normalisation and safe rich text."""

import html as html_lib
import re
from html.parser import HTMLParser

import nh3

# 机关代字 + year in any bracket style + serial + 号, e.g. 铜政办发[2016]71号, 铜政办发(2016)71号, 铜政办发2016 71号,
# 铜政办发2016年71号, 铜政办发(2016)71.
NUMBER_PATTERN = re.compile(
    r"^\s*(?P<prefix>[\u4e00-\u9fffA-Za-z]+?)\s*[〔\[\(（【［]?\s*(?P<year>(19|20)\d{2})\s*[〕\]\)）】］]?\s*年?\s*"
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


# Elements that end a paragraph when the stored body is turned back into what the clerk typed.
_BLOCKS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "tr", "table", "ul", "ol"}


class _TextParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self.current: list[str] = []

    def _end_paragraph(self):
        text = "".join(self.current).strip()
        if text:
            self.paragraphs.append(text)
        self.current = []

    def handle_starttag(self, tag, attrs):
        if tag in _BLOCKS:
            self._end_paragraph()
        elif tag == "br":
            self._end_paragraph()
        elif tag in {"td", "th"} and self.current:
            self.current.append("  ")

    def handle_endtag(self, tag):
        if tag in _BLOCKS:
            self._end_paragraph()

    def handle_data(self, data):
        self.current.append(re.sub(r"\s+", " ", data))


def body_to_text(body: str) -> str:
    """The stored (sanitised HTML) body as the clerk typed it: one paragraph per block, blank lines
    between — what the 正文 box shows, so that it never holds tags such as ``<p>一、总则</p>``."""
    if not body:
        return ""
    parser = _TextParser()
    parser.feed(body)
    parser.close()
    parser._end_paragraph()
    return "\n\n".join(parser.paragraphs)


def text_to_body(text: str) -> str:
    """Plain text typed into the 正文 box → paragraphs of HTML. Everything typed is text: a "<" the
    clerk types stays a "<", it never becomes markup. `clean_body` sanitises the result as before."""
    paragraphs = [p.strip() for p in re.split(r"\r?\n", text or "") if p.strip()]
    return "".join(f"<p>{html_lib.escape(p, quote=False)}</p>" for p in paragraphs)


def body_is_rich(body: str) -> bool:
    """Whether the stored body has structure beyond paragraphs (tables, lists, emphasis) that the
    plain-text box cannot show; the form warns before a save flattens it."""
    return bool(re.search(r"<(?!/?(p|br)\b)[a-z]", body or "", flags=re.I))
