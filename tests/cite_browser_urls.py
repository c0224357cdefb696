"""URLs for the Cite panel's browser test: the project's URLs plus one page holding the panels."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.template import RequestContext, Template
from django.urls import include, path

from documents.models import Document

PAGE = Template(
    """{% load citation_tags %}<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ document.title }}</title>{% citation_meta document %}</head>
<body><main><h1>{{ document.title }}</h1>{% cite_panel document %}
{% for p in passages %}<div class="row"><p id="{{ p.anchor }}">{{ p.reading_text }}</p>{% cite_panel p %}</div>
{% endfor %}
</main></body></html>"""
)


def page(request, slug):
    document = get_object_or_404(Document, slug=slug)
    context = RequestContext(request, {"document": document, "passages": document.passages.for_reader()})
    return HttpResponse(PAGE.render(context))


urlpatterns = [path("cite-page/<slug:slug>/", page), path("", include("edition.urls"))]
