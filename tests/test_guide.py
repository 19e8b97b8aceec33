"""The two guides and the GitHub forms: in step with the schema, the checks and the site."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import lxml.html
import markdown
import pytest
import yaml

from socialcouncils.commands import guide
from socialcouncils.commands.guide import (
    EXAMPLES,
    FAMILIES,
    GUIDES,
    MAINTAINER_FAMILIES,
    MAINTAINERS_GUIDE,
    OFFICERS_GUIDE,
    GuideError,
    all_codes,
    code_table,
    family,
    generated_part,
    maintainer_code_table,
    post_template,
)
from socialcouncils.content.catalogue import load_catalogue
from socialcouncils.content.posts import collect_posts
from socialcouncils.content.schema import field_docs, required_keys
from socialcouncils.problems import Problem, format_report
from socialcouncils.site.site_check import check_site
from socialcouncils.source.project import load_project

from conftest import REPO, make_project, run_mkdocs_build

GUIDE_FILE = REPO / OFFICERS_GUIDE
GUIDE = GUIDE_FILE.read_text(encoding="utf-8")
MAINTAINERS = (REPO / MAINTAINERS_GUIDE).read_text(encoding="utf-8")
TEXTS = {OFFICERS_GUIDE: GUIDE, MAINTAINERS_GUIDE: MAINTAINERS}
UPDATE_GUIDE = REPO / "scripts" / "update_guide.py"
TESTS = REPO / "tests"
PROJECT = load_project()
TODAY = dt.date(2026, 11, 23)
POSTS = "docs/blog/posts"
EXAMPLE = re.compile(
    r"```text\n(docs/blog/posts/(?P<name>[^:\s]+\.md):\d+:\d+: [A-Z]+\d{3} .*\n    hint: .*)\n```"
)
# Every code the hub can raise, as the code spells it: a new code fails the tests below until
# it has a row in one of the guides' tables of codes, and an example.
RAISED = {
    code
    for path in (REPO / "scripts" / "socialcouncils").rglob("*.py")
    for code in re.findall(r'"([A-Z]{2,4}\d{3})"', path.read_text(encoding="utf-8"))
}


def update_guide(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(UPDATE_GUIDE), *args], capture_output=True, text=True, timeout=60
    )


@pytest.mark.parametrize(
    ("guide", "name"), [(guide, name) for guide, parts in GUIDES.items() for name in parts]
)
def test_generated_part_of_each_guide_matches_the_code(guide: str, name: str) -> None:
    assert generated_part(TEXTS[guide], name) == GUIDES[guide][name](), "run 'make guide'"


def key_rows(text: str) -> list[tuple[str, str]]:
    return re.findall(r"^\| `(\w+)` \| (\*\*required\*\*|optional) \|", text, re.MULTILINE)


def test_officers_table_has_exactly_the_keys_officers_set_in_plain_words() -> None:
    officers = [doc for doc in field_docs() if doc.for_officers]
    rows = key_rows(GUIDE)
    assert [key for key, _ in rows] == [doc.name for doc in officers]
    assert {"pin", "readtime", "search", "hide"}.isdisjoint(key for key, _ in rows)
    assert [key for key, needed in rows if needed == "**required**"] == required_keys()
    for doc in officers:
        assert doc.description in GUIDE
    table = generated_part(GUIDE, "fields")
    assert "mapping" not in table and "list of text" not in table


def test_maintainers_table_has_the_theme_keys_and_only_them() -> None:
    rows = key_rows(MAINTAINERS)
    assert [key for key, _ in rows] == [doc.name for doc in field_docs() if not doc.for_officers]
    assert "mapping" not in generated_part(MAINTAINERS, "theme-fields")


def guides_in(folder: Path, guide: str = "", old: str = "", new: str = "") -> Path:
    """Copies of both guides under ``folder`` (as in the repository), ``guide`` with one edit."""
    for name, text in TEXTS.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if name == guide:
            assert old in text
            text = text.replace(old, new)
        path.write_text(text, encoding="utf-8")
    return folder


STALE = {
    OFFICERS_GUIDE: ("| `title` | **required** |", "| `title` | optional |"),
    MAINTAINERS_GUIDE: ("| `pin` | optional |", "| `pin` | **required** |"),
}


@pytest.mark.parametrize("guide", sorted(GUIDES))
def test_either_stale_guide_fails_the_check_and_is_rewritten(tmp_path: Path, guide: str) -> None:
    root = guides_in(tmp_path, guide, *STALE[guide])
    stale = update_guide("--check", "--root", str(root))
    assert stale.returncode == 1
    assert guide in stale.stderr and "make guide" in stale.stderr
    assert update_guide("--root", str(root)).returncode == 0
    for name, text in TEXTS.items():
        assert (root / name).read_text(encoding="utf-8") == text
    assert update_guide("--check", "--root", str(root)).returncode == 0


def test_the_real_guides_are_up_to_date() -> None:
    result = update_guide("--check")
    assert result.returncode == 0, result.stderr


def test_a_guide_without_markers_is_a_usage_error(tmp_path: Path) -> None:
    root = guides_in(tmp_path, OFFICERS_GUIDE, "<!-- template:end -->", "")
    result = update_guide("--check", "--root", str(root))
    assert result.returncode == 2
    assert "template:start" in result.stderr


def template_text() -> str:
    block = generated_part(GUIDE, "template")
    assert block.startswith("```markdown\n") and block.endswith("\n```")
    return block.removeprefix("```markdown\n").removesuffix("```")


def fill(template: str) -> str:
    """The template as an officer would finish it: schema examples, then their own words."""
    examples = {doc.name: doc.example for doc in field_docs()}
    lines = []
    key = ""
    for line in template.splitlines():
        if match := re.match(r"^(\w+):", line):
            key = match.group(1)
        if line == "date: YYYY-MM-DD":
            lines.append(f"date: {examples['date']}")  # typed over the placeholder
        elif "[[REPLACE:" not in line:
            lines.append(line)
        elif line.startswith("  - "):
            lines.append(f'  - "{examples[key][0]}"')
        elif key == "date" and line.startswith("date:"):
            lines.append(f"date: {examples['date']}")
        elif line.startswith(f"{key}:"):
            lines.append(f'{key}: "{examples[key]}"')
        elif line.startswith("## "):
            lines.append("## What we learned")
        else:
            lines.append("We answer every question from residents within a working day.")
    return "\n".join(lines) + "\n"


def test_the_guide_template_is_flagged_until_filled_then_builds(tmp_path: Path) -> None:
    template = template_text()
    assert yaml.safe_load(template.split("---\n")[1]).keys() == set(required_keys())
    project_dir = make_project(tmp_path / "project")
    project = load_project(project_dir / "mkdocs.yml")
    post = project.posts_dir / "my-post.md"
    post.write_text(template, encoding="utf-8")

    unfilled = collect_posts(project, [post]).problems()
    placeholder_lines = [
        n
        for n, line in enumerate(template.splitlines(), 1)
        if "[[REPLACE:" in line or line == "date: YYYY-MM-DD"
    ]
    # Each placeholder is one problem, on its own line, and nothing else is reported.
    assert {p.code for p in unfilled} == {"PM012"}
    assert sorted(p.line for p in unfilled) == placeholder_lines

    post.write_text(fill(template), encoding="utf-8")
    assert collect_posts(project, [post]).problems() == []
    build = run_mkdocs_build(project_dir)
    assert build.returncode == 0, build.output
    assert (
        build.site / "blog/2012/03/07/how-we-opened-social-media-to-every-member-of-staff"
    ).is_dir()


def test_the_template_is_what_the_generator_writes() -> None:
    assert template_text() == post_template().removeprefix("```markdown\n").removesuffix("```")


def test_every_example_message_in_the_guide_is_what_the_check_prints(tmp_path: Path) -> None:
    examples = list(EXAMPLE.finditer(GUIDE))
    assert examples, "the guide shows how a message reads"
    project_dir = make_project(tmp_path / "project", posts={})
    project = load_project(project_dir / "mkdocs.yml")
    for example in examples:
        name = example.group("name")
        source = TESTS / "bad_posts" / name
        assert source.is_file(), f"the example for {name} must come from tests/bad_posts/"
        post = project.posts_dir / name
        shutil.copy(source, post)
        printed = "\n".join(p.format_text() for p in collect_posts(project, [post]).problems())
        post.unlink()
        assert example.group(1) in printed, (
            f"the guide's example is not what the check prints:\n{printed}"
        )


# Each guide's generated table of codes.
CODE_TABLES = {OFFICERS_GUIDE: "codes", MAINTAINERS_GUIDE: "maintainer-codes"}


def code_rows() -> list[tuple[str, str]]:
    """(code, guide) for every row of both guides' tables of codes, as the guides hold them."""
    return [
        (code, name)
        for name, part in CODE_TABLES.items()
        for code in re.findall(
            r"^\| ([A-Z]{2,4}\d{3}) \|", generated_part(TEXTS[name], part), re.MULTILINE
        )
    ]


