"""The search page: a thin view over documents.search (cached results, a time budget, refused monsters)."""

from django.shortcuts import render
from django.utils.http import urlencode

from documents.cache_responses import cache_response_for_anonymous
from documents.search.cached import cached_search
from documents.search.query import MAX_QUERY_CHARS, too_complex

#: Query-string parameters that are facet filters (kept across facet links and pages).
FILTER_PARAMS = ("document", "speaker", "type", "date", "person", "place", "from", "to")


def _url(params: dict) -> str:
    return "?" + urlencode({k: v for k, v in params.items() if v})


@cache_response_for_anonymous("search", params=("q", "page", *FILTER_PARAMS))
def search(request):
    q = request.GET.get("q", "")
    reason = too_complex(q)
    if reason:
        context = {"q": q[:MAX_QUERY_CHARS], "reason": reason}
        return render(request, "documents/search_too_complex.html", context, status=400)
    current = {k: request.GET.get(k, "")[:200] for k in FILTER_PARAMS}
    results = cached_search(q, current, page=request.GET.get("page", 1))
    base = {"q": q[:1000], **current}
    facet_links = []
    if results.facets:
        for facet in results.facets:
            items = []
            for item in facet.items:
                selected = current.get(facet.param) == item.value
                params = {**base, facet.param: "" if selected else item.value}
                items.append({"item": item, "selected": selected, "url": _url(params)})
            if items:
                facet_links.append({"facet": facet, "items": items})
    active = [
        {"param": k, "value": v, "remove_url": _url({**base, k: ""})} for k, v in current.items() if v
    ]
    context = {
        "q": q,
        "results": results,
        "facets": facet_links,
        "active_filters": active,
        "previous_url": _url({**base, "page": results.page - 1}) if results.has_previous else "",
        "next_url": _url({**base, "page": results.page + 1}) if results.has_next else "",
        "filter_params": current,
    }
    # A search stopped by its time budget: 503 (the server could not answer it now), with the advice.
    response = render(request, "documents/search.html", context, status=503 if results.timed_out else 200)
    if q and not results.total:
        response["X-Robots-Tag"] = "noindex"
    return response
