"""The maintainers' pages (docs/maintainers/) live in the repository, not on the public site."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import bench
import yaml

from conftest import REPO, run_script

MAINTAINERS = REPO / "docs" / "maintainers"
PAGES = sorted(MAINTAINERS.rglob("*.md"))


def test_the_benchmarks_page_is_a_maintainers_page_and_the_bench_commands_write_it() -> None:
    assert bench.DOC == MAINTAINERS / "benchmarks.md"
    assert bench.DOC.is_file()
    assert (
        "page_weight.py --write docs/maintainers/benchmarks.md" in (REPO / "Makefile").read_text()
    )
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    assert "maintainers/" in config["exclude_docs"].split()
    assert "benchmarks" not in config.get("not_in_nav", "")


def test_no_maintainers_page_is_published_listed_or_found(built_site: Path) -> None:
    assert PAGES, "there are maintainers' pages to keep off the site"
    assert not (built_site / "maintainers").exists()
    for source in PAGES:
        stem = source.stem
        assert not list(built_site.rglob(f"{stem}/index.html")), f"{source.name} is published"
        assert not list(built_site.rglob(f"{stem}.html")), f"{source.name} is published"
    sitemap = (built_site / "sitemap.xml").read_text(encoding="utf-8")
    assert "maintainers" not in sitemap
    assert "benchmarks" not in sitemap
    index = json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    locations = [doc["location"] for doc in index["docs"]]
    assert locations, "the search index has pages"
    assert not [loc for loc in locations if "maintainers" in loc or "benchmarks" in loc]
    # What brought readers to the figures before: a search for "build time".
    assert not [d for d in index["docs"] if d["title"].casefold() == "benchmarks"]


def test_a_preview_leaves_them_out_too(project_factory: Callable[..., Path]) -> None:
    """The one-post preview writes its own exclude_docs, which replaces the site's."""
    project = project_factory()
    site = project / "preview-site"
    post = "docs/blog/posts/social-media-friendly.md"
    result = run_script("preview.py", "-f", "mkdocs.yml", post, "--build", str(site), cwd=project)
    assert result.returncode == 0, result.stderr
    assert "maintainers" not in result.stdout + result.stderr
    assert (site / "index.html").is_file()
    assert not (site / "maintainers").exists()