def without_a_row(raised: set[str]) -> set[str]:
    return raised - {code for code, _ in code_rows()}


def test_every_code_the_hub_can_raise_has_one_row_in_one_of_the_guides() -> None:
    assert set(all_codes()) == RAISED, "each code needs a line in one of the checks' tables"
    rows = code_rows()
    assert not without_a_row(RAISED)
    assert sorted(code for code, _ in rows) == sorted(RAISED), "one row for each code, once"
    assert set(EXAMPLES) == RAISED


def test_a_new_code_without_a_row_fails() -> None:
    assert without_a_row(RAISED | {"RSP099", "WP099", "PM099"}) == {"RSP099", "WP099", "PM099"}


def test_each_code_is_in_the_guide_of_those_who_meet_it() -> None:
    """Officers meet the checks of posts and the site; only maintainers meet RSP and WP codes."""
    where = dict(code_rows())
    assert {where[c] for c in RAISED if family(c) in FAMILIES} == {OFFICERS_GUIDE}
    assert {where[c] for c in RAISED if family(c) in MAINTAINER_FAMILIES} == {MAINTAINERS_GUIDE}
    assert {family(c) for c in RAISED} == set(FAMILIES) | set(MAINTAINER_FAMILIES)
    assert {"RSP", "WP"} <= {family(c) for c, g in where.items() if g == MAINTAINERS_GUIDE}


