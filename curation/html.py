"""Main text of an HTML page as blocks, with menus, footers, cookie banners, scripts and styles removed.

One lxml parse and one walk over the tree: fast enough to run on every page of a crawl (faster than
trafilatura, which is more thorough; benchmarks/extraction.py measures both). The walk keeps headings
apart from paragraphs and list items, so the extractors can read a page section by section.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import lxml.html
from lxml import etree

MAX_HTML_CHARS = 3_000_000  # a page larger than this is cut before parsing (5 MB pages stay fast)
MAX_BLOCK_CHARS = 5_000

_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_DROP_TAGS = {
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "iframe",
    "object",
    "embed",
    "canvas",
    "select",
    "option",
    "button",
    "input",
    "textarea",
    "nav",
    "aside",
    "head",
    "title",
    "meta",
    "link",
    "math",
}
_EDGE_TAGS = {"header", "footer"}  # page-level header/footer; kept when inside an article or main
_BOILERPLATE = re.compile(
    r"(^|[\s_-])(cookie|cookies|consent|gdpr|cmp|cookiebot|navbar|nav|navigation|menu|megamenu|footer|"
    r"sidebar|breadcrumbs?|social|share|sharing|popup|modal|newsletter|skip|offcanvas|lang-switch|"
    r"language-switcher|wpml|toolbar|topbar)([\s_-]|$)",
    re.I,
)
_BOILER_ROLES = {"navigation", "contentinfo", "banner", "dialog", "alertdialog", "search", "menu", "menubar"}
_BLOCK_TAGS = {
    "p",
    "div",
    "section",
    "article",
    "main",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "td",
    "th",
    "tr",
    "table",
    "dt",
    "dd",
    "dl",
    "blockquote",
    "address",
    "figcaption",
    "figure",
    "pre",
    "body",
    "header",
    "footer",
    "form",
    "fieldset",
    "center",
    "br",
    "hr",
    "details",
    "summary",
    "tbody",
    "thead",
}
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_SPACE = re.compile(r"\s+")


@dataclass
class Block:
    """A run of text between block boundaries: a heading (level 1-6), a list item, a cell or a paragraph."""

    kind: str  # heading | item | cell | para
    text: str
    level: int = 0
    link_ratio: float = 0.0


@dataclass
class Document:
    """What the extractors read from one HTML page."""

    tree: etree._Element | None
    blocks: list[Block] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)  # (href, text) from the whole page
    problems: list[str] = field(default_factory=list)
    footer: str = ""  # the page footer's text: not main text, but where addresses and e-mails often are


def decode(body: bytes, content_type: str | None = None) -> tuple[str, str | None]:
    """The page as text: the declared charset (header, then meta), else UTF-8, else cp1252; a problem
    when unsure."""
    declared = None
    if content_type and "charset=" in content_type.lower():
        declared = content_type.lower().split("charset=", 1)[1].split(";")[0].strip(" \"'")
    if declared is None:
        match = _CHARSET.search(body[:4096])
        if match:
            declared = match.group(1).decode("ascii", "ignore").lower()
    if declared:
        try:
            return body.decode(declared), None
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        text = body.decode("utf-8")
        return text, (f"declared charset {declared!r} is wrong; read as UTF-8" if declared else None)
    except UnicodeDecodeError:
        problem = f"charset {declared or 'undeclared'} does not decode; read as cp1252"
        return body.decode("cp1252", errors="replace"), problem


def parse(body: bytes, content_type: str | None = None) -> tuple[etree._Element | None, list[str]]:
    """Parse an HTML body leniently; broken markup gives what lxml recovers, an empty page gives None."""
    text, problem = decode(body, content_type)
    problems = [problem] if problem else []
    if len(text) > MAX_HTML_CHARS:
        problems.append(f"page of {len(text)} characters cut to {MAX_HTML_CHARS} before parsing")
        text = text[:MAX_HTML_CHARS]
    text = text.replace("\x00", "")
    if not text.strip():
        problems.append("empty page")
        return None, problems
    try:
        parser = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, recover=True)
        tree = lxml.html.document_fromstring(text, parser=parser)
    except (etree.ParserError, ValueError) as exc:
        problems.append(f"HTML could not be parsed: {exc}")
        return None, problems
    return tree, problems


def _is_boilerplate(el: etree._Element) -> bool:
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag in _DROP_TAGS:
        return True
    attrs = el.attrib
    if (
        attrs.get("role", "").lower() in _BOILER_ROLES
        or attrs.get("aria-hidden") == "true"
        or "hidden" in attrs
    ):
        return True
    if "display:none" in attrs.get("style", "").replace(" ", ""):
        return True
    marker = f"{attrs.get('class', '')} {attrs.get('id', '')}"
    if _BOILERPLATE.search(marker):
        # A wrapper named for its sidebar ("content-sidebar-wrap") may hold the main content too: keep it.
        return (
            tag not in ("body", "main", "article", "html")
            and el.find(".//main") is None
            and el.find(".//article") is None
            and el.find(".//h1") is None
        )
    if tag in _EDGE_TAGS:
        return not any(a.tag in ("article", "main") for a in el.iterancestors())
    return False


def collect_links(tree: etree._Element) -> list[tuple[str, str]]:
    """Every link of the page, menus and footers included (contact pages and mailto links live there)."""
    out = []
    for a in tree.iter("a"):
        href = a.get("href")
        if href:
            out.append((href.strip()[:2000], _SPACE.sub(" ", a.text_content()).strip()[:200]))
    return out


MAX_FOOTER_CHARS = 1500
_FOOTERS = etree.XPath(
    "//footer | //*[@role='contentinfo'] | //*[contains(@class, 'footer') or contains(@id, 'footer')]"
)


def footer_text(tree: etree._Element) -> str:
    """The text of the page's last footer (site footers repeat the address and e-mail on every page)."""
    found = _FOOTERS(tree)
    if not found:
        return ""
    lines = (_SPACE.sub(" ", t).strip() for t in found[-1].itertext())
    return "\n".join(line for line in lines if line)[:MAX_FOOTER_CHARS]


