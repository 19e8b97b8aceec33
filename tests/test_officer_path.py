"""An officer's guest post, from a blank template to a green pull request, in a fresh copy of the
repository: exactly the commands the pull-request workflow runs, every command the README and the
scaffold print, and the live preview's notice of what is left to fix.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import socket
import struct
import subprocess
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import lxml.html
import pytest
import yaml

from conftest import REPO, fetch, run_git, wait_until

POST = "docs/blog/posts/our-library-pilot.md"
PICTURE = "docs/blog/posts/our-library-pilot/library-reading-room.png"
NEW_POST = """---
title: "Our library's six months on Facebook"
description: "What Leeds City Council learned from running a Facebook page for its libraries for six months."
date: 2012-09-03
authors:
  - phil-jewitt
council: leeds
categories:
  - Case studies
tags:
  - facebook
  - leeds
image: our-library-pilot/library-reading-room.png
image_alt: "Readers at the long tables of a library's reading room"
image_credit: "Photo: Leeds City Council"
---

In the spring we opened a Facebook page for the city's libraries, and this is what happened.

<!-- more -->

## What we did

We posted every day for six months: new books, events and the odd photograph.

![Readers at the long tables of a library's reading room](our-library-pilot/library-reading-room.png)
"""
# Commands the guides print that cannot run inside a test: what each would take instead.
NOT_RUN_HERE = {
    "make test": "it is the suite this test is part of; the pull-request path runs its content tests",
    "make pin": "it resolves the dependencies afresh from PyPI",
    "make bench": "it builds synthetic sites of up to 2,000 posts for minutes",
    "make bench-engine": "it builds a synthetic site for about half an hour",
    "make page-weight": "it builds Material's default site and weighs pages in Chromium",
    "make import-wordpress": "it needs a council's own export; test_wordpress_import runs it on ours",
}


def png(width: int = 40, height: int = 30) -> bytes:
    """A small real PNG picture (a grey gradient)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data)
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    rows = b"".join(b"\x00" + bytes((x * 6) % 256 for x in range(width)) for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows))


def tracked_files() -> list[str]:
    result = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    return [name for name in result.stdout.split("\0") if name and (REPO / name).is_file()]


