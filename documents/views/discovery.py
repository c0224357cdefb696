"""Thin views for harvesters and clients: robots.txt, OAI-PMH, the OpenAPI description."""

from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from documents.exports import links, oai, openapi

from .responses import json_response


@require_safe
def robots_txt(request):
    """Crawl the edition, not the admin or the unbounded search result pages; the sitemap says what there is."""
    sitemap = links.base(settings.EDITION_BASE_URL) + reverse("documents:sitemap")
    lines = ["User-agent: *", "Disallow: /admin/", "Disallow: /search/", f"Sitemap: {sitemap}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


@csrf_exempt  # OAI-PMH allows POST of the same arguments; nothing is changed by it
@require_http_methods(["GET", "HEAD", "POST"])
def oai_pmh(request):
    params = request.POST if request.method == "POST" else request.GET
    return HttpResponse(oai.respond({k: params.getlist(k) for k in params}), content_type=oai.MEDIA_TYPE)


@require_safe
def openapi_description(request):
    return json_response(openapi.description(), content_type=openapi.MEDIA_TYPE)
