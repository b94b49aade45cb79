"""RSS and Atom per unit and per five-disclosure area (W3), newest 30 items, two queries."""

from django.contrib.syndication.views import Feed
from django.db.models import Q
from django.http import Http404
from django.utils.feedgenerator import Atom1Feed

from tongchuan_portal.units.models import Unit

from .models import FiveDisclosure
from .search import _plain
from .selectors import public_documents

ITEMS = 30


class _DocumentFeed(Feed):
    def items(self, obj):
        return self.filter(public_documents(), obj).select_related("issuer", "issued_by").only(
            "id", "title", "body", "published_at", "issuer__name", "issued_by__name").order_by("-published_at", "-pk")[:ITEMS]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return _plain(item.body)[:200]

    def item_link(self, item):
        return item.get_public_url()

    def item_pubdate(self, item):
        return item.published_at

    def item_author_name(self, item):
        return item.issuing_body.name


class UnitRss(_DocumentFeed):
    def get_object(self, request, code):
        try:
            return Unit.objects.get(code=code, is_active=True)
        except Unit.DoesNotExist:
            raise Http404 from None

    def title(self, obj):
        return f"{obj.name} - 政府信息公开"

    def link(self, obj):
        return f"/xxgk/wgk/?unit={obj.code}"

    def description(self, obj):
        return f"{obj.name}最新主动公开的政府信息"

    def filter(self, qs, obj):
        """The unit's own documents, and those issued in its name (D8), e.g. 市政府办公室's drafted elsewhere."""
        return qs.filter(Q(issuer=obj) | Q(issued_by=obj))


class UnitAtom(UnitRss):
    feed_type = Atom1Feed
    subtitle = UnitRss.description


class AreaRss(_DocumentFeed):
    def get_object(self, request, area):
        if area not in FiveDisclosure.values:
            raise Http404
        return area

    def title(self, obj):
        return f"{FiveDisclosure(obj).label} - 铜川市政府信息公开"

    def link(self, obj):
        return f"/xxgk/wgk/?area={obj}"

    def description(self, obj):
        return f"铜川市{FiveDisclosure(obj).label}最新信息"

    def filter(self, qs, obj):
        return qs.filter(area=obj)


class AreaAtom(AreaRss):
    feed_type = Atom1Feed
    subtitle = AreaRss.description
