"""Entities: <person>, <place>, <org> of listPerson/listPlace/listOrg, and glossary lists of names
(FRUS "List of Principal Persons": ``<item><persName xml:id>Name</persName>, office.</item>``)."""

from __future__ import annotations

from . import XML_ID, XML_LANG, local_name, tei
from .mapping_refs import FileContext, line_of
from .mapping_types import EntityData, Ref
from .textview import view_text

KIND = {"person": "person", "place": "place", "org": "org", "personGrp": "org"}
NAME = {"person": "persName", "place": "placeName", "org": "orgName", "personGrp": "name"}
GLOSSARY = {"persName": "person", "placeName": "place", "orgName": "org"}
DESCRIPTION = ("note", "desc")
FACTS = ("occupation", "roleName", "state", "trait", "faith", "nationality")


def person_name(name_el) -> tuple[str, str]:
    """Display and sort name of a persName.

    A name written inline keeps the encoder's order (Chinese names put the surname first:
    ``<surname>Zhang</surname> <forename>Hanfu</forename>`` is 'Zhang Hanfu'); a name laid out
    as data, one part per line (Parla-CLARIN), reads 'Forename Surname'. The sort name is
    'Surname, Forename' when the name is structured.
    """
    display = view_text(name_el)
    forenames = [view_text(f) for f in name_el.findall(tei("forename"))]
    surnames = [view_text(s) for s in name_el.findall(tei("surname"))]
    if forenames or surnames:
        fore, sur = " ".join(forenames), " ".join(surnames)
        laid_out = "\n" in (name_el.text or "") or any("\n" in (c.tail or "") for c in name_el)
        if laid_out or not display:
            display = " ".join(x for x in (fore, sur) if x)
        return display, ", ".join(x for x in (sur, fore) if x)
    return display, display


def map_entity(ctx: FileContext, element) -> EntityData | None:
    """One <person>, <place>, <org> or <personGrp> with an xml:id."""
    xml_id = element.get(XML_ID)
    if not xml_id:
        return None
    tag = local_name(element)
    entity = EntityData(key=ctx.entity_key(xml_id), kind=KIND[tag], name="", line=line_of(element))
    _set_names(ctx, element, tag, xml_id, entity)
    _set_description(element, entity)
    _set_affiliation(ctx, element, tag, entity)
    _set_life_data(element, entity)
    return entity


def _name_elements(element, tag: str) -> list:
    names = element.findall(tei(NAME[tag])) or element.findall(tei("name"))
    if tag == "person" and not names:
        names = element.findall(tei("persName"))
    return names


def _set_names(ctx: FileContext, element, tag: str, xml_id: str, entity: EntityData) -> None:
    """The entity's name, sort name and aliases: the preferred name is the first one without a language
    or in English (and not typed alt/variant); else the first name; else the xml:id (an issue)."""
    main = None
    for name_el in _name_elements(element, tag):
        display, sort = person_name(name_el) if tag == "person" else (view_text(name_el), view_text(name_el))
        if not display:
            continue
        lang = name_el.get(XML_LANG) or ""
        if main is None and lang in {"", "en"} and (name_el.get("type") or "") not in {"alt", "variant"}:
            main = (display, sort)
        entity.aliases.append((display[:300], lang[:20]))
    if main is None and entity.aliases:
        main = (entity.aliases[0][0], entity.aliases[0][0])
    if main is None:
        main = (xml_id, xml_id)
        ctx.issue(element, f"{tag} {xml_id!r} has no name")
    entity.name, entity.sort_name = main[0][:300], main[1][:300]
    entity.aliases = [a for a in dict.fromkeys(entity.aliases) if a != (entity.name, "")]


def _set_description(element, entity: EntityData) -> None:
    """The description: the note (or desc); else what the person did (occupation, ...), kept as data too."""
    parts = [view_text(d) for d in element if local_name(d) in DESCRIPTION]
    facts = [(local_name(d), view_text(d)) for d in element if local_name(d) in FACTS]
    for name, text in facts:
        if text:
            entity.data.setdefault(name, text)
    entity.description = " ".join(p for p in parts if p) or "; ".join(t for _, t in facts if t)


