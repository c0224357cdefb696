"""Inlined stylesheets (documents/inline_css.py: why, and how the CSP allows them by hash).

    {% load edition_css %}
    {% inline_css "css/edition.css" %}   <style> with the file's text (one of inline_css.INLINED)
    {% inline_rows_css blocks %}         <style> with the reader's grid rows, as many as the longest block needs
"""

from __future__ import annotations

from django import template
from django.utils.safestring import mark_safe

from documents.inline_css import css_text, rows_name

register = template.Library()


def _style(name: str) -> str:
    return mark_safe(f"<style>{css_text(name)}</style>")  # noqa: S308  # nosec B308, B703 - our own static file


@register.simple_tag
def inline_css(name: str) -> str:
    return _style(name)


def _rows_of(block) -> int:
    rows = block.get("rows") if isinstance(block, dict) else getattr(block, "rows", None)
    return len(rows or ())


@register.simple_tag
def inline_rows_css(blocks) -> str:
    return _style(rows_name(max((_rows_of(b) for b in blocks or ()), default=0)))
