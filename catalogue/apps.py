from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "catalogue"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from .changes import signals
        from .readers.orcid import accounts

        signals.connect()
        accounts.connect()
