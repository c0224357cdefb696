"""The OpenAPI 3.1 description of the JSON API, served at /api/openapi.json.

Its schemas are what documents/exports/api.py and annotations.py build; tests/test_openapi.py
validates every API response of the edition against it with openapi-core, so the two cannot drift
apart. Objects are closed (`additionalProperties: false`) except the W3C annotation's parts,
whose model allows more than the edition writes.
"""

from __future__ import annotations

from django.conf import settings

from . import links

MEDIA_TYPE = "application/json"
JSON = "application/json"
PROBLEM = "application/problem+json"
ANNOTATION = 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'

STR, INT, URI = {"type": "string"}, {"type": "integer", "minimum": 0}, {"type": "string", "format": "uri"}
NULLABLE_STR = {"type": ["string", "null"]}


def obj(required: dict, optional: dict | None = None, closed: bool = True) -> dict:
    schema = {"type": "object", "required": list(required), "properties": {**required, **(optional or {})}}
    if closed:
        schema["additionalProperties"] = False
    return schema


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def array(items: dict) -> dict:
    return {"type": "array", "items": items}


def page_of(name: str) -> dict:
    return obj({"count": INT, "next": {"type": ["string", "null"], "format": "uri"},
                "previous": {"type": ["string", "null"], "format": "uri"}, "results": array(ref(name))})  # fmt: skip


ENTITY_REF = {"key": STR, "kind": {"enum": ["person", "place", "org"]}, "name": STR, "url": URI, "api": URI}
DOCUMENT_SUMMARY = {
    "slug": STR, "title": STR, "kind": STR, "date": {"type": ["string", "null"], "format": "date"},
    "date_text": STR, "summary": STR, "authors": array(STR), "modified": {"type": "string", "format": "date-time"},
    "url": URI, "api": URI,
}  # fmt: skip
FORMATS = obj({name: URI for name in ("text", "tei", "annotations", "chicago", "apa", "bibtex", "ris", "csl-json")})
MENTION = obj({"entity": STR, "text": STR, "start": INT, "end": INT})
PASSAGE = obj({"anchor": STR, "kind": STR, "url": URI, "section": NULLABLE_STR, "turn": NULLABLE_STR,
               "reading_text": STR, "diplomatic_text": STR, "mentions": array(MENTION)})  # fmt: skip
TURN = obj({"id": STR, "url": URI, "section": NULLABLE_STR, "speaker": {"oneOf": [ref("EntityRef"), {"type": "null"}]},
            "speaker_label": STR, "speaker_name": STR})  # fmt: skip
SECTION = obj({"id": STR, "kind": STR, "heading": STR, "parent": NULLABLE_STR})
PARTICIPANT = obj({**ENTITY_REF, "role": STR, "description": STR})
SELECTOR = obj({"type": STR}, closed=False)
ANNOTATION_SCHEMA = obj(
    {"@context": STR, "id": URI, "type": {"const": "Annotation"}, "motivation": STR,
     "created": {"type": "string", "format": "date-time"}, "modified": {"type": "string", "format": "date-time"},
     "body": obj({"type": {"const": "TextualBody"}, "format": STR, "value": STR}, {"purpose": STR, "language": STR},
                 closed=False),
     "target": obj({"type": STR, "source": URI}, {"selector": {"oneOf": [SELECTOR, array(SELECTOR)]}}, closed=False)},
    closed=False,
)  # fmt: skip

VERSION = obj({"number": INT, "date": {"type": "string", "format": "date"}, "created": STR, "message": STR,
               "origin": STR, "restored_from": {"type": ["integer", "null"]}, "url": URI})  # fmt: skip

