"""TEI parsing and mapping: pure functions over lxml trees. No database, no HTML."""

from lxml import etree

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
XML_ID = f"{{{XML_NS}}}id"
XML_LANG = f"{{{XML_NS}}}lang"


def tei(tag: str) -> str:
    """Clark name of a TEI element: tei('p') == '{http://www.tei-c.org/ns/1.0}p'."""
    return f"{{{TEI_NS}}}{tag}"


_LOCAL_NAMES: dict = {}


def local_name(element) -> str:
    """The element's local name by lxml.etree.QName ('' for comments, processing instructions, entities)."""
    tag = element.tag
    name = _LOCAL_NAMES.get(tag)  # called for every element of every import: remember each tag's name
    if name is None:
        if not isinstance(tag, str):  # the tag of a comment or PI is a factory function, not a name
            return ""
        name = etree.QName(tag).localname
        if len(_LOCAL_NAMES) < 10_000:
            _LOCAL_NAMES[tag] = name
    return name


_XPATHS: dict = {}


def xpath(element, path: str) -> list:
    """element.xpath(path) with the TEI namespace bound to ``t:``, the expression compiled once."""
    compiled = _XPATHS.get(path)
    if compiled is None:
        compiled = _XPATHS[path] = etree.XPath(path, namespaces={"t": TEI_NS})
    return compiled(element)


def first(element, path: str):
    """The first result of xpath(element, path); None when there is none or element is None."""
    if element is None:
        return None
    found = xpath(element, path)
    return found[0] if found else None
