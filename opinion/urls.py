from django.urls import path

from . import views

app_name = "opinion"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("new/", views.case_new, name="new"),
    path("cases/<int:pk>/", views.case_detail, name="case"),
    path("cases/<int:pk>/<slug:action>/", views.case_action, name="action"),
    # 保密审查 (D7): the reviewer's page, reached from the one confidentiality queue; the unit's revision.
    path("releases/<int:pk>/confidentiality/", views.release_clearance, name="release_clearance"),
    path("releases/<int:pk>/resubmit/", views.release_resubmit, name="release_resubmit"),
]
