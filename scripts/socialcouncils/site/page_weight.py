"""How many bytes a post page makes a reader's browser download, against Material's defaults.

    make page-weight    (or: .venv/bin/python scripts/page_weight.py [--write docs/maintainers/benchmarks.md])

Builds the site, and a throwaway site with Material for MkDocs' default settings whose only page
is the same post (with the same archived responses under it), serves each on 127.0.0.1 and opens the post in Chromium (the browser tests'
Debian Chromium). Every file the page asks for is weighed, uncompressed (the size of the file the
local server sends), and sorted by kind. The page's weight is its HTML, CSS, JavaScript and fonts; pictures are left
out, and so is the search index (the same file for every page, which grows with the number of
posts, not with the page). Requests to any other host are refused and listed: the default site
asks Google Fonts for its fonts, so its figure leaves out the fonts a real visitor would also
download.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from socialcouncils.content.plain_text import markdown_text
from socialcouncils.content.posts import Post, collect_posts
from socialcouncils.content.responses import walk
from socialcouncils.pages.responses_html import HEADING, NO_NAME
from socialcouncils.site.browser import chromium_browser, serve_directory
from socialcouncils.source.project import find_config, load_project

# Chromium's resource types that make up a page, in the order they are reported.
PAGE_KINDS = ("document", "stylesheet", "script", "font")
KIND_NAMES = {
    "document": "HTML",
    "stylesheet": "CSS",
    "script": "JavaScript",
    "font": "fonts",
    "xhr": "search index and sitemap",
    "fetch": "search index and sitemap",
    "image": "pictures",
    "other": "other (icon)",
}
DEFAULT_SETTINGS = "site_name: Material defaults\ntheme:\n  name: material\n"
SECTION = "## Page weight"


@dataclass
class Weight:
    """Bytes downloaded by one page, by Chromium resource type, and the requests refused."""

    url: str
    by_kind: dict[str, int] = field(default_factory=dict)
    refused: list[str] = field(default_factory=list)

    @property
    def page_bytes(self) -> int:
        return sum(self.by_kind.get(kind, 0) for kind in PAGE_KINDS)

    def bytes_of(self, name: str) -> int:
        return sum(n for kind, n in self.by_kind.items() if KIND_NAMES.get(kind, kind) == name)


def measure(browser: Any, site: Path, base_url: str, path: str) -> Weight:
    """Open ``base_url + path`` (``site`` served) in a fresh browser context and weigh every file
    it asks the site for: the served file's size on disk, which the local server sends as is."""
    weight = Weight(base_url + path)
    context = browser.new_context(service_workers="block")

    def route(route: Any) -> None:
        if route.request.url.startswith(base_url):
            route.continue_()
        else:
            weight.refused.append(route.request.url)
            route.abort()

    def weigh(response: Any) -> None:
        served = urlsplit(response.url).path.removeprefix(urlsplit(base_url).path)
        file = site / unquote(served)
        if file.is_dir():
            file = file / "index.html"
        if response.ok and file.is_file():
            kind = response.request.resource_type
            weight.by_kind[kind] = weight.by_kind.get(kind, 0) + file.stat().st_size

    context.route("**/*", route)
    context.on("response", weigh)
    try:
        page = context.new_page()
        page.goto(base_url + path, wait_until="networkidle")
    finally:
        context.close()
    return weight


def newest_post(config_file: Path) -> Post:
    published = collect_posts(load_project(config_file)).published()
    assert published and published[0].meta is not None, "the site has no published post"
    return published[0]


def make_default_project(target: Path, post: Post) -> Path:
    """A site with Material's default settings whose home page is ``post`` (and its pictures)."""
    assert post.meta is not None
    docs = target / "docs"
    docs.mkdir(parents=True)
    (target / "mkdocs.yml").write_text(DEFAULT_SETTINGS, encoding="utf-8")
    page = f"# {post.meta.title}\n\n{post.source.body}\n{responses_markdown(post)}"
    (docs / "index.md").write_text(page, encoding="utf-8")
    pictures = post.source.path.with_suffix("")
    if pictures.is_dir():
        (docs / pictures.name).symlink_to(pictures, target_is_directory=True)
    return target


def responses_markdown(post: Post) -> str:
    """The post's archived responses as plain Markdown: both pages carry the same words."""
    archived = post.responses
    if archived is None or not archived.shown_to_readers:
        return ""
    lines = ["", f"## {HEADING}", ""]
    for response in walk(archived.responses):
        lines += [f"**{markdown_text(response.name or NO_NAME)}**", "", response.text, ""]
    lines += [f"- [{markdown_text(p.title)}](<{p.url}>)" for p in archived.pingbacks]
    return "\n".join(lines) + "\n"


