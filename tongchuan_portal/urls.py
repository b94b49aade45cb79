from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from tongchuan_portal.core.views import healthz

admin.site.site_header = "铜川市政务公开平台 · 管理与审计"
admin.site.site_title = "政务公开平台管理"
admin.site.index_title = "管理与审计"

urlpatterns = [
    path("", include("tongchuan_portal.core.urls")),
    path("", include("disclosure.annual_report.urls")),
    path("", include("disclosure.urls")),
    path("", include("disclosure.applications.urls")),  # xxgk/ysqgk/ (依申请公开) and work/applications/
    path("", include("interpretation.urls")),  # jiedu/ (public column) and work/interpretation/
    path("", include("tongchuan_portal.sections.urls")),  # site/<unit>/ sections, 订阅, share QR (W1, W3)
    path("api/v1/", include("tongchuan_portal.api.urls")),  # the open-data API (W3)
    path("work/monitoring/", include("tongchuan_portal.monitoring.urls")),  # 网站监测 (W2)
    path("healthz", healthz, name="healthz"),
    path("deadlines/", include("tongchuan_portal.clock.urls")),
    path("inbox/", include("tongchuan_portal.notifications.urls")),
    path("opinion/", include("opinion.urls")),
    path("huiying/", include("opinion.public_urls")),
    path("participation/", include("participation.urls")),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
]
# Uploaded files are never served straight from MEDIA_ROOT: each download goes through a
# view that checks who may see it (drafts' attachments, unit seals).
