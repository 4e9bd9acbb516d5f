"""Build the clean-stage test pages from ``articles.json`` (run once; the output is committed).

Each hand-written article is wrapped in a different site's chrome, the kinds seen on news sites:
nav bars, cookie banners, bylines and photo credits, inline ads, "Read more" links, newsletter
and donation boxes, share rows, tag rows, related-article lists, comment threads and footers.
Writes ``html/ID.html``, ``text/ID.txt`` and ``expected/ID.json`` (title, outlet, the expected
body paragraphs, and chrome strings that must not survive cleaning).

    python tests/data/clean/build_pages.py
"""

from __future__ import annotations

import html
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
OTHER_STORIES = [
    "Wheat exports hit a five-year high as harvest beats forecasts",
    "City council approves new tram line for the northern districts",
    "National football team names new head coach ahead of qualifiers",
    "Heatwave warning issued for southern regions this weekend",
    "Central bank leaves key interest rate unchanged",
    "Airline resumes direct flights between the two capitals",
]
COMMENTS = [
    "Finally someone writes about this. Thanks for the reporting!",
    "I don't believe a word of it, where are the documents?",
    "My cousin lives there and says it's even worse than described.",
]


def e(text: str) -> str:
    return html.escape(text, quote=False)


def nav(outlet: str) -> str:
    items = "".join(f'<li><a href="/{s.lower()}">{s}</a></li>'
                    for s in ("News", "Politics", "Economy", "Society", "Opinion", "Video"))
    return (f'<header class="site-header"><a class="logo" href="/">{e(outlet)}</a>'
            f'<nav class="main-nav"><ul>{items}</ul></nav>'
            '<form class="search"><input name="q" placeholder="Search"></form></header>')


def cookie_banner() -> str:
    return ('<div id="cookie-consent" class="cookie-banner"><p>We use cookies to improve your '
            'experience on our website. By clicking Accept, you agree to our use of cookies.</p>'
            '<button>Accept all</button><button>Cookie settings</button></div>')


def related(n: int, label: str = "Related articles") -> str:
    items = "".join(f'<li><a href="/story/{i}">{e(OTHER_STORIES[(n + i) % 6])}</a></li>'
                    for i in range(3))
    return f'<aside class="related"><h3>{label}</h3><ul>{items}</ul></aside>'


def comments() -> str:
    items = "".join(f'<div class="comment"><span class="user">reader{i}</span><p>{e(c)}</p></div>'
                    for i, c in enumerate(COMMENTS))
    return f'<section id="comments" class="comments"><h3>3 comments</h3>{items}</section>'


def donation(outlet: str) -> str:
    return (f'<div class="donate-box"><h3>Support {e(outlet)}!</h3><p>Independent journalism '
            'is under pressure. We rely on readers like you to keep reporting. Your support, no '
            'matter how small, makes a difference.</p><a class="btn" href="/donate">Donate now</a>'
            '</div>')


def newsletter() -> str:
    return ('<div class="newsletter"><p>Get the latest news delivered straight to your inbox '
            'every morning.</p><form><input type="email"><button>Subscribe</button></form></div>')


def footer(outlet: str) -> str:
    return (f'<footer class="site-footer"><p>© 2025 {e(outlet)}. All rights reserved.</p>'
            '<a href="/privacy">Privacy policy</a> <a href="/terms">Terms of use</a></footer>')


