from django.apps import AppConfig


class SupportConfig(AppConfig):
    """Test-only pieces that child processes (workers, beat) must also load."""

    name = "tests.support"
    label = "test_support"

    def ready(self):
        from . import rules  # noqa: F401