def test_a_code_of_no_guide_or_without_an_example_stops_the_tables(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    codes = all_codes()
    monkeypatch.setattr(guide, "all_codes", lambda: {**codes, "XYZ001": "a new family"})
    with pytest.raises(GuideError, match="XYZ001: add the family to FAMILIES"):
        code_table()
    monkeypatch.setattr(guide, "all_codes", lambda: {**codes, "RSP099": "a new code"})
    assert "RSP099" not in code_table()
    with pytest.raises(GuideError, match="RSP099 has no example"):
        maintainer_code_table()


@pytest.mark.parametrize(("name", "part"), sorted(CODE_TABLES.items()))
def test_each_table_of_codes_reads_as_the_checks_say_it_once_rendered(name: str, part: str) -> None:
    """Every cell shows its text as typed: no <script> or <!-- more --> taken for markup."""
    html = markdown.markdown(generated_part(TEXTS[name], part), extensions=["tables"])
    rows = [
        tuple(cell.text_content() for cell in row.xpath("td"))
        for row in lxml.html.fromstring(html).xpath("//tbody/tr")
    ]
    codes = all_codes()
    assert rows == [
        (code, codes[code], EXAMPLES[code].message, EXAMPLES[code].hint)
        for code in [row[0] for row in rows]
    ]
    assert len(rows) == len([code for code, guide in code_rows() if guide == name]) > 0


# What a corpus case is installed as in a copy of the project: posts beside the real posts
# (with the folders of pictures they share), data files in place of the real ones.
CORPORA = {
    "bad_posts": POSTS,
    "bad_images": POSTS,
    "hostile/posts": POSTS,
    "hostile/data": "docs/blog",
    "bad_responses": POSTS,
}
RESPONSES_CASES = yaml.safe_load((TESTS / "bad_responses" / "cases.yml").read_text())


@pytest.fixture(scope="module")
def corpus_problems(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], list[Problem]]:
    """The problems the post check reports in one corpus, checked once."""
    found: dict[str, list[Problem]] = {}

    def problems(corpus: str) -> list[Problem]:
        if corpus not in found:
            project_dir = make_project(tmp_path_factory.mktemp("corpus"), posts={})
            if corpus == "bad_responses":
                # A responses file is read with its post: each has one beside it, but the one
                # whose case is that it has none.
                for name, case in RESPONSES_CASES.items():
                    if case["code"] != "RSP001":
                        stem = name.removesuffix(".responses.yml")
                        post = project_dir / POSTS / f"{stem}.md"
                        post.write_text(a_post(f"Archived responses case {stem}"))
            if corpus.startswith("hostile/"):
                pairs = [(TESTS / f, project_dir / to) for f, to in CORPORA.items() if "/" in f]
            else:
                pairs = [(TESTS / corpus, project_dir / CORPORA[corpus])]
            for source, target in pairs:
                for item in source.iterdir():
                    if item.is_dir():
                        shutil.copytree(item, target / item.name, dirs_exist_ok=True)
                    elif item.suffix in (".md", ".yml") and item.name != "cases.yml":
                        shutil.copy(item, target / item.name)
            project = load_project(project_dir / "mkdocs.yml")
            found[corpus] = collect_posts(project, today=TODAY).problems()
        return found[corpus]

    return problems


