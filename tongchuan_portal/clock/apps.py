from django.apps import AppConfig


class ClockConfig(AppConfig):
    """The working-day calendar and the one deadline engine every app uses (CLOCK1–CLOCK7)."""

    name = "tongchuan_portal.clock"
    label = "clock"
    verbose_name = "工作日历与时限"
