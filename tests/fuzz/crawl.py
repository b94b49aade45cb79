"""A small crawler for the fuzz tests: which pages each person reaches, and every form on them."""

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urljoin, urlsplit

from django.urls import Resolver404, resolve

SKIP_PREFIXES = ("/admin/", "/static/", "/media/", "/accounts/logout/", "/healthz")


@dataclass
class Field:
    name: str
    kind: str  # text, textarea, select, radio, checkbox, hidden, date, datetime-local, number, email, url, file
    value: str = ""
    options: list[str] = field(default_factory=list)


@dataclass
class Form:
    action: str  # path
    method: str
    fields: list[Field]
    button: tuple[str, str] | None = None  # the submit button's (name, value), one form per button

    def baseline(self) -> dict[str, list[str]]:
        """What a careful person would submit: defaults kept, empty inputs filled with plausible values."""
        data: dict[str, list[str]] = {}
        for f in self.fields:
            if f.kind == "file" or f.name == "website":  # uploads skipped; the honeypot stays empty
                continue
            value = f.value or plausible(f)
            if f.kind == "checkbox" and not f.value:
                continue
            data.setdefault(f.name, []).append(value)
        if self.button:
            data[self.button[0]] = [self.button[1]]
        return data

    def key(self):
        return (self.action, self.method, self.button, tuple(sorted({f.name for f in self.fields})))


def plausible(f: Field) -> str:
    from django.utils import timezone

    now = timezone.localtime()
    if f.kind in {"select", "radio"}:
        return next((o for o in f.options if o), "")
    return {
        "date": f"{now:%Y-%m-%d}", "datetime-local": f"{now:%Y-%m-%dT%H:%M}", "number": "1",
        "email": "fuzz@example.com", "url": "https://www.tongchuan.gov.cn/", "tel": "13800000000",
        "checkbox": "on", "hidden": "",
    }.get(f.kind, "测试内容")


class _PageParser(HTMLParser):
    def __init__(self, base: str):
        super().__init__(convert_charrefs=True)
        self.base = base
        self.links: list[str] = []
        self.forms: list[Form] = []
        self._form: dict | None = None
        self._select: Field | None = None
        self._textarea: Field | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(urljoin(self.base, a["href"]))
        elif tag == "form":
            self._form = {"action": urljoin(self.base, a.get("action") or self.base),
                          "method": (a.get("method") or "get").lower(), "fields": [], "buttons": []}
        elif self._form is None:
            return
        elif tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in {"submit", "image"}:
                if a.get("name"):
                    self._form["buttons"].append((a["name"], a.get("value", "")))
            elif a.get("name") and kind != "button":
                if kind in {"checkbox", "radio"}:
                    existing = next((f for f in self._form["fields"] if f.name == a["name"] and f.kind == kind), None)
                    if kind == "radio" and existing:
                        existing.options.append(a.get("value", "on"))
                        if "checked" in a:
                            existing.value = a.get("value", "on")
                        return
                    self._form["fields"].append(Field(a["name"], kind, a.get("value", "on") if "checked" in a else "",
                                                      [a.get("value", "on")]))
                else:
                    self._form["fields"].append(Field(a["name"], kind, a.get("value", "")))
        elif tag == "button" and a.get("name") and (a.get("type") or "submit") == "submit":
            self._form["buttons"].append((a["name"], a.get("value", "")))
        elif tag == "select" and a.get("name"):
            self._select = Field(a["name"], "select")
            self._form["fields"].append(self._select)
        elif tag == "option" and self._select is not None:
            self._select.options.append(a.get("value", ""))
            if "selected" in a:
                self._select.value = a.get("value", "")
        elif tag == "textarea" and a.get("name"):
            self._textarea = Field(a["name"], "textarea")
            self._form["fields"].append(self._textarea)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            if self._textarea is not None:
                self._textarea.value = self._textarea.value.strip()
            self._textarea = None
        elif tag == "form" and self._form is not None:
            f = self._form
            action = urlsplit(f["action"])
            for button in f["buttons"] or [None]:
                self.forms.append(Form(action.path, f["method"], f["fields"], button))
            if f["method"] == "get":
                names = [x.name for x in f["fields"]]
                self.links.append(f"{action.path}?" + "&".join(f"{n}=" for n in names))
            self._form = None


def route_of(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return f"{match.namespace}:{match.url_name}"


@dataclass
class Site:
    """What one person reached: a concrete URL per route, the query names seen per route, the forms."""

    pages: dict[str, str] = field(default_factory=dict)  # route -> first URL (path + query)
    query_names: dict[str, set[str]] = field(default_factory=dict)  # route -> parameter names
    query_examples: dict[str, list[dict]] = field(default_factory=dict)  # route -> real queries from links
    forms: dict[tuple, Form] = field(default_factory=dict)


def crawl(client, seeds: list[str], *, max_pages: int = 150, per_route: int = 2, failures=None) -> Site:
    """Breadth-first from `seeds`, at most `per_route` URLs per URL pattern; 5xx pages go to `failures`."""
    site = Site()
    seen_urls: set[str] = set()
    visits_per_route: dict[str, int] = {}
    queue = list(seeds)
    fetched = 0
    while queue and fetched < max_pages:
        url = queue.pop(0)
        parts = urlsplit(url)
        if parts.netloc and parts.netloc != "testserver":
            continue
        path = parts.path
        if not path.startswith("/") or path.startswith(SKIP_PREFIXES):
            continue
        route = route_of(path)
        if route is None:
            continue
        pairs = parse_qsl(parts.query, keep_blank_values=True)
        site.query_names.setdefault(route, set()).update(k for k, _ in pairs)
        example = {k: v for k, v in pairs if v}
        examples = site.query_examples.setdefault(route, [])
        if example and example not in examples and len(examples) < 3:
            examples.append(example)
        full = path + (f"?{parts.query}" if parts.query else "")
        if full in seen_urls or visits_per_route.get(route, 0) >= per_route:
            continue
        seen_urls.add(full)
        visits_per_route[route] = visits_per_route.get(route, 0) + 1
        response = client.get(full)
        fetched += 1
        if response.status_code >= 500 and failures is not None:
            failures.append(f"GET {full} → {response.status_code} (crawl)")
        site.pages.setdefault(route, full)
        if "html" not in response.get("Content-Type", ""):
            continue
        parser = _PageParser(path)
        parser.feed(response.content.decode("utf-8", "replace"))
        for form in parser.forms:
            if form.method == "post" and route_of(form.action):
                site.forms.setdefault(form.key(), form)
        queue.extend(parser.links)
    return site
