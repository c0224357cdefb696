"""Hostile note bodies: each must render inert (no script, no handler, no javascript:/data: URL, no style);
`active_content` finds what a browser would run in HTML."""

from lxml import etree

PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<body onload=alert(1)>",
    "<iframe src=javascript:alert(1)></iframe>",
    '<a href="javascript:alert(1)">click</a>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](&#x6A;avascript&#x3A;alert(1))",
    "[click](java\tscript:alert(1))",
    "[click](%6Aavascript:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click](vbscript:msgbox(1))",
    '<https://evil.example/" onmouseover="alert(1)>',
    "<javascript:alert(1)>",
    "![x](javascript:alert(1))",
    '![x](https://evil.example/x.png" onerror="alert(1))',
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<style>body{background:url(javascript:alert(1))}</style>",
    '<p style="x:expression(alert(1))">x</p>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<input autofocus onfocus=alert(1)>",
    "<form action=javascript:alert(1)><button>x</button></form>",
    '<object data="data:text/html,<script>alert(1)</script>"></object>',
    "<embed src=javascript:alert(1)>",
    "<base href=javascript:alert(1)//>",
    '<meta http-equiv=refresh content="0;url=javascript:alert(1)">',
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#60;img src=x onerror=alert(1)&#62;",
    '<a href="&#x6A;avascript:alert(1)">x</a>',
    '[x](https://ok.example/ "title" onclick=alert(1))',
    '[x]("onmouseover="alert(1))',
    "<!--<img src=x onerror=alert(1)>-->",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "`<script>alert(1)</script>`",
    "    <script>alert(1)</script>",
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    "[a](<javascript:alert(1)>)",
    "[ref]\n\n[ref]: javascript:alert(1)",
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
]


def active_content(html: str) -> list[str]:
    """Everything in `html` that a browser would run or load: scripts, on* handlers, dangerous URLs, style.

    Returns a description of each problem (empty when the HTML is inert).
    """
    import lxml.html

    if not html.strip():
        return []
    problems = []
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        tag = etree.QName(el).localname.lower()
        if tag in {"script", "style", "iframe", "object", "embed", "svg", "math", "form", "base", "meta", "link"}:
            problems.append(f"<{tag}> element")
        for name, value in el.attrib.items():
            lname = name.lower()
            if lname.startswith("on"):
                problems.append(f"{lname} attribute on <{tag}>")
            if lname in {"style", "srcdoc", "formaction"}:
                problems.append(f"{lname} attribute on <{tag}>")
            if lname in {"href", "src", "action", "xlink:href", "data", "poster", "background"}:
                url = "".join(value.split()).lower()
                if not url.startswith(("http:", "https:", "mailto:", "#", "/")):
                    problems.append(f"{lname}={value!r} on <{tag}>")
    return problems