def blocks(tree: etree._Element) -> list[Block]:
    """Walk the tree once and cut its text into blocks at block-level tags, skipping boilerplate subtrees."""
    out: list[Block] = []
    buf: list[str] = []
    link_chars = 0
    kinds: list[tuple[str, int]] = [("para", 0)]
    in_link = 0
    column = 0  # a cell's level is its column, so a table of records can be read by column

    def flush() -> None:
        nonlocal link_chars
        text = _SPACE.sub(" ", "".join(buf)).strip()
        if text:
            kind, level = kinds[-1]
            out.append(Block(kind, text[:MAX_BLOCK_CHARS], level, min(1.0, link_chars / max(1, len(text)))))
        buf.clear()
        link_chars = 0

    def add(text: str | None) -> None:
        nonlocal link_chars
        if text:
            buf.append(text)
            if in_link:
                link_chars += len(text.strip())

    skipping: etree._Element | None = None
    for event, el in etree.iterwalk(tree, events=("start", "end")):
        if skipping is not None:
            if event == "end" and el is skipping:
                skipping = None
                add(el.tail)
            continue
        tag = el.tag if isinstance(el.tag, str) else ""
        if event == "start":
            if not tag or _is_boilerplate(el):
                skipping = el
                continue
            if tag == "tr":
                column = 0
            if tag in _BLOCK_TAGS:
                flush()
                if tag in _HEADINGS:
                    kinds.append(("heading", _HEADINGS[tag]))
                elif el.get("role") == "heading":
                    kinds.append(
                        (
                            "heading",
                            int(el.get("aria-level", "2") or 2) if el.get("aria-level", "").isdigit() else 2,
                        )
                    )
                elif tag in ("li", "dt", "dd"):
                    kinds.append(("item", 0))
                elif tag == "td":
                    kinds.append(("cell", column))
                    column += 1
                elif tag == "th":
                    kinds.append(("head", column))
                    column += 1
                else:
                    kinds.append(("para", 0))
            if tag == "a":
                in_link += 1
            add(el.text)
        else:
            if tag == "a":
                in_link -= 1
            if tag in _BLOCK_TAGS:
                flush()
                if len(kinds) > 1:
                    kinds.pop()
            add(el.tail)
    flush()
    return [b for b in out if not (b.link_ratio > 0.7 and b.kind != "heading" and len(b.text) < 200)]


def document(body: bytes, content_type: str | None = None) -> Document:
    tree, problems = parse(body, content_type)
    if tree is None:
        return Document(None, problems=problems)
    links = collect_links(tree)
    body_el = tree.find("body")
    found = blocks(body_el if body_el is not None else tree)
    if not found:
        problems.append("no text in the page (images or scripts only)")
    return Document(tree, found, links, problems, footer_text(tree))
