"""The broken-picture corpus: each post gets exactly its expected problems, on their lines.

tests/bad_images/ holds one post per picture rule and a cases.yml of the problems the checker
must report. The corpus goes into one copy of the real project, with one avatar in .authors.yml
named in the wrong case, and is checked three ways: through the core, with check_posts.py (every
case in one run), and by a strict build, which must fail on every case. Unsafe markup has a
corpus of its own (tests/hostile/).
"""

from __future__ import annotations

import datetime as dt
import shutil
import struct
import zlib
from pathlib import Path
from typing import Any

import pytest
import yaml

from socialcouncils.content.images import IMAGE_CODES
from socialcouncils.content.posts import collect_posts
from socialcouncils.problems import Problem
from socialcouncils.source.project import load_project

from conftest import Build, make_project, run_mkdocs_build, run_script

TESTS = Path(__file__).resolve().parent
CORPUS = TESTS / "bad_images"
CASES: dict[str, dict[str, Any]] = yaml.safe_load((CORPUS / "cases.yml").read_text())
TODAY = dt.date(2026, 11, 23)
POSTS = "docs/blog/posts"
AUTHORS = "docs/blog/.authors.yml"
OVERSIZED_KB = 600


def install_corpus(project: Path) -> None:
    posts = project / POSTS
    for item in CORPUS.iterdir():
        if item.is_dir():
            shutil.copytree(item, posts / item.name, dirs_exist_ok=True)
        elif item.suffix == ".md":
            shutil.copy(item, posts / item.name)
    # Too big to commit: a real PNG signature followed by padding, over the 500 KB default.
    big = b"\x89PNG\r\n\x1a\n" + bytes(OVERSIZED_KB * 1024)
    (posts / "shared" / "oversized.png").write_bytes(big)


def avatar_line(project: Path) -> int:
    lines = (project / AUTHORS).read_text().splitlines()
    return next(n for n, line in enumerate(lines, 1) if "Helen-Reynolds.svg" in line)


@pytest.fixture(scope="module")
def corpus_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = make_project(tmp_path_factory.mktemp("corpora") / "project", posts={})
    install_corpus(project)
    authors = project / AUTHORS
    authors.write_text(
        authors.read_text().replace(
            "avatar: blog/avatars/helen-reynolds.svg", "avatar: blog/avatars/Helen-Reynolds.svg"
        )
    )
    return project


@pytest.fixture(scope="module")
def problems(corpus_project: Path) -> list[Problem]:
    collection = collect_posts(load_project(corpus_project / "mkdocs.yml"), today=TODAY)
    return collection.problems()


@pytest.fixture(scope="module")
def strict_build(corpus_project: Path, tmp_path_factory: pytest.TempPathFactory) -> Build:
    return run_mkdocs_build(corpus_project)


def expected(name: str) -> set[tuple[str, int]]:
    return {(code, int(line)) for code, line in CASES[name]["problems"]}


def reported(output: str, name: str) -> set[tuple[str, int]]:
    prefix = f"{POSTS}/{name}:"
    found = set()
    for line in output.splitlines():
        at = line.find(prefix)
        if at >= 0:
            line_number, _, rest = line[at + len(prefix) :].partition(":")
            found.add((rest.split()[1], int(line_number)))
    return found


def test_every_file_has_an_expectation_and_every_code_a_case() -> None:
    assert {p.name for p in CORPUS.glob("*.md")} == set(CASES)
    covered = {code for case in CASES.values() for code, _ in case["problems"]}
    # Every picture code found before the build has a case, but the link: made at run time
    # (test_a_picture_that_is_a_link_is_reported) and in the hostile corpus.
    assert set(IMAGE_CODES) - {"IMG016"} <= covered


@pytest.mark.parametrize("name", sorted(CASES))
def test_case_reports_exactly_its_problems(problems: list[Problem], name: str) -> None:
    found = {(p.code, p.line) for p in problems if p.path == f"{POSTS}/{name}"}
    assert found == expected(name), CASES[name]["why"]
    for problem in problems:
        assert problem.hint, f"{problem.code} has no hint"
        assert problem.col >= 1


def test_a_picture_that_is_a_link_is_reported(tmp_path: Path) -> None:
    outside = tmp_path / "outside.png"
    outside.write_bytes(b"\x89PNG\r\n\x1a\n")
    post = (
        (CORPUS / "missing-file.md")
        .read_text()
        .replace("shared/pier-at-sunset.png", "shared/link.png")
    )
    project = make_project(tmp_path / "project", posts={"link.md": post})
    # Only the picture it uses: the corpus's unsafe pictures would be reported, used or not.
    (project / POSTS / "shared").mkdir()
    (project / POSTS / "shared" / "link.png").symlink_to(outside)
    problems = collect_posts(load_project(project / "mkdocs.yml"), today=TODAY).problems()
    assert {(p.path, p.code) for p in problems} == {
        (f"{POSTS}/link.md", "IMG016"),
        (f"{POSTS}/shared/link.png", "FILE001"),
    }


def test_wrong_case_and_wrong_folder_hints_name_the_real_file(problems: list[Problem]) -> None:
    by_path = {p.path: p for p in problems}
    assert "write the path exactly as the file is named: shared/Harbour.png" in (
        by_path[f"{POSTS}/wrong-case.md"].hint
    )
    assert "write the path as shared/pier.png" in by_path[f"{POSTS}/wrong-folder.md"].hint