SCHEMAS = {
    "Problem": obj({"type": STR, "title": STR, "status": {"type": "integer"}, "detail": STR}),
    "Index": obj({name: URI for name in ("documents", "people", "places", "organisations", "dts", "openapi")}),
    "EntityRef": obj(ENTITY_REF),
    "DocumentSummary": obj(DOCUMENT_SUMMARY, {"num_passages": INT, "num_turns": INT}),
    "DocumentPage": page_of("DocumentSummary"),
    "Document": obj({**DOCUMENT_SUMMARY, "subtitle": STR, "time_text": STR, "venue": STR, "language": STR,
                     "review_note": STR, "source_note": STR, "metadata": {"type": "object"}, "formats": FORMATS,
                     "participants": array(PARTICIPANT), "sections": array(SECTION), "turns": array(TURN),
                     "passages": array(PASSAGE)},
                    # Citable versions (docs/versions.md): the version shown and every recorded one.
                    {"version": {"type": ["integer", "null"]}, "versions": array(VERSION)}),  # fmt: skip
    "EntitySummary": obj({**ENTITY_REF, "description": STR}, {"num_mentions": INT}),
    "EntityPage": page_of("EntitySummary"),
    "Entity": obj(
        {**ENTITY_REF, "description": STR, "sort_name": STR, "data": {"type": "object"},
         "aliases": array(obj({"name": STR, "lang": STR})),
         "affiliation": {"oneOf": [ref("EntityRef"), {"type": "null"}]}, "members": array(ref("EntityRef")),
         "participations": array(obj({"document": STR, "role": STR, "description": STR})),
         "mentions": array(obj({"document": STR, "passage": STR, "url": URI, "text": STR, "start": INT, "end": INT}))},
        {"num_mentions": INT},
    ),  # fmt: skip
    "Annotation": ANNOTATION_SCHEMA,
}


def _content(media_type: str, schema: str) -> dict:
    return {media_type: {"schema": ref(schema)}}


def _responses(schema: str, media_type: str = JSON, description: str = "OK", not_found: str | None = None) -> dict:
    responses = {"200": {"description": description, "content": _content(media_type, schema)}}
    if not_found:
        responses["404"] = {"description": not_found, "content": _content(PROBLEM, "Problem")}
    return responses


PAGE = {"name": "page", "in": "query", "required": False, "schema": {"type": "integer", "minimum": 1},
        "description": "1-based page number (EDITION_API_PAGE_SIZE items a page)"}  # fmt: skip


def _path_param(name: str, description: str, fmt: str | None = None) -> dict:
    schema = {"type": "string", **({"format": fmt} if fmt else {})}
    return {"name": name, "in": "path", "required": True, "schema": schema, "description": description}


def paths() -> dict:
    result = {
        "/api/": {"get": {"operationId": "index", "summary": "Links to the lists, to DTS and to this description",
                          "responses": _responses("Index")}},
        "/api/openapi.json": {"get": {"operationId": "openapi", "summary": "This description",
                                      "responses": {"200": {"description": "OpenAPI 3.1",
                                                            "content": {JSON: {"schema": {"type": "object"}}}}}}},
        "/api/documents/": {"get": {"operationId": "documentList", "summary": "Documents in edition order",
                                    "parameters": [PAGE],
                                    "responses": _responses("DocumentPage", not_found="No such page")}},
        "/api/documents/{slug}/": {"get": {
            "operationId": "documentDetail", "summary": "A document with its text, turns, passages and mentions",
            "parameters": [_path_param("slug", "the document's slug (TEI/@xml:id)")],
            "responses": _responses("Document", not_found="No such document")}},
        "/api/notes/{uuid}/": {"get": {
            "operationId": "noteDetail", "summary": "A published note as a W3C Web Annotation",
            "parameters": [_path_param("uuid", "the note's UUID", "uuid")],
            "responses": _responses("Annotation", ANNOTATION, not_found="No such (published) note")}},
    }  # fmt: skip
    for kind in ("people", "places", "organisations"):
        result[f"/api/{kind}/"] = {"get": {
            "operationId": f"{kind}List", "summary": f"The {kind} with their number of mentions",
            "parameters": [PAGE], "responses": _responses("EntityPage", not_found="No such page")}}  # fmt: skip
        result[f"/api/{kind}/{{key}}/"] = {"get": {
            "operationId": f"{kind}Detail", "summary": "Names, affiliation, members, roles and every mention",
            "parameters": [_path_param("key", "the entity's key (its xml:id in entities.xml)")],
            "responses": _responses("Entity", not_found="No such entity")}}  # fmt: skip
    return result


def description() -> dict:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": f"{settings.EDITION_TITLE}: JSON API",
            "version": "1.0",
            "description": "Read-only, public, no key. Errors are RFC 9457 problem details. See docs/api.md.",
        },
        "servers": [{"url": links.base(settings.EDITION_BASE_URL) or "/"}],
        "paths": paths(),
        "components": {"schemas": SCHEMAS},
    }
