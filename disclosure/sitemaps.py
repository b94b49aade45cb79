from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .selectors import public_documents


class DocumentSitemap(Sitemap):
    """Every public document — withdrawn or unpublished ones never appear (D7)."""

    changefreq = "monthly"
    limit = 5000

    def items(self):
        return public_documents().only("id", "published_at", "updated_at").order_by("-published_at", "-pk")

    def location(self, item):
        return item.get_public_url()

    def lastmod(self, item):
        return item.updated_at


class ColumnSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.8

    def items(self):
        return ["core:home", "disclosure:column", "disclosure:wgk", "disclosure:guide", "disclosure:system",
                "disclosure:statutory", "disclosure:annual_reports", "disclosure:catalogs", "disclosure:key_points"]

    def location(self, item):
        return reverse(item)


SITEMAPS = {"column": ColumnSitemap, "documents": DocumentSitemap}
