"""The scaffold: a new post that passes the check once its placeholders are replaced."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import yaml

from socialcouncils.content.posts import collect_posts
from socialcouncils.content.schema import required_keys
from socialcouncils.source.project import load_project

from conftest import REPO, run_mkdocs_build

NEW_POST = REPO / "scripts" / "new_post.py"
FLAGS = [
    "--title", "How Leeds answers questions on Facebook",
    "--description", "How Leeds City Council answers residents' questions on its Facebook page, and what it learned.",
    "--council", "leeds",
    "--author", "phil-jewitt",
    "--category", "Case studies",
    "--tag", "facebook",
    "--tag", "social media",
    "--date", "2026-11-02",
]  # fmt: skip


def run(project: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(NEW_POST), "-f", "mkdocs.yml", *args],
        cwd=project,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
    )


def fill_placeholders(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    text = text.replace("[[REPLACE: A heading]]", "What we learned")
    while "[[REPLACE:" in text:
        start = text.index("[[REPLACE:")
        end = text.index("]]", start) + 2
        text = text[:start] + "We answer every question within a working day." + text[end:]
    path.write_text(text, encoding="utf-8")


def test_new_post_with_every_field_passes_once_its_text_is_written(
    project_factory: Callable[..., Path],
) -> None:
    project = project_factory()
    result = run(project, *FLAGS)
    assert result.returncode == 0, result.stderr
    post = project / "docs/blog/posts/how-leeds-answers-questions-on-facebook.md"
    assert (project / "docs/blog/posts/how-leeds-answers-questions-on-facebook").is_dir()
    assert "Next steps:" in result.stdout

    config = load_project(project / "mkdocs.yml")
    problems = collect_posts(config, [post]).problems()
    assert problems, "the starter text must be flagged until it is replaced"
    assert {p.code for p in problems} == {"PM012"}
    assert all(p.line > 12 for p in problems), "the front matter itself must pass"

    fill_placeholders(post)
    assert collect_posts(config, [post]).problems() == []
    build = run_mkdocs_build(project)
    assert build.returncode == 0, build.output
    assert (
        build.site / "blog/2026/11/02/how-leeds-answers-questions-on-facebook/index.html"
    ).is_file()


def test_fields_left_out_become_placeholders_that_the_check_flags(
    project_factory: Callable[..., Path],
) -> None:
    project = project_factory()
    result = run(project, "--slug", "my-post", "--no-input")
    assert result.returncode == 0, result.stderr
    post = project / "docs/blog/posts/my-post.md"
    meta = yaml.safe_load(post.read_text(encoding="utf-8").split("---\n")[1])
    assert set(required_keys()) <= set(meta)
    problems = collect_posts(load_project(project / "mkdocs.yml"), [post]).problems()
    flagged_lines = {p.line for p in problems if p.code == "PM012"}
    for key in ("title", "description", "council"):
        line = next(
            n
            for n, text in enumerate(post.read_text().splitlines(), 1)
            if text.startswith(f"{key}:")
        )
        assert line in flagged_lines, key


def test_questions_are_asked_for_missing_fields(project_factory: Callable[..., Path]) -> None:
    project = project_factory()
    answers = "\n".join(
        [
            "Our first year on Instagram",
            "What Shropshire Council learned in its first year of posting on Instagram.",
            "shropshire",
            "jon-king",
            "Case studies",
            "social media, local government",
        ]
    )
    result = run(project, "--date", "2026-11-01", stdin=answers + "\n")
    assert result.returncode == 0, result.stderr
    post = project / "docs/blog/posts/our-first-year-on-instagram.md"
    meta = yaml.safe_load(post.read_text(encoding="utf-8").split("---\n")[1])
    assert meta["council"] == "shropshire"
    assert meta["tags"] == ["social media", "local government"]
    problems = collect_posts(load_project(project / "mkdocs.yml"), [post]).problems()
    assert {p.code for p in problems} == {"PM012"}


def test_it_never_overwrites(project_factory: Callable[..., Path]) -> None:
    project = project_factory()
    assert run(project, *FLAGS).returncode == 0
    post = project / "docs/blog/posts/how-leeds-answers-questions-on-facebook.md"
    post.write_text("my work in progress", encoding="utf-8")
    again = run(project, *FLAGS)
    assert again.returncode == 1
    assert "already exists; nothing was written" in again.stdout
    assert post.read_text(encoding="utf-8") == "my work in progress"


def test_a_new_author_is_added_with_a_local_avatar(project_factory: Callable[..., Path]) -> None:
    project = project_factory()
    args = [a for a in FLAGS if a not in ("--author", "phil-jewitt")]
    result = run(project, *args, "--new-author", "Sam Patel", "--role", "Digital officer")
    assert result.returncode == 0, result.stderr
    authors = yaml.safe_load((project / "docs/blog/.authors.yml").read_text())["authors"]
    assert authors["sam-patel"]["council"] == "leeds"
    assert authors["sam-patel"]["role"] == "Digital officer"
    assert (project / "docs/blog" / authors["sam-patel"]["avatar"].removeprefix("blog/")).is_file()
    post = project / "docs/blog/posts/how-leeds-answers-questions-on-facebook.md"
    fill_placeholders(post)
    assert collect_posts(load_project(project / "mkdocs.yml"), [post]).problems() == []


def test_a_bad_date_is_a_usage_error(project_factory: Callable[..., Path]) -> None:
    result = run(project_factory(), "--date", "07/03/2012", "--no-input")
    assert result.returncode == 2
    assert "write it as YYYY-MM-DD" in result.stderr
    assert "Traceback" not in result.stderr
