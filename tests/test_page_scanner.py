"""Reading built pages in worker processes: the same results as reading them from disk, and a
page a worker did not read, or that changed since, is read from disk."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest

from socialcouncils.engine.page_scanner import (
    BATCH_PAGES,
    PAGES_PER_WORKER,
    PageScanner,
    read_on_every_core,
    scan_files,
)
from socialcouncils.site.site_check import check_site
from socialcouncils.site.slim import Usage
from socialcouncils.source.project import Project, load_project

from conftest import REPO

SOURCES = {"blog/2012/03/07/a-post/": "docs/blog/posts/a-post.md"}

# A post page with a missing picture and preview picture, a missing avatar in an author card, and
# unsafe markup; a home page whose post excerpt shows a missing picture; a page with nothing wrong.
POST = """<!doctype html>
<html><head><meta property="og:image" content="https://socialcouncils.github.io/blog/gone.png">
</head><body class="md-typeset">
<div class="md-content" data-md-component="content"><article>
<img src="nope.png" alt="A missing picture">
<div class="md-author"><img src="../../x.svg" alt=""></div>
<p onclick="steal()">Click</p>
</article></div></body></html>
"""
HOME = """<html><body><div data-md-component="content">
<article class="md-post md-post--excerpt"><img src="blog/pic.png" alt="A picture">
<a class="toclink" href="blog/2012/03/07/a-post/">Read</a></article>
</div></body></html>
"""
OTHER = '<html><body><div data-md-component="content"><p class="x">Fine</p></div></body></html>'
EXPECTED = [
    ("blog/2012/03/07/a-post/index.html", 2, "IMG040", "docs/blog/posts/a-post.md"),
    ("blog/2012/03/07/a-post/index.html", 5, "IMG040", "docs/blog/posts/a-post.md"),
    ("blog/2012/03/07/a-post/index.html", 6, "IMG040", "docs/blog/.authors.yml"),
    ("blog/2012/03/07/a-post/index.html", 7, "HTML005", "docs/blog/posts/a-post.md"),
    ("index.html", 2, "IMG040", "docs/blog/posts/a-post.md"),
]


@pytest.fixture
def project() -> Project:
    return load_project(REPO / "mkdocs.yml")


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """More pages than one hand-over holds, so that several reach the worker."""
    site = tmp_path / "site"
    pages = {"blog/2012/03/07/a-post/index.html": POST, "index.html": HOME}
    pages |= {f"page-{n}/index.html": OTHER for n in range(BATCH_PAGES + 3)}
    for rel, html in pages.items():
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_text(html, encoding="utf-8")
    return site


def pages_of(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*.html"))}


def scanned(site: Path, pages: dict[str, bytes], project: Project) -> PageScanner:
    scanner = PageScanner(project.hub.embed_hosts, site)
    for rel, html in pages.items():
        scanner.submit(rel, html)
    return scanner


def test_what_the_worker_reads_is_what_reading_from_disk_finds(
    project: Project, site: Path
) -> None:
    pages = pages_of(site)
    read = scanned(site, pages, project).results()
    assert set(read.scans) == set(pages)
    from_disk = check_site(project, site, lambda: SOURCES)
    from_worker = check_site(project, site, lambda: SOURCES, scans=read.scans)
    assert sorted(from_worker.problems) == sorted(from_disk.problems)
    assert [
        (p.path.removeprefix("site/"), p.line, p.code, p.message.rsplit("(from ", 1)[-1][:-1])
        for p in sorted(from_worker.problems)
    ] == EXPECTED
    assert from_worker.files_checked == from_disk.files_checked == len(pages)
    assert Usage.of_site(site, read.usage, read.scans) == Usage.of_site(site)


def test_a_page_changed_after_it_was_read_is_read_again(project: Project, site: Path) -> None:
    pages = pages_of(site)
    scanner = scanned(site, pages, project)
    (site / "page-0/index.html").write_text(OTHER.replace("Fine", "Changed"), encoding="utf-8")
    (site / "index.html").write_text(POST.replace("nope.png", "also-gone.png"), encoding="utf-8")
    read = scanner.results()
    assert "index.html" not in read.scans and "page-0/index.html" not in read.scans
    report = check_site(project, site, lambda: SOURCES, scans=read.scans)
    assert any("also-gone.png" in p.message for p in report.problems)
    assert Usage.of_site(site, read.usage, read.scans).has_class("md-author")


def test_pages_the_worker_could_not_read_are_left_to_the_steps_after_the_build(
    project: Project, site: Path
) -> None:
    pages = pages_of(site)
    pages["index.html"] = b"\xff not UTF-8"  # the worker fails on the batch holding this page
    read = scanned(site, pages, project).results()
    assert "index.html" not in read.scans
    assert len(read.scans) < len(pages) - 1
    report = check_site(project, site, lambda: SOURCES, scans=read.scans)
    assert report.files_checked == len(pages)


def test_a_scanner_that_is_stopped_leaves_nothing_behind(project: Project, site: Path) -> None:
    scanner = scanned(site, pages_of(site), project)
    scanner.close()
    assert scanner.results().scans == {}


@pytest.fixture
def big_site(site: Path) -> Path:
    """Enough pages for the command to share them out between two processes."""
    for n in range(2 * PAGES_PER_WORKER):
        (site / f"more-{n}").mkdir()
        (site / f"more-{n}/index.html").write_text(OTHER, encoding="utf-8")
    return site


def test_the_command_reads_pages_on_two_cores_as_one_process_would(
    project: Project, big_site: Path
) -> None:
    rels = sorted(pages_of(big_site))
    hosts = project.hub.embed_hosts
    assert read_on_every_core(big_site, rels, hosts, cores=2) == scan_files(big_site, rels, hosts)
    one_by_one = check_site(project, big_site, lambda: SOURCES)
    shared_out = check_site(project, big_site, lambda: SOURCES, read_pages=read_on_every_core)
    assert sorted(shared_out.problems) == sorted(one_by_one.problems)
    assert [p.code for p in sorted(shared_out.problems)] == [e[2] for e in EXPECTED]
    assert shared_out.files_checked == one_by_one.files_checked == len(rels)


class BreaksInWorkers(type(Path())):  # type: ignore[misc]
    """A site folder whose pages a worker process fails to read (this process reads them)."""

    def read_bytes(self) -> bytes:
        if multiprocessing.parent_process() is not None:
            raise RuntimeError("the worker broke")
        return bytes(super().read_bytes())


def test_pages_a_broken_worker_was_given_are_read_one_by_one(
    project: Project, big_site: Path
) -> None:
    rels = sorted(pages_of(big_site))
    hosts = project.hub.embed_hosts
    read = read_on_every_core(BreaksInWorkers(big_site), rels, hosts, cores=2)
    assert 0 < len(read) < len(rels)  # this process read its parts; the worker's are missing
    report = check_site(
        project,
        big_site,
        lambda: SOURCES,
        read_pages=lambda site, pages, hosts: read_on_every_core(
            BreaksInWorkers(site), pages, hosts, cores=2
        ),
    )
    assert sorted(report.problems) == sorted(
        check_site(project, big_site, lambda: SOURCES).problems
    )
    assert report.files_checked == len(rels)


@pytest.mark.parametrize("folder", [Path, BreaksInWorkers], ids=["worker", "broken worker"])
def test_the_stylesheets_are_trimmed_as_this_process_would(
    project: Project, site: Path, folder: type[Path]
) -> None:
    """The worker reads the stylesheet and scripts ahead and trims after the build; if it
    breaks, this process trims instead, with the same result."""
    stylesheet = ".x{color:red}.scripted{color:green}.nowhere{color:blue}"
    (site / "assets").mkdir()
    (site / "assets/main.css").write_text(stylesheet, encoding="utf-8")
    (site / "assets/app.js").write_text('el.classList.add("scripted")', encoding="utf-8")
    scanner = PageScanner(project.hub.embed_hosts, folder(site), ["assets/*.css"])
    for rel, html in pages_of(site).items():
        scanner.submit(rel, html)
    read = scanner.results()
    assert read.usage.has_class("x")
    scanner.trim_stylesheets(read)()
    scanner.close()
    assert (site / "assets/main.css").read_text(encoding="utf-8") == (
        ".x{color:red}.scripted{color:green}"
    )