def a_post(title: str = "How we opened social media to every member of staff") -> str:
    """A post that passes every check."""
    return (
        (TESTS / "bad_images" / "oversized.md")
        .read_text()
        .replace("Corpus case oversized", title)
        .replace("![A very detailed pier at sunset](shared/oversized.png)", "Words.")
    )


def _two_posts_one_address(tmp: Path) -> list[Problem]:
    project = make_project(tmp, posts={"my-post.md": a_post(), "my-post-again.md": a_post()})
    return collect_posts(load_project(project / "mkdocs.yml"), today=TODAY).problems()


def _picture_problems(tmp: Path, picture: bytes | Path) -> list[Problem]:
    post = (TESTS / "bad_images" / "oversized.md").read_text()
    project = make_project(tmp / "project", posts={"oversized.md": post})
    shared = project / POSTS / "shared"
    shared.mkdir()
    if isinstance(picture, Path):
        (shared / "oversized.png").symlink_to(picture)
    else:
        (shared / "oversized.png").write_bytes(picture)
    return collect_posts(load_project(project / "mkdocs.yml"), today=TODAY).problems()


def _oversized(tmp: Path) -> list[Problem]:
    return _picture_problems(tmp, b"\x89PNG\r\n\x1a\n" + bytes(600 * 1024))


def _linked_picture(tmp: Path) -> list[Problem]:
    outside = tmp / "outside.png"
    tmp.mkdir()
    outside.write_bytes(b"\x89PNG\r\n\x1a\n")
    return _picture_problems(tmp, outside)


def _data_file(name: str, change: Callable[[str], str]) -> Callable[[Path], list[Problem]]:
    """The catalogue's problems with one of the real data files changed (or removed)."""

    def problems(tmp: Path) -> list[Problem]:
        project = make_project(tmp)
        path = project / "docs" / "blog" / name
        text = change(path.read_text(encoding="utf-8"))
        if text:
            path.write_text(text, encoding="utf-8")
        else:
            path.unlink()
        return load_catalogue(load_project(project / "mkdocs.yml")).problems

    return problems


def _config(old: str, new: str) -> Callable[[Path], list[Problem]]:
    """The problems of mkdocs.yml with one of its lines changed."""

    def problems(tmp: Path) -> list[Problem]:
        project = make_project(tmp)
        config = project / "mkdocs.yml"
        text = config.read_text(encoding="utf-8")
        assert old in text
        config.write_text(text.replace(old, new, 1), encoding="utf-8")
        return list(load_project(config).settings_problems)

    return problems


