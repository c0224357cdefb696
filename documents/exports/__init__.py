"""Exports keyed by format name, shared by views and management commands.

Each exporter is a small function `(document, **options) -> str | bytes` registered
with `@exporter("name")`; call `export(name, document, **options)`.
"""

from collections.abc import Callable

EXPORTERS: dict[str, Callable] = {}


def exporter(name: str):
    def register(func):
        EXPORTERS[name] = func
        return func

    return register


def export(name: str, document, **options):
    try:
        func = EXPORTERS[name]
    except KeyError:
        raise ValueError(f"unknown export format {name!r}; known: {', '.join(sorted(EXPORTERS))}") from None
    return func(document, **options)


from . import tei, text  # noqa: E402,F401  (registers the exporters)
