from django.urls import path

from . import confidentiality, public_views, views

app_name = "annual_report"

urlpatterns = [
    path("work/annual-reports/", views.my_reports, name="mine"),
    path("work/annual-reports/open/", views.open_report, name="open"),
    path("work/annual-reports/appeals/", views.appeals, name="appeals"),
    path("work/annual-reports/summary/", views.city_summary, name="city_summary"),
    path("work/annual-reports/<int:pk>/", views.report_detail, name="staff_detail"),
    path("work/annual-reports/<int:pk>/rows/", views.enter_rows, name="enter_rows"),
    path("work/annual-reports/<int:pk>/sections/", views.write_sections, name="write_sections"),
    path("work/annual-reports/<int:pk>/submit/", views.submit, name="submit"),
    path("work/annual-reports/<int:pk>/approve/", views.approve, name="approve"),
    path("work/annual-reports/<int:pk>/return/", views.return_report, name="return"),
    path("work/annual-reports/<int:pk>/correct/", views.correct, name="correct"),
    path("work/annual-reports/<int:pk>/clear/", confidentiality.clear, name="clear"),
    path("xxgk/annual-reports/<slug:code>/<int:year>/", public_views.report_detail, name="public_detail"),
    path("xxgk/annual-reports/<slug:code>/<int:year>/report.pdf", public_views.report_pdf, name="pdf"),
    path("xxgk/annual-reports/<slug:code>/<int:year>/report.csv", public_views.report_csv, name="csv"),
    path("xxgk/annual-reports/<slug:code>/<int:year>/report.xlsx", public_views.report_xlsx, name="xlsx"),
]
