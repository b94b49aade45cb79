from django.urls import path

from . import confidentiality, views

app_name = "participation"

urlpatterns = [
    # Public: 意见征集, 会议与活动, 留言, 第三方评估.
    path("", views.drafts, name="drafts"),
    path("drafts/<int:pk>/", views.draft_detail, name="draft_detail"),
    path("drafts/<int:pk>/comment/", views.comment_submit, name="comment_submit"),
    path("meetings/", views.meetings, name="meetings"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/register/", views.meeting_register, name="meeting_register"),
    path("registrations/query/", views.registration_query, name="registration_query"),
    path("messages/", views.message_list, name="messages"),
    path("messages/<int:pk>/", views.message_detail, name="message_detail"),
    path("messages/write/", views.message_write, name="message_write"),
    path("messages/query/", views.message_query, name="message_query"),
    path("submitted/", views.submitted, name="submitted"),
    path("evaluations/", views.evaluations, name="evaluations"),
    path("evaluations/<int:pk>/", views.evaluation_detail, name="evaluation_detail"),
    # Staff.
    path("staff/", views.staff_home, name="staff_home"),
    path("staff/drafts/new/", views.staff_draft_new, name="staff_draft_new"),
    path("staff/drafts/<int:pk>/", views.staff_draft, name="staff_draft"),
    path("staff/messages/", views.staff_messages, name="staff_messages"),
    path("staff/messages/<int:pk>/", views.staff_message, name="staff_message"),
    path("staff/meetings/new/", views.staff_meeting_new, name="staff_meeting_new"),
    path("staff/meetings/<int:pk>/", views.staff_meeting, name="staff_meeting"),
    path("staff/evaluations/new/", views.staff_evaluation_new, name="staff_evaluation_new"),
    path("staff/evaluations/<int:pk>/publish/", views.staff_evaluation_publish, name="staff_evaluation_publish"),
    # 保密审查 (D7), reached from the one confidentiality queue.
    path("staff/confidentiality/drafts/<int:pk>/", confidentiality.clear_draft, name="clear_draft"),
    path("staff/confidentiality/reports/<int:pk>/", confidentiality.clear_report, name="clear_report"),
]
