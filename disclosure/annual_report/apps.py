from django.apps import AppConfig


class AnnualReportConfig(AppConfig):
    """政府信息公开工作年度报告 (A6) — computed from the portal's own records, checked, published on time."""

    name = "disclosure.annual_report"
    label = "annual_report"
    verbose_name = "政府信息公开工作年度报告"

    def ready(self):
        from disclosure.integrations import register_confidentiality_section

        from . import confidentiality, deadlines

        deadlines.register_rules()
        register_confidentiality_section(confidentiality.queue_section)
