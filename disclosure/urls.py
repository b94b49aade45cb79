from django.urls import path

from django.contrib.sitemaps import views as sitemap_views

from tongchuan_portal.core.siteurl import on_site_url

from . import feeds, public_views, views
from .sitemaps import SITEMAPS

app_name = "disclosure"

urlpatterns = [
    # Staff workspace (工作台)
    path("work/documents/", views.my_documents, name="mine"),
    path("work/documents/new/", views.document_create, name="staff_create"),
    path("work/documents/<int:pk>/", views.document_detail, name="staff_detail"),
    path("work/documents/<int:pk>/edit/", views.document_edit, name="staff_edit"),
    path("work/documents/<int:pk>/seal-review/", views.request_seal_review, name="request_seal_review"),
    path("work/documents/<int:pk>/submit/", views.submit, name="submit"),
    path("work/documents/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("work/documents/<int:pk>/meeting/", views.record_meeting, name="record_meeting"),
    path("work/documents/<int:pk>/attachments/<int:attachment_pk>/delete/", views.attachment_delete,
         name="attachment_delete"),
    path("work/review/", views.review_queue, name="review_queue"),
    path("work/review/<int:pk>/", views.review, name="review"),
    path("work/review/returns/", views.returns_report, name="returns_report"),
    path("work/seal-reviews/", views.seal_queue, name="seal_queue"),
    path("work/seal-reviews/<int:pk>/", views.seal_decide, name="seal_decide"),
    path("work/seal-reviews/<int:pk>/print/", views.seal_print, name="seal_print"),
    path("work/seal-reviews/<int:pk>/seal.png", views.seal_image, name="seal_image"),
    path("work/confidentiality/", views.confidentiality_queue, name="confidentiality_queue"),
    path("work/confidentiality/<int:pk>/", views.confidentiality_review, name="confidentiality_review"),
    path("work/catalog/", views.catalog_manage, name="catalog_manage"),
    path("work/self-check/", views.self_check, name="self_check"),
    # Public
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("xxgk/", public_views.column_index, name="column"),
    path("xxgk/wgk/", public_views.five_disclosures, name="wgk"),
    path("xxgk/documents/<int:pk>/", public_views.document, name="public_detail"),
    path("xxgk/search/", public_views.search_view, name="search"),
    path("xxgk/guide/", public_views.guide, name="guide"),
    path("xxgk/guide/<slug:code>/", public_views.guide, name="unit_guide"),
    path("xxgk/system/", public_views.system, name="system"),
    path("xxgk/statutory/", public_views.statutory, name="statutory"),
    path("xxgk/annual-reports/", public_views.annual_reports, name="annual_reports"),
    path("xxgk/catalogs/", public_views.catalogs, name="catalogs"),
    path("xxgk/catalogs/<slug:code>/", public_views.unit_catalog, name="unit_catalog"),
    path("xxgk/key-points/", public_views.key_points, name="key_points"),
    # Feeds and sitemaps link to SITE_BASE_URL, never to the request's Host header.
    path("xxgk/feeds/unit/<slug:code>/rss/", on_site_url(feeds.UnitRss()), name="feed_unit_rss"),
    path("xxgk/feeds/unit/<slug:code>/atom/", on_site_url(feeds.UnitAtom()), name="feed_unit_atom"),
    path("xxgk/feeds/area/<slug:area>/rss/", on_site_url(feeds.AreaRss()), name="feed_area_rss"),
    path("xxgk/feeds/area/<slug:area>/atom/", on_site_url(feeds.AreaAtom()), name="feed_area_atom"),
    path("sitemap.xml", on_site_url(sitemap_views.index),
         {"sitemaps": SITEMAPS, "sitemap_url_name": "disclosure:sitemap_section"}, name="sitemap"),
    path("sitemap-<section>.xml", on_site_url(sitemap_views.sitemap), {"sitemaps": SITEMAPS},
         name="sitemap_section"),
    path("robots.txt", public_views.robots_txt, name="robots"),
]
