"""Shared fixtures: real site builds into tmp_path, never into the repository."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import frontmatter
import lxml.html
import pytest
import yaml
from hypothesis import settings

from socialcouncils.pages.accessibility import PAGE_KINDS
from socialcouncils.site.browser import (
    RequestLog,
    chromium_browser,
    open_search,
    serve_directory,
    site_page,
)

# The machines the suite runs on are shared: a property test's time says nothing about it.
settings.register_profile("shared-machines", deadline=None)
settings.load_profile("shared-machines")

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# What a test reads of the site's own content, by which it is marked "content": an officer's new
# post must never make one of them fail (tests/test_officer_path.py runs them with one added).
CONTENT_FIXTURES = frozenset({"built_site", "site_url", "page_paths", "variant_site"})
CONTENT_MODULES = frozenset({"test_site", "test_post_checks", "test_post_pages", "test_related"})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        module = item.module.__name__ if isinstance(item, pytest.Function) else ""
        uses = set(getattr(item, "fixturenames", ()))
        if module in CONTENT_MODULES or uses & CONTENT_FIXTURES:
            item.add_marker(pytest.mark.content)


def heading_text(doc: lxml.html.HtmlElement, xpath: str = "//h1") -> str:
    """The text of the first matching heading, without its permalink mark."""
    found = doc.xpath(xpath)
    if not found:
        return ""
    return "".join(found[0].xpath(".//text()[not(ancestor::a[@class='headerlink'])]")).strip()


def post_meta(path: Path) -> dict[str, Any]:
    """A post's front matter as python-frontmatter reads it: independent of the code under test."""
    return dict(frontmatter.load(path).metadata)


def published_posts(project: Path = REPO) -> dict[str, dict[str, Any]]:
    """Title -> front matter of each post of a project that is published (no draft)."""
    posts = {}
    for path in sorted((project / "docs/blog/posts").rglob("*.md")):
        meta = post_meta(path)
        if not meta.get("draft"):
            posts[str(meta["title"])] = meta
    return posts


def post_pages(site: Path) -> dict[str, lxml.html.HtmlElement]:
    """Title -> parsed page of each post of a built site."""
    pages = {}
    for index in sorted((site / "blog").glob("[0-9][0-9][0-9][0-9]/*/*/*/index.html")):
        doc = lxml.html.fromstring(index.read_text(encoding="utf-8"))
        pages[heading_text(doc)] = doc
    return pages


def find_post_page(site: Path, title: str) -> tuple[Path, lxml.html.HtmlElement]:
    """The folder and parsed page of the built post titled ``title``."""
    for index in (site / "blog").glob("[0-9][0-9][0-9][0-9]/*/*/*/index.html"):
        doc = lxml.html.fromstring(index.read_text(encoding="utf-8"))
        if heading_text(doc) == title:
            return index.parent, doc
    raise AssertionError(f"no post page titled {title!r}")


@dataclass
class Build:
    returncode: int
    output: str
    site: Path


def run_mkdocs_build(project: Path, strict: bool = True, engine: str = "mkdocs") -> Build:
    """Build ``project`` into its ``site/`` with ``engine`` (mkdocs, or properdocs)."""
    site = project / "site"
    command = [sys.executable, "-m", engine, "build", "--site-dir", str(site), "-f", "mkdocs.yml"]
    if strict:
        command.append("--strict")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(
        command, cwd=project, env=env, capture_output=True, text=True, timeout=600
    )
    return Build(result.returncode, result.stdout + result.stderr, site)


