"""Settings of the engine and files under docs/ that a pull request could turn against the build
or its readers: each is reported at its line, the strict build fails, and nothing of it is built.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import Build, make_project, run_mkdocs_build, run_script

ESCAPE = "../../../../unsafe-escape/x.md"
SCRIPT_REDIRECT = 'https://socialcouncils.github.io/"+alert(1)+"'
EVIL_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    "<script>alert(document.domain)</script></svg>"
)


@pytest.fixture(scope="module")
def unsafe(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Build, Build]:
    project = make_project(tmp_path_factory.mktemp("unsafe") / "project")
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    text = text.replace(
        "      redirect_maps: {}\n",
        f"      redirect_maps:\n        '{ESCAPE}': index.md\n"
        f"        old-x.md: '{SCRIPT_REDIRECT}'\n"
        "        2012/03/07/kept.md: blog/posts/social-media-friendly.md\n",
    )
    text = text.replace(
        "  - pymdownx.superfences\n",
        "  - pymdownx.superfences\n  - pymdownx.snippets:\n      base_path: ['/']\n"
        "      restrict_base_path: false\n",
    )
    text = re.sub(
        r"^site_url: .*$", "site_url: 'https://x.example/\"><script>x</script>'", text, flags=re.M
    )
    config.write_text(text, encoding="utf-8")
    posts = project / "docs" / "blog" / "posts"
    (posts / "evil.html").write_text("<script>fetch('https://evil.example/')</script>")
    (project / "docs" / "page.xhtml").write_text("<html><script>alert(1)</script></html>")
    folder = next(p for p in posts.iterdir() if p.is_dir())
    (folder / "unused.svg").write_text(EVIL_SVG)
    return project, run_mkdocs_build(project), run_mkdocs_build(project, strict=False)


def test_each_is_reported_at_its_line_and_fails_the_strict_build(
    unsafe: tuple[Path, Build, Build],
) -> None:
    project, strict, _ = unsafe
    assert strict.returncode == 1
    checked = run_script("check_posts.py", "-f", "mkdocs.yml", cwd=project)
    assert checked.returncode == 1
    said = checked.stdout
    lines = (project / "mkdocs.yml").read_text(encoding="utf-8").splitlines()

    def line_of(needle: str) -> int:
        return next(n for n, line in enumerate(lines, 1) if needle in line)

    assert f"mkdocs.yml:{line_of(ESCAPE)}:9: CFG005 " in said, said
    assert f"mkdocs.yml:{line_of('old-x.md')}:9: CFG005 " in said, said
    assert f"mkdocs.yml:{line_of('pymdownx.snippets')}:5: CFG003 " in said, said
    assert f"mkdocs.yml:{line_of('site_url:')}:1: CFG004 " in said, said
    assert "kept.md" not in said
    assert "docs/blog/posts/evil.html:1:1: FILE002 " in said
    assert "docs/page.xhtml:1:1: FILE002 " in said
    assert re.search(r"docs/blog/posts/[^/]+/unused\.svg:1:1: IMG010 ", said), said
    assert "Traceback" not in strict.output + checked.stderr


def test_nothing_of_them_is_built(unsafe: tuple[Path, Build, Build]) -> None:
    project, _, lenient = unsafe
    assert lenient.returncode == 0, lenient.output
    assert "Traceback" not in lenient.output
    assert not (project.parent.parent / "unsafe-escape").exists()
    assert not (lenient.site / "old-x").exists()
    assert (lenient.site / "2012/03/07/kept/index.html").is_file()
    assert not list(lenient.site.rglob("evil.html")) and not list(lenient.site.rglob("*.xhtml"))
    assert not list(lenient.site.rglob("unused.svg"))
    for page in lenient.site.rglob("*.html"):
        assert "x.example" not in page.read_text(encoding="utf-8"), page
