"""Speed of the full extraction against trafilatura.extract and bare lxml parsing, on the same pages.

Builds 500+ realistic pages (30-80 KB: menus, cookie banners, inline scripts and styles, JSON-LD,
articles, footers) in seven languages from the evaluation set's prose, then times, in this one run:
  - lxml.html parsing alone (the floor),
  - trafilatura.extract (main text only),
  - curation's full extraction (main text, language, every field, combination, gaps),
and prints pages/s and the ratios. Run: .venv/bin/python benchmarks/extraction.py [--pages N]
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import lxml.html  # noqa: E402
import trafilatura  # noqa: E402

from curation import extract_pages  # noqa: E402
from curation.language import detect  # noqa: E402

EVAL = ROOT / "tests" / "curation" / "eval"
_TAG = re.compile(r"<[^>]+>")


def _paragraphs() -> dict[str, list[str]]:
    """Sentences of the evaluation pages by language, the raw material of the synthetic pages."""
    import json

    out: dict[str, list[str]] = {}
    for folder in sorted(EVAL.iterdir()):
        expected = folder / "expected.json"
        if not expected.exists():
            continue
        data = json.loads(expected.read_text(encoding="utf-8"))
        for name, lang in data["pages"].items():
            raw = (folder / name).read_bytes()
            text = (
                raw.decode("utf-8", errors="ignore")
                if b"charset=utf-8" in raw[:400]
                else raw.decode("cp1252", "ignore")
            )
            for para in re.findall(r"<p[^>]*>(.*?)</p>", text, flags=re.S):
                plain = " ".join(_TAG.sub(" ", para).split())
                if len(plain) > 40:
                    out.setdefault(lang, []).append(plain)
    return out


_SVG = (
    '<svg class="icon icon-arrow" viewBox="0 0 24 24" aria-hidden="true"><path d="M12 4l-1.41 1.41L16.17 11H4v2h12.17'  # noqa: E501
    'l-5.58 5.59L12 20l8-8z"/></svg>'
)


def _wrap(inner: str, depth: int, rng: random.Random) -> str:
    """Nested layout divs with long utility class names, as page builders and CSS frameworks write them."""
    for level in range(depth):
        classes = " ".join(
            f"el-{rng.randint(1000, 9999)} col-md-{level + 4} px-{level} flex items-center" for _ in range(2)
        )
        inner = f'<div class="{classes}" data-id="{rng.getrandbits(32):08x}" data-element_type="widget">{inner}</div>'  # noqa: E501
    return inner


def make_page(rng: random.Random, lang: str, paras: list[str], index: int) -> bytes:
    """A page shaped like a real initiative site: markup is most of the bytes, main text a fifth or less."""
    menu = "".join(
        f'<li class="menu-item menu-item-type-post_type"><a href="/section-{i}">{_SVG}Section {i}</a>'
        '<ul class="sub-menu">'
        + "".join(f'<li class="menu-item"><a href="/section-{i}/{j}">Item {i}.{j}</a></li>' for j in range(8))
        + "</ul></li>"
        for i in range(10)
    )
    script = (
        "window.__CONFIG__ = "
        + repr({f"key{i}": "x" * 30 for i in range(40)})
        + ";"
        + "function f(){return 1;}" * 40
    )
    style = "".join(f".c{i}{{margin:{i}px;padding:{i}px;color:#{i:06x}}}" for i in range(150))
    size = rng.randint(30_000, 80_000)
    body: list[str] = []
    while sum(map(len, body)) < size * 0.55:
        if rng.random() < 0.2:
            heading = rng.choice(paras)[:40]
            body.append(_wrap(f'<h2 class="elementor-heading-title">{heading}</h2>', 3, rng))
        body.append(_wrap(f"<p>{rng.choice(paras)}</p>", 4, rng))
    sidebar = "".join(
        _wrap(f'<a href="/news/{i}" class="post-link">{rng.choice(paras)[:50]}</a>', 2, rng)
        for i in range(12)
    )
    share = "".join(
        f'<a class="share share-{n}" href="https://share.example/{n}?u=/p{index}">{_SVG}{n}</a>'
        for n in ("facebook", "x", "linkedin", "whatsapp", "email")
    )
    footer = "".join(f'<li><a href="/f{i}">Footer link {i}</a></li>' for i in range(30))
    html = (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>Page {index}</title>'
        f'<meta name="description" content="{paras[0][:150]}"><style>{style}</style><script>{script}</script>'
        '<script type="application/ld+json">{"@type":"Organization","name":"Example","foundingDate":"2015"}</script>'  # noqa: E501
        f'</head><body class="page-template-default page elementor-page"><div class="cookie-banner">Cookies! '
        f'<button>Accept all</button></div><header class="site-header"><nav><ul class="menu">{menu}</ul></nav>'  # noqa: E501
        f'</header><main id="content"><h1>Page {index}</h1>{"".join(body)}<div class="share-buttons">{share}</div>'  # noqa: E501
        f'</main><aside class="sidebar widget-area">{sidebar}</aside><footer><ul>{footer}</ul>'
        f'<a href="mailto:info@example.org">info@example.org</a></footer></body></html>'
    )
    page = html.encode("utf-8")
    while len(page) < size - 1_700:
        page = page.replace(
            b"</body>", _wrap(f'<span class="tracking-pixel">{_SVG}</span>', 3, rng).encode() + b"</body>"
        )
    return page


def build(n: int) -> list[bytes]:
    rng = random.Random(7)
    by_lang = _paragraphs()
    langs = sorted(by_lang)
    return [make_page(rng, langs[i % len(langs)], by_lang[langs[i % len(langs)]], i) for i in range(n)]


def timed(
    pages: list[bytes], work: dict[str, Callable[[bytes], object]], rounds: int = 5
) -> dict[str, float]:
    """Pages/s for each kind of work, measured in interleaved slices so that a busy machine slows all
    alike."""
    seconds = dict.fromkeys(work, 0.0)
    for r in range(rounds):
        chunk = pages[r::rounds]
        for label, fn in work.items():
            start = time.perf_counter()
            for page in chunk:
                fn(page)
            seconds[label] += time.perf_counter() - start
    return {label: len(pages) / s for label, s in seconds.items()}


def _full(body: bytes) -> object:
    detect.cache_clear()  # no help from language results cached on earlier pages: each page pays its own
    return extract_pages([{"url": "https://example.org/p", "body": body, "content_type": "text/html"}])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=500)
    args = parser.parse_args()
    pages = build(args.pages)
    sizes = [len(p) for p in pages]
    text = (
        sum(len(" ".join(lxml.html.document_fromstring(p).xpath("//main//text()"))) for p in pages[:50]) / 50
    )
    print(
        f"{len(pages)} pages, {min(sizes) // 1024}-{max(sizes) // 1024} KB, {sum(sizes) / 1e6:.1f} MB in all, "  # noqa: E501
        f"~{text / 1024:.0f} KB of main text a page; languages: {', '.join(sorted(_paragraphs()))}"
    )
    extract_pages([{"url": "https://example.org/warm-up", "body": pages[0], "content_type": "text/html"}])
    rates = timed(
        pages,
        {
            "lxml.html parse (floor)": lambda b: lxml.html.document_fromstring(b),
            "trafilatura.extract (main text)": lambda b: trafilatura.extract(b.decode("utf-8")),
            "cahub full extraction": _full,
        },
    )
    for label, rate in rates.items():
        print(f"{label:<34} {rate:8.1f} pages/s")
    full, traf, floor = (
        rates["cahub full extraction"],
        rates["trafilatura.extract (main text)"],
        rates["lxml.html parse (floor)"],
    )
    print(f"full / trafilatura = {full / traf:.2f}x  (must be >= 1.00)")
    print(f"full / lxml floor  = {full / floor:.2f}x")


if __name__ == "__main__":
    main()
