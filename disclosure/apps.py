from django.apps import AppConfig


class DisclosureConfig(AppConfig):
    """政府信息公开 — documents, disclosure attributes, reviews, the 五公开 column."""

    name = "disclosure"
    verbose_name = "政府信息公开"

    def ready(self):
        from .deadlines import register_rules

        register_rules()
        from django.db.models.signals import post_delete, post_save

        from tongchuan_portal.units.models import Unit

        # Public pages name units: a rename or removal must not be served from the page cache.
        post_save.connect(_unit_changed, sender=Unit, dispatch_uid="disclosure-pages-unit")
        post_delete.connect(_unit_changed, sender=Unit, dispatch_uid="disclosure-pages-unit-delete")


def _unit_changed(sender, **kwargs) -> None:
    from .pagecache import bump_public_version

    bump_public_version()
