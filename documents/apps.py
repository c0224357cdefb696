from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    """The edition's documents: TEI import, models, reader, search and exports."""

    name = "documents"
    verbose_name = "Edition"
    default_auto_field = "django.db.models.BigAutoField"