def page(a: dict, n: int) -> tuple[str, list[str]]:
    """One HTML page for article ``a``; variant ``n`` picks which chrome surrounds it."""
    paras = [f"<p>{e(p)}</p>" for p in a["body"]]
    drop = ["We use cookies to improve your experience", OTHER_STORIES[n % 6]]
    if n % 3 == 0:
        paras.insert(2, '<div class="ad-slot"><span>Advertisement</span></div>')
    if n % 2 == 0:
        other = OTHER_STORIES[(n + 4) % 6]
        paras.insert(3, f'<p><strong>Read more:</strong> <a href="/o">{e(other)}</a></p>')
        drop.append(other)
    if n % 4 == 1:
        paras.insert(2, newsletter())
        drop.append("delivered straight to your inbox")
    byline = (f'<p class="byline">By <a rel="author" href="/a">{e(a["author"])}</a></p>'
              if a["author"] else "")
    figure = ('<figure><img src="/img/1.jpg" alt=""><figcaption>Photo: press service / '
              'handout</figcaption></figure>')
    after = [donation(a["outlet"])] if n % 2 == 1 else []
    drop += [f"Support {a['outlet']}!", "We rely on readers like you"] if after else []
    if n % 3 != 2:
        after.append('<div class="share">Share: <a>Facebook</a> <a>Twitter</a> '
                     '<a>Telegram</a></div>')
    after.append(related(n, "Related articles" if n % 2 else "Read also"))
    if n % 2 == 0:
        after.append(comments())
        drop.append(COMMENTS[1])
    body = "\n".join(paras)
    doc = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{e(a["title"])} | {e(a["outlet"])}</title>
<meta property="og:title" content="{e(a["title"])}">
<meta property="og:site_name" content="{e(a["outlet"])}">
<meta property="article:published_time" content="{a["date"]}T09:30:00+00:00">
<link rel="canonical" href="https://{a["domain"]}/news/{a["id"]}"></head>
<body>{cookie_banner()}{nav(a["outlet"])}
<main><article class="post"><h1 class="headline">{e(a["title"])}</h1>{byline}
<time datetime="{a["date"]}">{a["date"]}</time>{figure}
<div class="article-body">
{body}
</div></article>
{"".join(after)}</main>{footer(a["outlet"])}</body></html>
"""
    return doc, drop


def text_page(a: dict, n: int) -> tuple[str, list[str]]:
    """The same article as a scraper's plain text: chrome lines around and inside it."""
    lines = [a["outlet"], "News", "Politics", "Economy", "Society", ""]
    if n % 2:
        lines += [f"Support {a['outlet']}!", ""]
    lines += [a["date"], "", a["title"], ""]
    if a["author"]:
        lines += [f"By {a['author']}", "3 min read", ""]
    lines += ["Photo: press service / handout", ""]
    body = list(a["body"])
    other = OTHER_STORIES[(n + 2) % 6]
    body.insert(2, f"Read also: {other}")
    for p in body:
        lines += [p, ""]
    lines += ["Share", "Facebook Twitter Telegram", ""]
    if n % 2 == 0:
        lines += [f"A message from {a['outlet']}:", "",
                  "We are an independent newsroom. We rely on readers like you: if you can, "
                  "support us monthly starting from just $5. Thank you for standing with us.", "",
                  "Contribute today", ""]
    lines += ["Related", OTHER_STORIES[n % 6], OTHER_STORIES[(n + 1) % 6], "",
              f"#{a['title'].split()[0]} #news #politics", "",
              f"© 2025 {a['outlet']}. All rights reserved.", ""]
    drop = [other, OTHER_STORIES[n % 6], "Photo: press service", "All rights reserved",
            "Facebook Twitter Telegram"]
    if n % 2 == 0:
        drop.append("We rely on readers like you")
    return "\n".join(lines), drop


def main() -> None:
    articles = json.loads((HERE / "articles.json").read_text("utf-8"))["articles"]
    for sub in ("html", "text", "expected"):
        (HERE / sub).mkdir(exist_ok=True)
    for n, a in enumerate(articles):
        doc, drop = page(a, n)
        txt, tdrop = text_page(a, n)
        (HERE / "html" / f"{a['id']}.html").write_text(doc, "utf-8")
        (HERE / "text" / f"{a['id']}.txt").write_text(txt, "utf-8")
        expected = {"title": a["title"], "outlet": a["outlet"], "author": a["author"],
                    "published": a["date"], "body": a["body"], "html_drop": drop,
                    "text_drop": tdrop}
        (HERE / "expected" / f"{a['id']}.json").write_text(
            json.dumps(expected, ensure_ascii=False, indent=1) + "\n", "utf-8")


if __name__ == "__main__":
    main()
