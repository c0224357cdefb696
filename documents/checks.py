"""System checks of the production settings (`manage.py check --deploy`), see docs/deployment.md."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

LOCAL_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
    "django.core.cache.backends.filebased.FileBasedCache",
)
# Host names that mean "this machine" in EDITION_BASE_URL (a warning names them); nothing binds to them.
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "0.0.0.0", "testserver"}  # nosec B104


@register(Tags.caches, deploy=True)
def shared_cache(app_configs=None, **kwargs):
    """edition.E001: with DEBUG off the page cache and its content version must be shared by every process.

    A per-process cache (the local-memory default) keeps serving a page in the workers that did not see
    the change: an un-published note stayed visible to anonymous readers (issue 19.2)."""
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if settings.DEBUG or backend not in LOCAL_CACHES:
        return []
    return [
        Error(
            f"The default cache is per-process ({backend.rsplit('.', 1)[-1]}) in production.",
            hint="Set REDIS_URL (e.g. redis://cache-host:6379/0) so that every app process shares the page cache "
            "and its content version (docs/deployment.md).",
            id="edition.E001",
        )
    ]


@register(Tags.security, deploy=True)
def public_base_url(app_configs=None, **kwargs):
    """edition.W001: absolute URLs (canonical links, citations, JSON-LD, DTS, API) come from EDITION_BASE_URL."""
    if settings.DEBUG:
        return []
    parts = urlsplit(getattr(settings, "EDITION_BASE_URL", ""))
    if parts.scheme == "https" and parts.hostname and parts.hostname not in LOCAL_HOSTS:
        return []
    return [
        Warning(
            f"EDITION_BASE_URL is {settings.EDITION_BASE_URL!r}: permalinks and citations would point there.",
            hint="Set EDITION_BASE_URL to the public https origin, e.g. https://edition.example.org.",
            id="edition.W001",
        )
    ]
