"""URLs for harvesters and clients: sitemap.xml, robots.txt, OAI-PMH, the OpenAPI description."""

from django.contrib.sitemaps.views import sitemap
from django.urls import path

from documents.sitemaps import SITEMAPS
from documents.views import discovery

urlpatterns = [
    path("robots.txt", discovery.robots_txt, name="robots"),
    path("oai", discovery.oai_pmh, name="oai"),
    path("api/openapi.json", discovery.openapi_description, name="api-openapi"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
]
