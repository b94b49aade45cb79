from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from . import views
from .docs import docs

app_name = "api"

# One line per endpoint.
router = SimpleRouter(trailing_slash=True)
router.register("units", views.UnitViewSet, basename="unit")
router.register("documents", views.DocumentViewSet, basename="document")
router.register("attachments", views.AttachmentViewSet, basename="attachment")
router.register("interpretations", views.InterpretationViewSet, basename="interpretation")
router.register("comment-periods", views.CommentPeriodViewSet, basename="comment-period")
router.register("meetings", views.MeetingViewSet, basename="meeting")
router.register("responses", views.ReleaseViewSet, basename="response")
router.register("catalogs", views.CatalogViewSet, basename="catalog")
router.register("annual-reports", views.AnnualReportViewSet, basename="annual-report")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", docs, name="docs"),
    path("", include(router.urls)),
    re_path(r"^.*$", views.not_found),
]