def _set_affiliation(ctx: FileContext, element, tag: str, entity: EntityData) -> None:
    """The current <affiliation> (a ref without @to, the last one), else the <org> an <org> is nested in."""
    affiliation = element.find(tei("affiliation"))
    if affiliation is not None:
        current = [a for a in element.findall(tei("affiliation")) if a.get("ref") and not a.get("to")]
        chosen = current[-1] if current else affiliation
        refs = ctx.resolve(chosen.get("ref"), chosen, "ref") if chosen.get("ref") else []
        if refs:
            entity.affiliation = refs[0]
        text = view_text(chosen)
        if text:
            entity.data["affiliation"] = text
    parent = element.getparent()
    if entity.affiliation is None and tag == "org" and parent is not None and local_name(parent) == "org":
        # TEI has no <affiliation> in <org>: a part of an organisation is an <org> nested in it.
        parent_id = parent.get(XML_ID)
        if parent_id:
            entity.affiliation = Ref(key=ctx.entity_key(parent_id), raw=f"#{parent_id}", line=line_of(element))


def _set_life_data(element, entity: EntityData) -> None:
    """birth/death @when, idno, location/geo and sex as the entity's data."""
    for child in element:
        name = local_name(child)
        if name in {"birth", "death"} and child.get("when"):
            entity.data[name] = child.get("when")
        elif name == "idno" and (child.text or "").strip():
            entity.data.setdefault("idno", []).append({"type": child.get("type") or "", "value": child.text.strip()})
        elif name == "location":
            geo = child.find(tei("geo"))
            if geo is not None and (geo.text or "").strip():
                entity.data["geo"] = geo.text.strip()
                if geo.get("source"):  # the record the coordinates were read from (docs/map.md)
                    entity.data["geo_source"] = geo.get("source")
        elif name == "sex":
            entity.data["sex"] = child.get("value") or view_text(child)


def map_glossary_name(ctx: FileContext, name_el) -> EntityData:
    """A name with an xml:id in a list item (FRUS persons list); the rest of the item describes it."""
    kind = GLOSSARY[local_name(name_el)]
    display = view_text(name_el)
    parent = name_el.getparent()
    description = ""
    if parent is not None and local_name(parent) in {"item", "label", "p"}:
        whole = view_text(parent)
        description = whole[len(display) :].lstrip(" ,;:—-") if whole.startswith(display) else whole
    sort = display
    if kind == "person" and "," in display:
        last, _, first = display.partition(",")
        display = f"{first.strip()} {last.strip()}".strip()
    return EntityData(
        key=ctx.entity_key(name_el.get(XML_ID)),
        kind=kind,
        name=display[:300],
        sort_name=sort[:300],
        description=description,
        line=line_of(name_el),
    )


def collect_entity_ids(ctx: FileContext) -> None:
    """Record the ids of every entity the file defines, before any pointer is resolved."""
    root = ctx.root
    for element in root.iter(tei("person"), tei("place"), tei("org"), tei("personGrp")):
        if element.get(XML_ID):
            ctx.local_entities.add(element.get(XML_ID))
    if not ctx.ours:
        ctx.cache["glossary"] = _glossary_names(root)
        for name_el in ctx.cache["glossary"]:
            ctx.local_entities.add(name_el.get(XML_ID))


def _glossary_names(root) -> list:
    """item/persName|placeName|orgName with an xml:id (a FRUS persons list), in document order.

    One pass over the tree (the equivalent XPath union walks it three times and sorts).
    """
    item = tei("item")
    return [
        el
        for el in root.iter(tei("persName"), tei("placeName"), tei("orgName"))
        if el.get(XML_ID) is not None and el.getparent() is not None and el.getparent().tag == item
    ]


def map_entities(ctx: FileContext) -> list[EntityData]:
    """Every entity defined in the file, in document order."""
    entities: list[EntityData] = []
    seen: set[str] = set()
    for element in ctx.root.iter(tei("person"), tei("place"), tei("org"), tei("personGrp")):
        entity = map_entity(ctx, element)
        if entity is None:
            continue
        if entity.key in seen:
            ctx.issue(element, f"entity {entity.key!r} is defined twice")
            continue
        seen.add(entity.key)
        entities.append(entity)
    if not ctx.ours:
        glossary = ctx.cache.get("glossary")
        for name_el in glossary if glossary is not None else _glossary_names(ctx.root):
            entity = map_glossary_name(ctx, name_el)
            if entity.key not in seen:
                seen.add(entity.key)
                entities.append(entity)
    return entities
