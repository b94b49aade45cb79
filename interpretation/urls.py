from django.urls import path

from . import views

app_name = "interpretation"

urlpatterns = [
    # Public: the 政策解读 column
    path("jiedu/", views.column, name="column"),
    path("jiedu/<int:pk>/", views.detail, name="detail"),
    path("jiedu/images/<int:pk>/", views.image, name="image"),
    path("jiedu/reprints/", views.reprints, name="reprints"),
    path("jiedu/reprints/<int:pk>/", views.reprint, name="reprint"),
    path("jiedu/experts/", views.experts, name="experts"),
    # Staff workspace
    path("work/interpretation/", views.work, name="work"),
    path("work/interpretation/documents/<int:pk>/", views.document, name="document"),
    path("work/interpretation/documents/<int:pk>/plan/", views.plan_edit, name="plan"),
    path("work/interpretation/documents/<int:pk>/plan/approve/", views.plan_approve, name="plan_approve"),
    path("work/interpretation/documents/<int:pk>/plan/request-approval/", views.plan_request_approval,
         name="plan_request_approval"),
    path("work/interpretation/documents/<int:pk>/plan/reopen/", views.plan_reopen, name="plan_reopen"),
    path("work/interpretation/documents/<int:pk>/materials/new/", views.material_new, name="material_new"),
    path("work/interpretation/documents/<int:pk>/materials/<int:material_pk>/", views.material_edit,
         name="material"),
    path("work/interpretation/documents/<int:pk>/materials/<int:material_pk>/approve/", views.material_approve,
         name="material_approve"),
    path("work/interpretation/documents/<int:pk>/materials/<int:material_pk>/delete/", views.material_delete,
         name="material_delete"),
    path("work/interpretation/documents/<int:pk>/materials/<int:material_pk>/withdraw/", views.material_withdraw,
         name="material_withdraw"),
    path("work/interpretation/documents/<int:pk>/follow-up/", views.follow_up_publish, name="follow_up_publish"),
    path("work/interpretation/experts/", views.staff_experts, name="staff_experts"),
    path("work/interpretation/experts/<int:pk>/", views.staff_expert, name="staff_expert"),
    path("work/interpretation/reprints/", views.staff_reprints, name="staff_reprints"),
    path("work/interpretation/reprints/new/", views.reprint_new, name="reprint_new"),
    path("work/interpretation/reprints/<int:pk>/", views.staff_reprint, name="staff_reprint"),
]
