"""Files under docs/ that the site must not publish: links (symlinks) to other files.

A link under docs/ would publish whatever it points to, anywhere on the machine that builds the
site. Every picture, post and data file is a file of its own, inside the repository.

| code    | meaning |
| ------- | ------- |
| FILE001 | a link (symlink) under docs/, to a file or folder somewhere else |
"""

from __future__ import annotations

import os
from pathlib import Path

from socialcouncils.problems import Problem
from socialcouncils.source.project import Project

FILE_CODES: dict[str, str] = {
    "FILE001": "a link (symlink) under docs/ to somewhere else",
    "FILE002": "a file of a kind the site does not publish from content (a web page, a script)",
}
# Files a browser would run or show as a page of the site itself, were they published from
# docs/: only the site's own scripts and styles, under docs/assets/, may be these.
UNSAFE_SUFFIXES = frozenset(
    {".html", ".htm", ".xhtml", ".xht", ".shtml", ".xml", ".xsl", ".xslt", ".svgz", ".js", ".mjs"}
    | {".css", ".swf", ".wasm", ".php"}
)
SITE_CODE_DIR = "assets"


def links_under(docs_dir: Path) -> list[Path]:
    """Every link (symlink) under ``docs_dir``, without looking inside a linked folder."""
    found = []
    for folder, folders, names in os.walk(docs_dir):
        found += [
            Path(folder, name) for name in [*folders, *names] if Path(folder, name).is_symlink()
        ]
        folders[:] = [name for name in folders if not Path(folder, name).is_symlink()]
    return found


def linked_files(project: Project) -> list[Problem]:
    """Every link under docs/ (a linked folder is one problem, not one for each file in it)."""
    return [
        Problem(
            project.display(path),
            1,
            1,
            "FILE001",
            "this is a link to another file or folder, which the site does not publish",
            "replace the link with a copy of the file itself",
        )
        for path in links_under(project.docs_dir)
    ]


def under_a_link(path: str, links: list[Path]) -> bool:
    """Whether ``path`` is one of ``links`` or inside one (paths as the engine gives them)."""
    here = os.path.normpath(path)
    return any(here == str(link) or here.startswith(f"{link}{os.sep}") for link in links)


def is_linked(path: Path, docs_dir: Path) -> bool:
    """Whether a file, or a folder it is in under ``docs_dir``, is a link to somewhere else."""
    current = path
    while current != docs_dir and docs_dir in current.parents:
        if current.is_symlink():
            return True
        current = current.parent
    return False


def unsafe_files(project: Project) -> list[Path]:
    """Files under docs/, outside docs/assets/, that a browser would run or show as a page."""
    found = []
    for folder, folders, names in os.walk(project.docs_dir):
        here = Path(folder)
        if here == project.docs_dir:
            folders[:] = [name for name in folders if name != SITE_CODE_DIR]
        found += [here / n for n in names if Path(n).suffix.lower() in UNSAFE_SUFFIXES]
    return sorted(found)


def unsafe_file_problems(project: Project, paths: list[Path]) -> list[Problem]:
    return [
        Problem(
            project.display(path),
            1,
            1,
            "FILE002",
            f"'{path.name}' is a kind of file the site does not publish from posts and pages:"
            " a browser would run it, or show it as a page of the site",
            "take it out; write the page in Markdown, and put pictures in the post's folder",
        )
        for path in paths
    ]