def test_avatar_in_the_wrong_case_is_reported_on_its_line(
    corpus_project: Path, problems: list[Problem]
) -> None:
    found = [(p.code, p.line) for p in problems if p.path == AUTHORS]
    assert found == [("IMG002", avatar_line(corpus_project))]


def test_command_reports_every_case_in_one_run(corpus_project: Path) -> None:
    result = run_script("check_posts.py", "-f", "mkdocs.yml", cwd=corpus_project)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    for name in CASES:
        assert reported(result.stdout, name) == expected(name), name
    lines = result.stdout.splitlines()
    assert any(line.startswith(f"{AUTHORS}:{avatar_line(corpus_project)}:") for line in lines)


def test_command_github_format_annotates_the_line(corpus_project: Path) -> None:
    result = run_script(
        "check_posts.py",
        "-f",
        "mkdocs.yml",
        "--format",
        "github",
        f"{POSTS}/missing-file.md",
        cwd=corpus_project,
    )
    assert result.returncode == 1
    ((code, number),) = expected("missing-file.md")
    # The column is where the picture's path starts: ![A pier at sunset](shared/...
    annotation = f"::error file={POSTS}/missing-file.md,line={number},col=21,title={code}::"
    assert any(printed.startswith(annotation) for printed in result.stdout.splitlines())


def test_strict_build_fails_on_every_case(strict_build: Build, corpus_project: Path) -> None:
    assert strict_build.returncode == 1
    assert "Aborted with" in strict_build.output
    for name in CASES:
        assert expected(name) <= reported(strict_build.output, name), name
    assert f"{AUTHORS}:{avatar_line(corpus_project)}:" in strict_build.output


def test_build_reports_what_readers_would_see_broken_once_at_its_source(
    strict_build: Build, corpus_project: Path
) -> None:
    """The excerpt's raw HTML picture, broken on the lists, and the wrong-case avatar, broken on
    every page that shows it, are each reported at the line that writes them, and not again for
    each built page that carries them."""
    lines = strict_build.output.splitlines()
    assert expected("excerpt-on-blog-index.md") <= reported(
        strict_build.output, "excerpt-on-blog-index.md"
    )
    assert f"{AUTHORS}:{avatar_line(corpus_project)}:" in strict_build.output
    again = [
        line
        for line in lines
        if " IMG040 " in line
        and (f"(from {POSTS}/excerpt-on-blog-index.md)" in line or "Helen-Reynolds.svg" in line)
    ]
    assert again == [], "\n".join(again)


def animated_png() -> bytes:
    """A one-pixel animated PNG (APNG): a PNG whose acTL chunk says it is animated."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    return b"".join(
        [
            b"\x89PNG\r\n\x1a\n",
            chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 6, 0, 0, 0)),
            chunk(b"acTL", struct.pack(">II", 1, 0)),
            chunk(b"fcTL", struct.pack(">IIIIIHHBB", 0, 1, 1, 0, 0, 1, 10, 0, 0)),
            chunk(b"IDAT", zlib.compress(b"\x00\x1d\x4f\x73\xff")),
            chunk(b"IEND", b""),
        ]
    )


def test_tricky_but_safe_content_passes(tmp_path: Path) -> None:
    """Decorative images, code examples, comments and allowed embeds are not problems."""
    post = (TESTS / "bad_images" / "missing-file.md").read_text().split("<!-- more -->")[0]
    body = "\n".join(
        [
            "<!-- more -->",
            "",
            "![](shared/pier.png){ .decorative }",
            "![A pier at sunset][pier] and ![A pier][pier]",
            "",
            '[pier]: shared/pier.png "The pier"',
            "",
            "![A small square](shared/fine.svg)",
            "![A flag that waves](shared/animated.png)",
            "",
            "Inline code is shown, not run: `<script>alert(1)</script>` and `![x](gone.png)`.",
            "",
            "```html",
            '<script src="x.js"></script>',
            '<img src="nowhere.png">',
            "```",
            "",
            "<!-- <iframe src='https://evil.example/'></iframe> -->",
            "",
            '!!! note "An admonition"',
            "    ![A pier at sunset](shared/pier.png)",
            "",
            'Sign up {online} or [read the guide](https://example.org/guide){ title="The guide" }.',
            "",
            '<iframe src="https://www.youtube-nocookie.com/embed/abc" title="A talk"></iframe>',
            "",
        ]
    )
    project = make_project(tmp_path / "project", posts={"tricky.md": post + body})
    # Only the pictures it uses: the corpus's unsafe pictures would be reported, used or not.
    (project / POSTS / "shared").mkdir()
    for name in ("pier.png", "fine.svg"):
        shutil.copy(TESTS / "bad_images" / "shared" / name, project / POSTS / "shared" / name)
    (project / POSTS / "shared" / "animated.png").write_bytes(animated_png())
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text().replace("embed_hosts: []", "embed_hosts:\n      - youtube-nocookie.com")
    )
    collection = collect_posts(load_project(config), today=TODAY)
    assert collection.problems() == []
    assert len(collection.posts[0].images) == 6
