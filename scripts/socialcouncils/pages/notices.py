"""What a live preview shows the officer writing a post: the problems the check finds, on the
page itself, in the words and with the lines of the check.

Only a preview (``make serve``, ``make preview``) shows them; a published build never does, and
fails on them instead. A page whose own file has problems lists them in full at its top; every
other page says how many problems there are and links to the page that lists them all, so that
a post the site cannot build at all is still explained.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from itertools import groupby

from socialcouncils.problems import Problem

PROBLEMS_PAGE = "hub-problems.md"
PROBLEMS_MARKER = "<!-- hub:problems -->"


def _item(problem: Problem, with_file: bool) -> str:
    where = f"{problem.path}, line {problem.line}" if with_file else f"Line {problem.line}"
    hint = f"<br>{escape(problem.hint[:1].upper() + problem.hint[1:])}." if problem.hint else ""
    return (
        f"<li><strong>{escape(where)}</strong> ({escape(problem.code)}):"
        f" {escape(problem.message)}.{hint}</li>"
    )


def page_notice(own: list[Problem], others: int, list_href: str) -> str:
    """The notice at the top of a page: its own problems, and how many there are elsewhere."""
    if not own and not others:
        return ""
    parts = ['<section class="hub-problems" aria-labelledby="hub-problems">']
    if own:
        count = "1 thing" if len(own) == 1 else f"{len(own)} things"
        parts += [
            f'<h2 id="hub-problems">{count} to fix in {escape(own[0].path)}</h2>',
            "<p>This is a preview: the site is not published until these are fixed. The notice"
            " updates when you save the file.</p>",
            "<ul>",
            *(_item(p, with_file=False) for p in own),
            "</ul>",
        ]
    if others:
        elsewhere = "1 problem" if others == 1 else f"{others} problems"
        heading = "" if own else f'<h2 id="hub-problems">{elsewhere} to fix</h2>'
        parts.append(
            f"{heading}<p>The site's files have {elsewhere}"
            f'{" besides these" if own else ""}: <a href="{escape(list_href)}">see them all</a>.</p>'
        )
    parts.append("</section>")
    return "".join(parts)


def problems_list(problems: Iterable[Problem]) -> str:
    """Every problem, file by file, for the page that lists them."""
    found = sorted(problems)
    if not found:
        return "<p>Nothing to fix.</p>"
    parts = []
    for path, in_file in groupby(found, key=lambda p: p.path):
        parts += [f"<h2>{escape(path)}</h2>", "<ul>", *(_item(p, False) for p in in_file), "</ul>"]
    return "".join(parts)


def problems_page() -> str:
    """The Markdown of the page that lists every problem (filled in by ``problems_list``)."""
    return "\n".join(
        [
            "---",
            "title: Things to fix",
            "description: What the check finds in the site's files, for this preview.",
            "search:",
            "  exclude: true",
            "---",
            "",
            "# Things to fix",
            "",
            "This preview's files have these problems. Each says where it is and how to fix it;"
            " the list updates when you save.",
            "",
            PROBLEMS_MARKER,
            "",
        ]
    )