def run_script(script: str, *args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    """Run one of the project's commands (``scripts/<script>``) as a contributor would."""
    return subprocess.run(
        [sys.executable, str(REPO / "scripts" / script), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


def assert_every_case_reported(
    output: str, cases: dict[str, dict[str, Any]], folder: str = "docs/blog/posts"
) -> None:
    """Each corpus case's ``path:line: ... CODE`` appears in a command's or build's output."""
    lines = output.splitlines()
    for name, case in cases.items():
        prefix = f"{folder}/{name}:{case['line']}:"
        assert any(prefix in line and f" {case['code']} " in line for line in lines), (
            f"{name} ({case.get('why', '')}): no '{prefix} ... {case['code']}' in the output"
        )


def make_project(target: Path, posts: dict[str, str] | None = None) -> Path:
    """A copy of the real project in ``target``; ``posts`` (file name -> text) replace its posts.

    hooks/, scripts/ and overrides/ are linked, not copied, so the copy runs the real code.
    """
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "mkdocs.yml", target / "mkdocs.yml")
    for name in ("hooks", "scripts", "overrides"):
        (target / name).symlink_to(REPO / name, target_is_directory=True)
    shutil.copytree(REPO / "docs", target / "docs")
    if posts is not None:
        posts_dir = target / "docs" / "blog" / "posts"
        shutil.rmtree(posts_dir)
        posts_dir.mkdir()
        for name, text in posts.items():
            path = posts_dir / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return target


def run_git(
    repo: Path, *args: str, check: bool = True, **env: str
) -> subprocess.CompletedProcess[str]:
    """git in a test repository, with a fixed identity and no user or system configuration."""
    identity = {
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "test@example.org",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_COMMITTER_EMAIL": "test@example.org",
    }
    return subprocess.run(
        ["git", *args],
        cwd=repo,
        env={**os.environ, **identity, **env},
        capture_output=True,
        text=True,
        check=check,
        timeout=120,
    )


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real project, built once in strict mode for every test that reads the output."""
    project = make_project(tmp_path_factory.mktemp("real") / "project")
    build = run_mkdocs_build(project)
    assert build.returncode == 0, build.output
    return build.site


@pytest.fixture
def project_factory(tmp_path: Path) -> Callable[..., Path]:
    def factory(posts: dict[str, str] | None = None, name: str = "project") -> Path:
        return make_project(tmp_path / name, posts)

    return factory


@pytest.fixture(scope="session")
def site_url(built_site: Path) -> Iterator[str]:
    """The real site, built once and served on 127.0.0.1."""
    with serve_directory(built_site) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium, headless, driven by Playwright (never a downloaded browser)."""
    with chromium_browser() as instance:
        yield instance


def edit_config(project: Path, change: Callable[[dict[str, Any]], None]) -> None:
    """Change a project's mkdocs.yml (read and written as plain YAML; comments are not kept)."""
    path = project / "mkdocs.yml"
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(config)
    path.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")


# Two posts the real site does not have: a draft, and a post that asks for no Comments section.
DRAFT_TITLE = "A draft about council Facebook pages that is not ready"
NO_COMMENTS_TITLE = "A post from Leeds that asks for no comments"
VARIANT_POSTS = {
    "a-draft-about-facebook-pages.md": f"""---
title: "{DRAFT_TITLE}"
description: "A draft post used to check that drafts never reach a page or a feed of the site."
date: 2012-11-01
authors:
  - phil-jewitt
council: leeds
categories:
  - Guest posts
tags:
  - facebook
draft: true
---

This draft is not finished, so it must not be published anywhere yet.

<!-- more -->

It has a second paragraph.
""",
    "a-post-without-comments.md": f"""---
title: "{NO_COMMENTS_TITLE}"
description: "A post whose front matter turns the Comments section off, used to check that choice."
date: 2012-12-03
authors:
  - phil-jewitt
council: leeds
categories:
  - Case studies
tags:
  - leeds
comments: false
---

Leeds tried something new with its Twitter accounts this winter, and this post says what happened.

<!-- more -->

It has a second paragraph.
""",
}


@pytest.fixture(scope="session")
def variant_site(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """The real project plus a draft and a ``comments: false`` post, with no giscus settings."""
    project = make_project(tmp_path_factory.mktemp("variant") / "project")
    for name, text in VARIANT_POSTS.items():
        (project / "docs" / "blog" / "posts" / name).write_text(text, encoding="utf-8")
    edit_config(project, lambda config: config["extra"]["comments"].pop("giscus"))
    return run_mkdocs_build(project)


# -- One page of each kind, for the browser tests ------------------------------------------------

# The word typed into the search box for the "search" kind of page.
SEARCH_WORD = "Monmouthshire"


def first_page(site: Path, pattern: str) -> str:
    """The address of the first built page matching ``pattern`` (a folder glob), relative."""
    found = sorted(p.parent for p in site.glob(f"{pattern}/index.html"))
    assert found, f"no page matches {pattern}"
    return found[0].relative_to(site).as_posix() + "/"


@pytest.fixture(scope="session")
def page_paths(built_site: Path) -> dict[str, str]:
    """One address for each kind of page in the statement."""
    paths = {
        "home": "",
        "post": first_page(built_site, "blog/[0-9][0-9][0-9][0-9]/*/*/*"),
        "blog-index": "blog/",
        "archive": first_page(built_site, "blog/archive/*"),
        "category": first_page(built_site, "blog/category/*"),
        "author": first_page(built_site, "blog/author/*"),
        "councils-index": "councils/",
        "council": first_page(built_site, "councils/[!i]*"),
        "tags-index": "tags/",
        "tag": first_page(built_site, "tags/[!i]*"),
        "about": "about/",
        "accessibility": "accessibility/",
        "not-found": "404.html",
        "search": "",
    }
    assert set(paths) == {k.id for k in PAGE_KINDS}, "every kind of page in the statement"
    return paths


@contextmanager
def kind_page(
    browser: Any, site_url: str, paths: dict[str, str], kind: str, **options: Any
) -> Iterator[tuple[Any, RequestLog]]:
    """``site_page`` for one kind of page of the accessibility statement (with search open for
    "search")."""
    with site_page(browser, site_url, paths[kind], **options) as (page, requests):
        if kind == "search":
            open_search(page, SEARCH_WORD)
        yield page, requests


def fetch(url: str) -> str | None:
    """The text at ``url`` (a local server's), or None if it does not answer."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return str(response.read().decode("utf-8"))
    except OSError:
        return None


def wait_until(predicate: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False
