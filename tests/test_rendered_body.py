"""A post's body read from its rendering, each finding traced back to its line, and the readings
kept between runs."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import pytest

from socialcouncils.content.markdown_render import MarkdownSettings
from socialcouncils.content.posts import collect_posts
from socialcouncils.content.rendered_body import BodyReader, BodyReading, ReadingCache
from socialcouncils.policy.html_changes import Change
from socialcouncils.policy.markup_policy import MarkupPolicy
from socialcouncils.source.project import load_project

from conftest import REPO, edit_config, make_project

READER = BodyReader(
    MarkdownSettings.from_config(load_project(REPO / "mkdocs.yml").markdown_extensions),
    MarkupPolicy(),
)


def spots(body: str) -> list[tuple[str, str, int, int]]:
    reading = READER.read(body, first_line=20)
    return [
        (f.change.kind, f.change.name or f.change.tag, f.spot.line, f.spot.col)
        for f in reading.markup
    ]


def test_the_same_markup_shown_as_an_example_is_not_taken_for_the_live_one() -> None:
    body = "\n".join(
        [
            "An example:",
            "",
            "```html",
            '<p onclick="alert(1)">x</p>',
            "```",
            "",
            'And `<p onclick="alert(1)">` inline.',
            "",
            '<p onclick="alert(1)">the live one</p>',
        ]
    )
    assert spots(body) == [("attribute", "onclick", 28, 4)]


def test_equal_findings_take_their_places_in_order() -> None:
    body = '<b onclick="a()">1</b> and <i onclick="a()">2</i>\n\n<u onclick="a()">3</u>\n'
    assert [s[2:] for s in spots(body)] == [(20, 4), (20, 31), (22, 4)]


def test_a_reference_link_is_found_where_its_address_is_written() -> None:
    body = "Read [the notes][n].\n\n!!! note\n    More.\n\n[n]: javascript:alert(1)\n"
    assert spots(body) == [("attribute", "href", 25, 6)]


def test_a_picture_is_found_where_its_path_is_written_each_time_it_is_used() -> None:
    body = '![One](pier.png) text\n\n![Two](pier.png)\n\n<img src="pier.png" alt="Three">\n'
    reading = READER.read(body, first_line=1)
    assert [(i.alt, i.raw_html, i.spot.line, i.spot.col) for i in reading.images] == [
        ("One", False, 1, 8),
        ("Two", False, 3, 8),
        ("Three", True, 5, 11),
    ]


def test_what_only_the_rendering_shows_is_found() -> None:
    """An unclosed fence is no code block: the check reads what Python-Markdown renders."""
    body = "```\nnot code after all\n<img src=x onerror=alert(1)>\n"
    assert ("attribute", "onerror", 22, 12) in spots(body)
    assert READER.changes_in(body) == [Change("attribute", "img", "onerror", "alert(1)")]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "project")


def test_a_post_is_rendered_again_only_when_its_body_or_the_reading_changes(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = project / "mkdocs.yml"
    collect_posts(load_project(config))
    cache = project / ".cache" / "post-readings.json"
    entries = json.loads(cache.read_text())
    posts = [p for p in entries if p.startswith("docs/blog/posts/")]
    assert len(posts) == len(load_project(config).post_files())
    assert len(entries) > len(posts)  # the site's other pages too

    rendered: list[int] = []
    original = BodyReader.read

    def counting(self: BodyReader, body: str, first_line: int) -> BodyReading:
        rendered.append(first_line)
        return original(self, body, first_line)

    monkeypatch.setattr(BodyReader, "read", counting)
    again = collect_posts(load_project(config))
    assert rendered == [] and again.problems() == []

    post = project / "docs/blog/posts/social-media-friendly.md"
    post.write_text(post.read_text() + '\n<p onclick="alert(1)">x</p>\n')
    changed = collect_posts(load_project(config))
    assert len(rendered) == 1
    assert [p.code for p in changed.problems()] == ["HTML005"]

    # A front matter of another length moves the lines, not the reading.
    post.write_text(post.read_text().replace("---\n", "---\nslug: friendly\n", 1))
    moved = collect_posts(load_project(config))
    assert len(rendered) == 1
    assert moved.problems()[0].line == changed.problems()[0].line + 1

    # What decides a reading changes: every post is read again.
    edit_config(project, lambda c: c["extra"]["hub"].update(embed_hosts=["youtube-nocookie.com"]))
    collect_posts(load_project(config))
    assert len(rendered) == 1 + len(entries)


def test_a_broken_cache_is_read_again_not_trusted(project: Path) -> None:
    cache = project / ".cache" / "post-readings.json"
    cache.parent.mkdir()
    cache.write_text("{not json")
    assert collect_posts(load_project(project / "mkdocs.yml")).problems() == []
    kept = json.loads(cache.read_text())
    posts = load_project(project / "mkdocs.yml").post_files()
    assert len([p for p in kept if p.startswith("docs/blog/posts/")]) == len(posts)


def test_checks_at_the_same_time_never_read_half_a_cache(tmp_path: Path) -> None:
    """The suite's workers, a build and a preview may share one cache: each writes it whole."""
    path = tmp_path / ".cache" / "post-readings.json"
    seen: list[str] = []

    def write(who: str) -> None:
        for n in range(60):
            cache = ReadingCache(path)
            cache.entries = {f"{who}-{n}-{i}": {"key": "k" * 200} for i in range(50)}
            cache.changed = True
            cache.save()

    writers = [threading.Thread(target=write, args=(w,)) for w in "ab"]

    def read() -> None:
        # Until both writers are done, however the threads are scheduled, and once after.
        deadline = time.monotonic() + 60
        while (any(w.is_alive() for w in writers) or not seen) and time.monotonic() < deadline:
            if path.exists():
                seen.append(type(json.loads(path.read_text(encoding="utf-8"))).__name__)

    reader = threading.Thread(target=read)
    for thread in [*writers, reader]:
        thread.start()
    for thread in [*writers, reader]:
        thread.join(timeout=60)
    assert seen and set(seen) == {"dict"}
    assert [p.name for p in path.parent.iterdir()] == ["post-readings.json"]
