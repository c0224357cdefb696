"""Exports keyed by format name, shared by views and management commands.

Each exporter is a small function `(document, **options) -> str | bytes` registered
with `@exporter("name", media_type=..., extension=...)`; call `export(name, document, **options)`.
`media_type(name)` and `extension(name)` give what a view or command needs to serve or save it.
"""

from collections.abc import Callable

EXPORTERS: dict[str, Callable] = {}

DEFAULT_MEDIA_TYPE = "text/plain; charset=utf-8"


def exporter(name: str, media_type: str = DEFAULT_MEDIA_TYPE, extension: str = "txt"):
    def register(func):
        func.media_type = media_type
        func.extension = extension
        EXPORTERS[name] = func
        return func

    return register


def _get(name: str) -> Callable:
    try:
        return EXPORTERS[name]
    except KeyError:
        raise ValueError(f"unknown export format {name!r}; known: {', '.join(sorted(EXPORTERS))}") from None


def export(name: str, document, **options):
    return _get(name)(document, **options)


def media_type(name: str) -> str:
    """The Content-Type to serve format `name` with."""
    return getattr(_get(name), "media_type", DEFAULT_MEDIA_TYPE)


def extension(name: str) -> str:
    """The file extension (without dot) for format `name`."""
    return getattr(_get(name), "extension", "txt")


# Importing the modules registers their exporters.
from . import annotations, api, citation, dts, epub, pdf, tei, text  # noqa: E402,F401
