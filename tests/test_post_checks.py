"""The post check as a whole: the real posts, the build hook, MkDocs agreement and random input."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import mkdocs.utils.meta
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from socialcouncils.content.catalogue import load_catalogue
from socialcouncils.content.post_rules import check_meta
from socialcouncils.content.posts import collect_posts
from socialcouncils.site.site_check import check_site
from socialcouncils.source.front_matter import YAML_RE, PostSource, parse_front_matter
from socialcouncils.source.project import MARKDOWN_ENDINGS, load_project
from socialcouncils.source.yaml_source import compose, construct

from conftest import REPO, make_project, run_mkdocs_build

CORPUS = Path(__file__).resolve().parent / "bad_posts"
GOOD_POST = (REPO / "docs/blog/posts/the-world-hasnt-ended.md").read_text(encoding="utf-8")
PROJECT = load_project(REPO / "mkdocs.yml")
CATALOGUE = load_catalogue(PROJECT)


def test_every_real_post_passes() -> None:
    collection = collect_posts(PROJECT)
    assert len(collection.posts) == len(PROJECT.post_files())
    assert collection.problems() == []
    assert all(post.meta is not None for post in collection.posts)


def test_read_posts_keep_values_and_positions_but_not_yaml_nodes() -> None:
    """Once checked, a post keeps what it says and where, not its YAML node tree."""
    post = collect_posts(PROJECT).posts[0]
    assert post.source.mapping is not None
    entries = {e.key: e for e in post.source.mapping.entries}
    assert all(e.value_node is None for e in entries.values())
    lines = post.source.text.split("\n")
    title = entries["title"]
    assert title.key_pos.line == next(n for n, t in enumerate(lines, 1) if t.startswith("title:"))
    assert title.value_pos == (title.key_pos.line, len("title: ") + 1)
    assert post.meta is not None and title.value == post.meta.title


def test_post_files_are_every_markdown_file_under_the_posts_folder_in_path_order(
    tmp_path: Path,
) -> None:
    """Those MkDocs builds: any of its Markdown endings, in any folder (its rule: exact case)."""
    project = load_project(make_project(tmp_path, {"b.md": "", "a.md": ""}) / "mkdocs.yml")
    posts_dir = project.posts_dir
    (posts_dir / "a").mkdir()
    for name in ("a/z.md", "a/y.markdown", "a/photo.png", "a/notes.txt", "c.mkd", "d.MD"):
        (posts_dir / name).write_text("", encoding="utf-8")
    shown = [p.relative_to(posts_dir).as_posix() for p in project.post_files()]
    assert shown == ["a.md", "a/y.markdown", "a/z.md", "b.md", "c.mkd"]


def test_a_value_keeps_its_type_however_often_it_was_read_quoted_or_not() -> None:
    """The reader remembers what short values resolve to; quoting still decides."""
    for _ in range(3):
        for text, expected in (
            ("a: yes", True),
            ('a: "yes"', "yes"),
            ("a: 012", 10),
            ("a: '012'", "012"),
            ("a: 2012-03-07", dt.date(2012, 3, 7)),
            ("a: '2012-03-07'", "2012-03-07"),
        ):
            node = compose(text)
            assert isinstance(node, yaml.MappingNode)
            assert construct(node) == yaml.safe_load(text) == {"a": expected}


def test_the_values_remembered_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    from socialcouncils.source import yaml_source

    monkeypatch.setattr(yaml_source, "_REMEMBERED_VALUES", 3)
    for number in range(10):
        node = compose(f"a: '{number}'\nb: {number}\nc: x{number}")
        assert isinstance(node, yaml.MappingNode)
        assert construct(node) == {"a": str(number), "b": number, "c": f"x{number}"}
        assert len(yaml_source._resolved) <= 3


def test_the_front_matter_pattern_is_the_one_mkdocs_uses() -> None:
    assert YAML_RE.pattern == mkdocs.utils.meta.YAML_RE.pattern
    assert YAML_RE.flags == mkdocs.utils.meta.YAML_RE.flags


def test_the_markdown_endings_are_the_ones_mkdocs_builds() -> None:
    assert set(MARKDOWN_ENDINGS) == set(mkdocs.utils.markdown_extensions)


def mkdocs_reads_front_matter(text: str) -> bool:
    if not mkdocs.utils.meta.YAML_RE.match(text):
        return False  # MkDocs would fall back to MultiMarkdown metadata, which posts never use
    _, data = mkdocs.utils.meta.get_data(text)
    return bool(data) or text.startswith("---\n---")


def test_check_and_mkdocs_agree_on_whether_front_matter_was_read() -> None:
    texts = {p.name: p.read_bytes() for p in CORPUS.glob("*.md")}
    texts["good.md"] = GOOD_POST.encode()
    for name, raw in texts.items():
        try:
            text = raw.decode("utf-8-sig").replace("\r\n", "\n")
        except UnicodeDecodeError:
            continue  # MkDocs cannot read it at all; the check reports FM007
        source = PostSource(path=Path(name), shown=name, text=text)
        parse_front_matter(source)
        mkdocs_read = mkdocs_reads_front_matter(text)
        if any(p.code == "FM009" for p in source.problems):
            # YAML that MkDocs would read but the hub refuses: the build leaves the post out.
            assert mkdocs_read and not source.front_matter_read, name
            continue
        assert source.front_matter_read == mkdocs_read, name
        if not mkdocs_read:
            check_meta(source, CATALOGUE, dt.date(2026, 11, 23))
            assert source.problems, f"{name}: MkDocs would drop its front matter silently"


def test_bom_and_crlf_are_accepted(tmp_path: Path) -> None:
    text = "\ufeff" + GOOD_POST.replace("\n", "\r\n")
    project_dir = make_project(tmp_path / "p", posts={"bom-crlf.md": text})
    project = load_project(project_dir / "mkdocs.yml")
    collection = collect_posts(project)
    assert collection.problems() == []
    assert collection.posts[0].meta is not None


def test_the_build_fails_in_strict_mode_and_reports_every_problem(tmp_path: Path) -> None:
    posts = {
        "good.md": GOOD_POST,
        "unknown-council.md": (CORPUS / "unknown-council.md").read_text(),
        "no-front-matter.md": (CORPUS / "no-front-matter.md").read_text(),
        "tab-indentation.md": (CORPUS / "tab-indentation.md").read_text(),
    }
    build = run_mkdocs_build(make_project(tmp_path / "p", posts=posts))
    assert build.returncode == 1
    assert "Traceback" not in build.output
    warnings = [line for line in build.output.splitlines() if line.startswith("WARNING")]
    for expected in (
        "docs/blog/posts/unknown-council.md:7:10: PM008 unknown council 'monmouth'",
        "docs/blog/posts/no-front-matter.md:1:1: FM002 the post has no front matter",
        "docs/blog/posts/tab-indentation.md:11:1: FM004",
    ):
        assert any(expected in line for line in warnings), expected
    assert "hint: did you mean 'monmouthshire'?" in build.output
    assert re.search(r"Aborted with \d+ warnings in strict mode", build.output)


def test_a_post_saved_with_another_markdown_ending_in_a_subfolder_is_checked_in_the_build(
    tmp_path: Path,
) -> None:
    posts = {
        "good.md": GOOD_POST,
        "2012/unknown-council.markdown": (CORPUS / "unknown-council.md").read_text(),
    }
    build = run_mkdocs_build(make_project(tmp_path / "p", posts=posts))
    assert build.returncode == 1
    assert (
        "WARNING -  docs/blog/posts/2012/unknown-council.markdown:7:10: PM008 unknown council"
        in build.output
    ), build.output


def test_a_lenient_build_leaves_out_only_posts_the_engine_cannot_read(tmp_path: Path) -> None:
    posts = {
        "good.md": GOOD_POST,
        "no-front-matter.md": (CORPUS / "no-front-matter.md").read_text(),
        "unknown-author.md": (CORPUS / "unknown-author.md").read_text(),
    }
    project = make_project(tmp_path / "p", posts=posts)
    build = run_mkdocs_build(project, strict=False)
    assert build.returncode == 0, build.output
    assert "PM007 unknown author" in build.output
    built_posts = list((build.site / "blog").glob("[0-9]*/*/*/*/index.html"))
    assert len(built_posts) == 1
    # The build says what it checked, and how long that took: every post, and as many built
    # files as the standalone check of the same site finds.
    said = re.search(
        r"INFO\s+-\s+Checked (\d+) posts and (\d+) built pages and feeds in \d+\.\d\d seconds",
        build.output,
    )
    assert said is not None, build.output
    standalone = check_site(load_project(project / "mkdocs.yml"), build.site)
    assert (int(said[1]), int(said[2])) == (3, standalone.files_checked)
    assert standalone.files_checked > len(list(build.site.rglob("*.html"))) > 10


yaml_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=30)
    | st.dates(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)
keys = st.sampled_from(
    [
        "title",
        "description",
        "date",
        "authors",
        "council",
        "categories",
        "tags",
        "image",
        "image_alt",
        "original_url",
        "comments",
        "draft",
        "slug",
        "updated",
        "links",
        "pin",
        "readtime",
        "search",
        "hide",
        "other",
    ]
)


def check_text(text: str) -> PostSource:
    source = PostSource(path=Path("random.md"), shown="random.md", text=text)
    parse_front_matter(source)
    check_meta(source, CATALOGUE, dt.date(2026, 11, 23))
    return source


def assert_well_formed(source: PostSource) -> None:
    last_line = source.text.count("\n") + 1
    for problem in source.problems:
        assert 1 <= problem.line <= last_line, problem
        assert problem.col >= 1 and problem.code and problem.message and problem.hint


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(keys, yaml_values, max_size=10))
def test_random_front_matter_never_crashes_the_check(data: dict[str, object]) -> None:
    text = "---\n" + yaml.safe_dump(data, allow_unicode=True) + "---\n\nBody.\n"
    assert_well_formed(check_text(text))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("-:\t\n '\"[]{}#&*!|>%@`,?ab1yNO~.")), max_size=80))
def test_random_text_between_the_fences_never_crashes_the_check(block: str) -> None:
    assert_well_formed(check_text("---\n" + block + "\n---\n\nBody.\n"))


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.dictionaries(keys, yaml_values, max_size=10).map(
            lambda data: yaml.safe_dump(data, allow_unicode=True)
        ),
        st.text(alphabet=st.sampled_from(list("-:\n '\"[]{}#&*!|>,ab1yNO~.")), max_size=80),
    )
)
def test_front_matter_values_are_what_mkdocs_reads(block: str) -> None:
    """Every value the check reads is the value PyYAML's safe loader (MkDocs) gives."""
    try:
        expected = yaml.safe_load(block)
    except yaml.YAMLError:
        return
    if not isinstance(expected, dict) or not all(isinstance(k, str) for k in expected):
        return
    source = PostSource(path=Path("random.md"), shown="random.md", text=f"---\n{block}\n---\n")
    parse_front_matter(source)
    assert source.mapping is not None
    assert source.mapping.data() == expected
