from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "catalogue"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import live
        from .search import signals

        signals.connect()
        live.connect()
