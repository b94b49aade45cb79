"""The public 回应关切 column, mounted at /huiying/."""

from django.urls import path

from . import views

app_name = "huiying"

urlpatterns = [
    path("", views.column, name="list"),
    path("<int:pk>/", views.column_detail, name="detail"),
]
