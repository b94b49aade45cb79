from django.urls import path

from . import views

app_name = "sections"

urlpatterns = [
    path("site/<slug:code>/", views.home, name="unit"),
    path("site/<slug:code>/xxgk/", views.disclosure_column, name="disclosure"),
    path("dingyue/", views.feeds, name="feeds"),
    path("share/qr.svg", views.qr, name="qr"),
]