def _planted_state(tmp: Path) -> list[Problem]:
    """An import state file with another website's address planted in it."""
    project = make_project(tmp / "project", posts={})
    (project / "docs/blog/.imported.yml").write_text(
        "posts:\n  999:\n    file: blog/posts/gone.md\n"
        "    permalink: https://blog.example.org/?p=999\n    url: //evil.example/\n",
        encoding="utf-8",
    )
    return _run_import(project)[0]


def _page_file(tmp: Path) -> list[Problem]:
    project = make_project(tmp)
    (project / "docs" / "page.html").write_text("<script>alert(1)</script>", encoding="utf-8")
    return collect_posts(load_project(project / "mkdocs.yml")).problems()


def _settings(change: str) -> Callable[[Path], list[Problem]]:
    def problems(tmp: Path) -> list[Problem]:
        project = make_project(tmp)
        config = project / "mkdocs.yml"
        text = config.read_text(encoding="utf-8")
        config.write_text(text.replace("\n    image_max_kb: 500\n", change), encoding="utf-8")
        return list(load_project(config).settings_problems)

    return problems


def _built_site(tmp: Path) -> list[Problem]:
    """A built page that loads a script from elsewhere and misses a picture, and a feed."""
    site = tmp / "site"
    (site / "about").mkdir(parents=True)
    (site / "about" / "index.html").write_text(
        '<!doctype html><html><head><script src="https://tracker.example/t.js"></script>'
        '</head><body><article><img src="missing.png" alt="A thing"></article></body></html>',
        encoding="utf-8",
    )
    (site / "feed.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>S</title>'
        "<item><title>A post</title><link>https://socialcouncils.github.io/about/</link>"
        "<description>&lt;img src=&quot;pier.png&quot; alt=&quot;A pier&quot;&gt;</description>"
        "</item></channel></rss>",
        encoding="utf-8",
    )
    return check_site(PROJECT, site).problems


WORDPRESS = TESTS / "wordpress"
BLOG = WORDPRESS / "blog.xml"


def _run_import(
    project: Path, export: Path = BLOG, council: str = "monmouthshire"
) -> tuple[list[Problem], str]:
    """The WordPress importer run on ``export`` into ``project``, without the blog's uploads: the
    problems it reports, and its report as it prints it."""
    # Imported here, so that the guide's other tests run even when the importer cannot.
    from socialcouncils.wordpress.importer import ImportError_, Options, run_import

    try:
        report = run_import(load_project(project / "mkdocs.yml"), Options(export, council))
    except ImportError_ as exc:
        return exc.problems, format_report(exc.problems)
    return report.problems, report.text()


def _import(
    tmp: Path,
    export: Path = BLOG,
    council: str = "monmouthshire",
    posts: dict[str, str] | None = None,
) -> tuple[list[Problem], str]:
    """The importer's run on a copy of the project with ``posts`` (or none)."""
    return _run_import(make_project(tmp / "project", posts=posts or {}), export, council)


def _imported(
    export: Path = BLOG, council: str = "monmouthshire"
) -> Callable[[Path], list[Problem]]:
    return lambda tmp: _import(tmp, export, council)[0]


def _empty_export(tmp: Path) -> list[Problem]:
    tmp.mkdir()
    (tmp / "export.xml").write_text("", encoding="utf-8")
    return _import(tmp, tmp / "export.xml")[0]


def _edited_since_import(tmp: Path) -> list[Problem]:
    _import(tmp)
    post = tmp / "project" / POSTS / "market-online.md"
    post.write_text(post.read_text(encoding="utf-8") + "\nA line added by hand.\n")
    return _run_import(tmp / "project")[0]


def _post_of_the_same_name(tmp: Path) -> list[Problem]:
    return _import(tmp, posts={"opening-social-media.md": a_post()})[0]


