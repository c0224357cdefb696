"""sitemap.xml (django.contrib.sitemaps): the reading pages search engines and aggregators should find.

URLs are absolute from EDITION_BASE_URL (not the request's Host). A document's `lastmod` is the later
of its own change and its latest published note (what its page shows).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Max, Q
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse

from documents.models import Document, Entity


class _Site:
    def __init__(self, domain: str):
        self.domain = domain


class EditionSitemap(Sitemap):
    def get_urls(self, page=1, site=None, protocol=None):
        parts = urlsplit(settings.EDITION_BASE_URL.rstrip("/"))
        return super().get_urls(page=page, site=_Site(parts.netloc + parts.path), protocol=parts.scheme or "https")


class PagesSitemap(EditionSitemap):
    """Home and the indexes."""

    priority = 0.6

    def items(self):
        return ["documents:home", "documents:people", "documents:places", "documents:organisations"]

    def location(self, item):
        return reverse(item)


class DocumentSitemap(EditionSitemap):
    priority = 1.0

    def items(self):
        latest_note = Max("notes__modified", filter=Q(notes__status="published"))
        return Document.objects.in_order().annotate(lastmod=Greatest("modified", Coalesce(latest_note, "modified")))

    def location(self, item):
        return reverse("documents:document", kwargs={"slug": item.slug})

    def lastmod(self, item):
        return item.lastmod


class EntitySitemap(EditionSitemap):
    priority = 0.5

    def items(self):
        return Entity.objects.order_by("kind", "key")

    def location(self, item):
        return item.get_absolute_url()


SITEMAPS = {"pages": PagesSitemap, "documents": DocumentSitemap, "entities": EntitySitemap}
