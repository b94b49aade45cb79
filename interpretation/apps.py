from django.apps import AppConfig


class InterpretationConfig(AppConfig):
    """政策解读 — interpretations approved and released with their documents."""

    name = "interpretation"
    verbose_name = "政策解读"
