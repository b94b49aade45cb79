"""Published documents for any unit at a chosen moment, through the real import service."""

import itertools
from datetime import datetime

from disclosure import services
from disclosure.models import DocumentKind, IssuedInNameOf
from tongchuan_portal.clock.workdays import BEIJING
from tongchuan_portal.core.services import system_user

_serial = itertools.count(1)


def published(unit, *, title="", published_at=None, body="<p>正文。</p>", area="decision", topic="general",
              number="", index=""):
    n = next(_serial)
    return services.document_import_published(
        by=system_user(), issuer=unit, number_text=number,
        published_at=published_at or datetime(2026, 11, 2, 9, 0, tzinfo=BEIJING),
        index_number=index or f"TEST-{n:06d}",
        data={"title": title or f"{unit.short_name}信息{n}", "kind": DocumentKind.OTHER,
              "issued_in_name_of": IssuedInNameOf.OWN_UNIT, "area": area, "topic": topic, "written_on": None,
              "attribute": "proactive", "source": unit.name, "web_editor": "", "info_reviewer": "", "body": body})