@pytest.fixture(scope="module")
def clone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh copy of the repository, as a pull request's branch sees it: main on an origin,
    and a branch off it. Its make installs its own virtual environment (from pip's cache), so
    the commands run the copy's code; only axe-core's npm folder is shared."""
    root = tmp_path_factory.mktemp("officer")
    work = root / "work"
    for name in tracked_files():
        target = work / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / name, target)
    if (REPO / "node_modules").exists():
        (work / "node_modules").symlink_to(REPO / "node_modules", target_is_directory=True)
    run_git(work, "init", "-q", "-b", "main")
    run_git(work, "add", "-A")
    run_git(work, "commit", "-q", "-m", "The site as it is")
    run_git(root, "clone", "-q", "--bare", str(work), str(root / "origin.git"))
    run_git(work, "remote", "add", "origin", str(root / "origin.git"))
    run_git(work, "fetch", "-q", "origin")
    run_git(work, "checkout", "-q", "-b", "our-library-pilot")
    (work / PICTURE).parent.mkdir(parents=True)
    (work / PICTURE).write_bytes(png())
    (work / POST).write_text(NEW_POST, encoding="utf-8")
    run_git(work, "add", "-A")
    run_git(work, "commit", "-q", "-m", "Our library's six months on Facebook")
    return work


def run(command: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", "-c", command],
        cwd=cwd,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **env},
        capture_output=True,
        text=True,
        timeout=600,
    )


def workflow_commands() -> list[str]:
    data = yaml.safe_load((REPO / ".github/workflows/pull-request.yml").read_text())
    return [s["run"] for job in data["jobs"].values() for s in job["steps"] if "run" in s]


def test_a_new_post_with_a_photo_passes_every_command_of_the_pull_request_workflow(
    clone: Path,
) -> None:
    commands = workflow_commands()
    assert "make test" in commands
    for command in commands:
        # Inside the suite, "make test" runs the tests that read the site's own posts: the
        # new post must not make one of them fail. It runs in one process, as the suite around
        # it already has a worker on each core.
        extra = {
            "PYTEST_ADDOPTS": "-p no:cacheprovider -m 'content and not browser'",
            "TEST_WORKERS": "0",
        }
        result = run(command, clone, BASE_REF="main", **(extra if command == "make test" else {}))
        said = result.stdout + result.stderr
        assert result.returncode == 0, f"{command}:\n{said[-3000:]}"
        assert "Traceback" not in said, command
    assert (clone / "site/blog/2012/09/03/our-librarys-six-months-on-facebook/index.html").is_file()
    assert list((clone / "site").rglob("library-reading-room.png"))


def test_a_broken_post_gets_annotations_on_its_own_lines(clone: Path) -> None:
    run_git(clone, "checkout", "-q", "-b", "a-broken-post", "main")
    broken = NEW_POST.replace("council: leeds", "council: leds").replace(
        "  - leeds\n", "  - libraries\n"
    )
    (clone / POST).write_text(broken, encoding="utf-8")
    run_git(clone, "add", "-A")
    run_git(clone, "commit", "-q", "-m", "A broken post")
    try:
        (command,) = [c for c in workflow_commands() if "check-changed-posts" in c]
        result = run(command, clone, BASE_REF="main")
        # The check exits 1, and make with it: the workflow's step fails.
        assert result.returncode != 0, result.stdout + result.stderr
        annotations = [line for line in result.stdout.splitlines() if line.startswith("::error ")]
        lines = {
            int(m["line"])
            for a in annotations
            if (m := re.search(rf"file={re.escape(POST)},line=(?P<line>\d+),", a))
        }
        text = NEW_POST.splitlines()
        assert lines == {
            text.index("council: leeds") + 1,
            text.index("  - leeds") + 1,
            text.index("image: our-library-pilot/library-reading-room.png") + 1,
            next(n for n, line in enumerate(text, 1) if line.startswith("![Readers")),
        }, annotations
    finally:
        run_git(clone, "checkout", "-q", "-f", "our-library-pilot")


def printed_commands() -> list[str]:
    """Every ``make`` command the README shows, as written there."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    found = re.findall(r"`(make [^`]+)`", readme) + re.findall(
        r"^(make \S.*?)(?:\s+#.*)?$", readme, re.M
    )
    return sorted({" ".join(c.split()) for c in found})


@contextmanager
def serving(command: str, cwd: Path) -> Iterator[str]:
    """A live preview started with ``command`` on a free port; yields its address."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    address = f"http://127.0.0.1:{port}/"
    server = subprocess.Popen(
        [*shlex.split(command), f"HOST=127.0.0.1:{port}"],
        cwd=cwd,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        assert wait_until(lambda: fetch(address) is not None, 120), f"{command} never served"
        yield address
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=30)


def html_text(fragment: str) -> str:
    return " ".join(lxml.html.fromstring(fragment).text_content().split())


def test_every_command_the_readme_prints_works_as_printed(clone: Path) -> None:
    commands = printed_commands()
    assert {"make serve", "make test", "make build", "make check-site"} <= set(commands)
    for command in commands:
        command = command.replace("docs/blog/posts/…md", POST)
        target = command.split()[1]
        if command in NOT_RUN_HERE or target in {c.split()[1] for c in NOT_RUN_HERE}:
            dry = run(f"make -n {target}", clone)
            assert dry.returncode == 0, f"{command}: {dry.stderr}"
        elif target in ("serve", "preview"):
            with serving(command, clone) as address:
                assert "Social Councils" in (fetch(address) or "")
        else:
            result = run(command + " < /dev/null", clone)
            said = result.stdout + result.stderr
            assert result.returncode == 0, f"{command}:\n{said[-3000:]}"
            assert "Traceback" not in said, command
    for path in clone.glob("docs/blog/posts/new-post*"):  # what "make new-post" made
        shutil.rmtree(path) if path.is_dir() else path.unlink()


def test_the_scaffolds_next_steps_work_as_printed(clone: Path) -> None:
    result = run(
        "make new-post ARGS='--no-input --title \"A post started from the scaffold\"'", clone
    )
    assert result.returncode == 0, result.stdout + result.stderr
    steps = re.findall(r"(?:with|Preview your post with): (make \S+ \S+)", result.stdout)
    assert len(steps) == 2 and "Still to do in your post" in result.stdout, result.stdout
    check = run(steps[0] if "check-posts" in steps[0] else steps[1], clone)
    # Its placeholders are still there: the check names each, with its line (and make, with
    # the check, exits non-zero).
    assert check.returncode != 0
    assert "PM012" in check.stdout and "Traceback" not in check.stdout + check.stderr
    preview = next(s for s in steps if "preview" in s)
    with serving(preview, clone) as address:
        home = fetch(address) or ""
        assert "hub-problems" in home, "the preview shows nothing to fix"
    for path in clone.glob("docs/blog/posts/a-post-started-from-the-scaffold*"):
        shutil.rmtree(path) if path.is_dir() else path.unlink()


def test_the_preview_shows_what_is_left_to_fix_and_updates_on_save(clone: Path) -> None:
    post = clone / POST
    post.write_text(NEW_POST.replace("council: leeds", "council: leds"), encoding="utf-8")
    page = "blog/2012/09/03/our-librarys-six-months-on-facebook/"
    try:
        with serving(f"make preview POST={POST}", clone) as address:
            html = fetch(address + page) or ""
            notice = re.search(r'<section class="hub-problems".*?</section>', html, re.S)
            assert notice, html[:2000]
            line = NEW_POST.splitlines().index("council: leeds") + 1
            assert f"Line {line}</strong> (PM008)" in notice[0]
            assert "Did you mean 'leeds'?" in html_text(notice[0])
            post.write_text(NEW_POST, encoding="utf-8")
            assert wait_until(lambda: "hub-problems" not in (fetch(address + page) or "x"), 60)
    finally:
        post.write_text(NEW_POST, encoding="utf-8")