# Codes no corpus case raises: the test builds what raises each.
BUILT: dict[str, Callable[[Path], list[Problem]]] = {
    "PM011": _two_posts_one_address,
    "IMG008": _oversized,
    "IMG016": _linked_picture,
    "FILE001": _linked_picture,
    "IMG040": _built_site,
    "IMG041": _built_site,
    "HTML020": _built_site,
    "DATA001": _data_file(".tags.yml", lambda text: ""),
    "DATA002": _data_file(".tags.yml", lambda text: text.replace("  blog:", "  blog: [", 1)),
    "DATA003": _data_file(".tags.yml", lambda text: text.replace("tags:", "- tags:", 1)),
    "DATA004": _data_file(".tags.yml", lambda text: text + "  facebook: Facebook again.\n"),
    "DATA005": _data_file(".authors.yml", lambda text: text.replace("    name: Fran", "    x: F")),
    "DATA006": _data_file(
        ".authors.yml", lambda text: text.replace("council: coventry", "council: cov")
    ),
    "DATA007": _data_file(".tags.yml", lambda text: text.replace("  facebook:", "  Facebook:")),
    "CFG001": _settings("\n    image_max_k: 500\n"),
    "CFG002": _settings("\n    image_max_kb: lots\n"),
    "CFG003": _config("  - pymdownx.details\n", "  - pymdownx.snippets\n"),
    "CFG004": _config("site_url: https://", "site_url: javascript://"),
    "CFG005": _config(
        "      redirect_maps: {}\n", "      redirect_maps:\n        ../x.md: index.md\n"
    ),
    "FILE002": _page_file,
    "WP008": _planted_state,
    "WP001": _empty_export,
    "WP002": _imported(council="atlantis"),
    "WP003": _edited_since_import,
    "WP004": _post_of_the_same_name,
    "WP005": _imported(),
    "WP007": _imported(WORDPRESS / "hostile.xml", council="leeds"),
    "WP010": _imported(),
    "WP020": _imported(),
    "WP030": _imported(),
}
# Codes the importer's report lists under a heading rather than as a problem at a line: the
# test finds the example's line under the heading that holds its hint.
LISTED: dict[str, tuple[str, Callable[[Path], str]]] = {
    "WP006": ("Proposed tags (not in docs/blog/.tags.yml; {hint}):", lambda tmp: _import(tmp)[1]),
}


@pytest.mark.parametrize("code", sorted(EXAMPLES))
def test_each_example_in_the_code_table_is_what_the_check_prints(
    code: str, corpus_problems: Callable[[str], list[Problem]], tmp_path: Path
) -> None:
    example = EXAMPLES[code]
    if code in LISTED:
        heading, printed_by = LISTED[code]
        report = printed_by(tmp_path / "case")
        _, found, after = report.partition(heading.format(hint=example.hint) + "\n")
        under = itertools.takewhile(lambda line: line.startswith("  "), after.split("\n"))
        assert found and f"  {example.message}" in under, report
        return
    if example.case is None:
        assert code in BUILT, f"{code} needs a case under tests/ or a way to build one here"
        problems = BUILT[code](tmp_path / "case")
    else:
        corpus, name = example.case.rsplit("/", 1)
        assert (TESTS / example.case).is_file()
        shown = f"{CORPORA[corpus]}/{name}"
        problems = [p for p in corpus_problems(corpus) if p.path == shown]
    printed = {(p.code, p.message, p.hint) for p in problems}
    assert (code, example.message, example.hint) in printed, "\n".join(
        f"{c} {m}\n    hint: {h}" for c, m, h in sorted(printed)
    )


def test_the_officers_guide_is_short() -> None:
    assert len(GUIDE.splitlines()) < 300


MAKEFILE = (REPO / "Makefile").read_text(encoding="utf-8")
MAKE_TARGETS = set(re.findall(r"^([a-z][a-z-]*):", MAKEFILE, re.MULTILINE))
# Every `make ...` the officers' guide prints, in a code span or on a line of a code block (the
# table of codes quotes the checks' hints, where "make it smaller" is advice, not a command).
MAKE_COMMANDS = re.findall(
    r"`(make [^`\n]+)`|^(make .+)$",
    GUIDE.replace(generated_part(GUIDE, "codes"), ""),
    re.MULTILINE,
)