def build(config_file: Path, site: Path, strict: bool = False) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-m", "mkdocs", "build", "--quiet", "--config-file"]
    command += [str(config_file), "--site-dir", str(site)] + (["--strict"] if strict else [])
    subprocess.run(command, cwd=config_file.parent, env=env, check=True)


@dataclass
class Comparison:
    post_title: str
    ours: Weight
    default: Weight

    @property
    def ratio(self) -> float:
        return self.ours.page_bytes / self.default.page_bytes


def compare(browser: Any, our_site: Path, our_post: Post, default_site: Path) -> Comparison:
    assert our_post.meta is not None and our_post.url is not None
    with serve_directory(our_site) as url:
        ours = measure(browser, our_site, url, our_post.url)
    with serve_directory(default_site) as url:
        default = measure(browser, default_site, url, "")
    return Comparison(our_post.meta.title, ours, default)


def kb(n: int) -> str:
    return f"{n / 1000:.1f} KB"


def report(comparison: Comparison) -> str:
    ours, default = comparison.ours, comparison.default
    names = ["HTML", "CSS", "JavaScript", "fonts"]
    rows = [
        f"| {name} | {kb(ours.bytes_of(name))} | {kb(default.bytes_of(name))} |" for name in names
    ]
    others = ["search index and sitemap", "other (icon)"]
    extra = [
        f"| {name} (not counted) | {kb(ours.bytes_of(name))} | {kb(default.bytes_of(name))} |"
        for name in others
    ]
    refused = sorted({u.split("/")[2] for u in default.refused}) or ["none"]
    return "\n".join(
        [
            SECTION,
            "",
            "What a reader's browser downloads to show one post, uncompressed: its HTML, CSS,",
            "JavaScript and fonts, without the post's pictures. The budget is Material for MkDocs'",
            "default page, measured the same way in the same run: a throwaway site with Material's",
            "default settings whose only page is the same post. `make test` enforces it",
            "(`tests/test_privacy.py`).",
            "",
            "Measured with:",
            "",
            "```sh",
            "make page-weight",
            "```",
            "",
            f"Post: “{comparison.post_title}”, measured on {dt.date.today().isoformat()} in"
            " Debian's Chromium.",
            "",
            "| | this site | Material's defaults |",
            "| --- | ---: | ---: |",
            *rows,
            f"| **page total** | **{kb(ours.page_bytes)}** | **{kb(default.page_bytes)}** |",
            *extra,
            "",
            f"This site's post page weighs {comparison.ratio:.0%} of Material's default page.",
            "",
            "The default page also asked another host for web fonts"
            f" ({', '.join(refused)}); the measurement refuses such requests, so its figure leaves"
            " out the font files a real visitor would download on top. This site asks no other"
            " host for anything. The search index is one file shared by every page and grows with"
            " the number of posts, so it is shown but not counted.",
            "",
            "Where the savings come from:",
            "",
            "- no web fonts (`font: false`): the system's own fonts, and no request to Google;",
            "- the theme's stylesheets lose, after each build, the rules no page of the site can"
            " use (`trim_stylesheets` in `mkdocs.yml`, `scripts/socialcouncils/site/slim.py`);",
            "- pages leave out the templates' indentation (`compact_html`);",
            "- `navigation.instant` is off, so no page prefetches others.",
            "",
        ]
    )


def write_section(doc: Path, section: str) -> None:
    """Put ``section`` in ``doc`` in place of its "## Page weight" section, or at its end."""
    text = doc.read_text(encoding="utf-8") if doc.exists() else "# Benchmarks\n\n"
    start = text.find(SECTION + "\n")
    if start < 0:
        text = text.rstrip("\n") + "\n\n" + section
    else:
        end = text.find("\n## ", start + len(SECTION))
        text = text[:start] + section + ("" if end < 0 else text[end + 1 :])
    doc.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--config", type=Path, default=None)
    parser.add_argument("--write", type=Path, help="update this file's '## Page weight' section")
    args = parser.parse_args(argv)
    args.config = args.config or find_config()
    post = newest_post(args.config)
    with tempfile.TemporaryDirectory() as tmp:
        our_site = Path(tmp) / "site"
        build(args.config, our_site, strict=True)
        default = make_default_project(Path(tmp) / "default", post)
        build(default / "mkdocs.yml", default / "site")
        with chromium_browser() as browser:
            comparison = compare(browser, our_site, post, default / "site")
    section = report(comparison)
    print(section)
    if args.write:
        write_section(args.write, section)
    return 0 if comparison.ours.page_bytes <= comparison.default.page_bytes else 1
