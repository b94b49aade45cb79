from django.urls import path

from . import views

app_name = "clock"

urlpatterns = [
    path("", views.my_deadlines, name="mine"),
    path("<int:pk>/", views.deadline_detail, name="detail"),
]
