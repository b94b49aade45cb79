from django.urls import path

from . import views

app_name = "applications"

urlpatterns = [
    # Public, in the 政府信息公开 column.
    path("xxgk/ysqgk/", views.index, name="index"),
    path("xxgk/ysqgk/apply/", views.apply, name="apply"),
    path("xxgk/ysqgk/submitted/", views.submitted, name="submitted"),
    path("xxgk/ysqgk/form/", views.blank_form, name="blank_form"),
    path("xxgk/ysqgk/query/", views.query, name="query"),
    path("xxgk/ysqgk/status/<str:number>/", views.status, name="status"),
    path("xxgk/ysqgk/status/<str:number>/reply/", views.reply_letter, name="reply_letter"),
    path("xxgk/ysqgk/status/<str:number>/files/<int:pk>/", views.reply_file, name="reply_file"),
    # Staff.
    path("work/applications/", views.staff_queue, name="queue"),
    path("work/applications/supervision/", views.supervision, name="supervision"),
    path("work/applications/register/", views.staff_register, name="staff_register"),
    path("work/applications/<int:pk>/", views.staff_detail, name="staff_detail"),
    path("work/applications/<int:pk>/registered/", views.staff_registered, name="staff_registered"),
    path("work/applications/<int:pk>/reply/", views.staff_letter, name="staff_letter"),
    path("work/applications/<int:pk>/files/<int:file_pk>/", views.staff_file, name="staff_file"),
    path("work/applications/<int:pk>/identity/", views.staff_identity_proof, name="staff_identity"),
    path("work/applications/<int:pk>/clear/", views.clear_reply, name="clear_reply"),
]
