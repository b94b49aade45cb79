from django.urls import path

from . import views

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
    # Public
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("xxgk/documents/<int:pk>/", views.public_detail, name="public_detail"),
]
