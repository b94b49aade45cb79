from django.urls import path

from . import views

app_name = "opinion"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("new/", views.case_new, name="new"),
    path("cases/<int:pk>/", views.case_detail, name="case"),
    path("cases/<int:pk>/<slug:action>/", views.case_action, name="action"),
]
