from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    """The edition's documents: TEI import, models, reader, search and exports."""

    name = "documents"
    verbose_name = "Edition"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Search index and page cache follow imports and editors' changes (signals).
        from documents import cache, checks  # noqa: F401 (checks registers the deployment checks)
        from documents.search import receivers  # noqa: F401

        cache.connect_signals()

        # The Editors group follows documents.permissions after every migrate and test-database flush.
        from django.db.models.signals import post_migrate

        from documents.permissions import ensure_editors_group

        post_migrate.connect(ensure_editors_group, sender=self, dispatch_uid="documents.ensure_editors_group")