def test_every_make_command_in_the_officers_guide_is_a_real_task_as_printed() -> None:
    commands = sorted({span or line for span, line in MAKE_COMMANDS})
    assert "make new-post" in commands
    assert any(c.startswith("make check-posts POSTS=docs/blog/posts/") for c in commands)
    assert any(c.startswith("make preview POST=docs/blog/posts/") for c in commands)
    for command in commands:
        words = shlex.split(command)
        targets = [w for w in words[1:] if "=" not in w]
        assert targets and set(targets) <= MAKE_TARGETS, f"'{command}': no such task"
        for name in (w.split("=", 1)[0] for w in words[1:] if "=" in w):
            assert f"$({name})" in MAKEFILE, f"'{command}': the Makefile does not read {name}"
        # As printed: make parses it and knows every target (a dry run runs nothing).
        dry_run = subprocess.run(
            ["make", "--dry-run", *words[1:]], cwd=REPO, capture_output=True, text=True, timeout=60
        )
        assert dry_run.returncode == 0, f"'{command}': {dry_run.stderr}"


def test_both_guides_link_to_the_maintainers_guide() -> None:
    link = f"]({MAINTAINERS_GUIDE})"
    assert link in GUIDE.rstrip().splitlines()[-1], "the officers' guide ends with the link"
    assert link in (REPO / "README.md").read_text(encoding="utf-8")


def test_the_maintainers_guide_is_not_in_the_built_site(built_site: Path) -> None:
    folder = Path(MAINTAINERS_GUIDE).parent.relative_to("docs")
    assert not (built_site / folder).exists()
    title = MAINTAINERS.splitlines()[0].removeprefix("# ")
    for page in built_site.rglob("*.html"):
        assert title not in page.read_text(encoding="utf-8"), f"{page} shows the guide"
    index = json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    for doc in index["docs"]:
        assert not doc["location"].startswith(f"{folder.as_posix()}/")
        assert title not in doc["title"] and title not in doc["text"]


def github_anchor(heading: str) -> str:
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def test_every_link_inside_the_guide_goes_to_a_heading() -> None:
    anchors = {github_anchor(h) for h in re.findall(r"^#+ (.+)$", GUIDE, re.MULTILINE)}
    links = re.findall(r"\]\(#([^)]+)\)", GUIDE)
    assert len(links) >= 5
    for link in links:
        assert link in anchors, f"#{link} goes nowhere"


def test_the_guide_states_the_image_size_limit_from_the_settings() -> None:
    assert f"under **{PROJECT.hub.image_max_kb} KB**" in GUIDE


def test_the_guide_names_each_pull_request_check_as_github_shows_it() -> None:
    data = yaml.safe_load((REPO / ".github/workflows/pull-request.yml").read_text())
    for job in data["jobs"].values():
        assert f"**{data['name']} / {job['name']}**" in GUIDE


def test_the_issue_form_asks_for_the_post_and_offers_every_council_and_category() -> None:
    form = yaml.safe_load((REPO / ".github/ISSUE_TEMPLATE/guest-post.yml").read_text())
    fields = {item["id"]: item for item in form["body"] if "id" in item}
    for required in ("council", "author", "title", "summary", "category"):
        assert fields[required]["validations"]["required"] is True, required
    councils = [c.name for c in load_catalogue(PROJECT).councils.values()]
    assert fields["council"]["attributes"]["options"][:-1] == councils
    assert fields["category"]["attributes"]["options"] == list(PROJECT.categories)
    assert f"Choose **{form['name']}**" in GUIDE


def test_the_issue_chooser_links_to_the_published_site() -> None:
    config = yaml.safe_load((REPO / ".github/ISSUE_TEMPLATE/config.yml").read_text())
    assert [link["url"] for link in config["contact_links"]] == [PROJECT.site_url]


def test_the_pull_request_checklist_covers_consent_rights_alt_text_details_and_preview() -> None:
    template = (REPO / ".github/PULL_REQUEST_TEMPLATE.md").read_text()
    items = re.findall(r"^- \[ \] \*\*(.+?):\*\*", template, re.MULTILINE)
    assert items == [
        "Consent to publish",
        "Image rights and credits",
        "Alt text",
        "Council and author details",
        "Preview",
    ]
    for item in items:
        assert f"**{item}**" in GUIDE, f"the guide does not explain '{item}'"
