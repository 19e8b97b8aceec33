"""Writing a new post from the schema it is checked against.

Fields the officer did not give become ``[[REPLACE: ...]]`` placeholders, which the check flags
(PM012) until they are replaced; so does the body's starter text. Nothing is ever overwritten.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pymdownx.slugs import slugify

from socialcouncils.content.catalogue import Catalogue
from socialcouncils.content.schema import PostMeta, required_keys
from socialcouncils.source.project import Project

_slugify = slugify(case="lower")

PLACEHOLDERS = {
    "title": "[[REPLACE: your headline]]",
    "description": "[[REPLACE: one or two sentences that sum up the post, for feeds and search]]",
    "council": "[[REPLACE: your council's id from docs/blog/.councils.yml]]",
    "authors": ["[[REPLACE: your author id from docs/blog/.authors.yml]]"],
    "categories": ["[[REPLACE: Case studies or Guest posts]]"],
    "tags": ["[[REPLACE: a tag from docs/blog/.tags.yml]]"],
}

BODY = """\
[[REPLACE: Your first paragraph. It is shown on the home page and in feeds, so say what happened and why it matters.]]

<!-- more -->

## [[REPLACE: A heading]]

[[REPLACE: The rest of your post. Short paragraphs and plain words work best.]]
"""


class ScaffoldError(Exception):
    pass


@dataclass
class NewPost:
    values: dict[str, Any] = field(default_factory=dict)
    slug: str | None = None
    draft: bool = False


@dataclass(frozen=True)
class NewAuthor:
    id: str
    name: str
    role: str
    council: str


def slug_for(title: str) -> str:
    return _slugify(title, "-") or "new-post"


def front_matter(values: dict[str, Any]) -> str:
    """Front matter in the schema's order, each value written as YAML would quote it."""
    lines = ["---"]
    for key in PostMeta.model_fields:
        if key not in values:
            continue
        dumped = yaml.safe_dump({key: values[key]}, allow_unicode=True, sort_keys=False, width=1000)
        lines.append(dumped.rstrip("\n"))
    lines.append("---")
    return "\n".join(lines) + "\n"


def complete(post: NewPost, today: dt.date) -> dict[str, Any]:
    values = {key: post.values.get(key) or PLACEHOLDERS.get(key) for key in required_keys()}
    values["date"] = post.values.get("date") or today
    if post.slug:
        values["slug"] = post.slug
    if post.draft:
        values["draft"] = True
    return values


def add_author(project: Project, author: NewAuthor) -> Path:
    """Append an author to .authors.yml, with an initials avatar, keeping the file's comments."""
    avatar = project.docs_dir / project.blog_dir / "avatars" / f"{author.id}.svg"
    if avatar.exists():
        raise ScaffoldError(f"{project.display(avatar)} already exists")
    initials = "".join(part[0] for part in author.name.split()[:2]).upper() or "?"
    avatar.parent.mkdir(parents=True, exist_ok=True)
    avatar.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 96 96" role="img">'
        f"<title>{initials}</title>"
        '<circle cx="48" cy="48" r="48" fill="#1d4f73"/>'
        '<text x="48" y="60" font-family="sans-serif" font-size="36" fill="#ffffff"'
        f' text-anchor="middle">{initials}</text></svg>\n',
        encoding="utf-8",
    )
    entry = yaml.safe_dump(
        {
            author.id: {
                "name": author.name,
                "description": f"{author.role}, {author.council}",
                "role": author.role,
                "council": author.council,
                "avatar": f"{project.blog_dir}/avatars/{author.id}.svg",
            }
        },
        allow_unicode=True,
        sort_keys=False,
    )
    text = project.authors_file.read_text(encoding="utf-8")
    if not text.endswith("\n"):
        text += "\n"
    text += "".join(f"  {line}\n" for line in entry.splitlines())
    project.authors_file.write_text(text, encoding="utf-8")
    return avatar


def write_post(project: Project, post: NewPost, today: dt.date) -> tuple[Path, Path]:
    values = complete(post, today)
    stem = post.slug or slug_for(str(post.values.get("title") or "new-post"))
    path = project.posts_dir / f"{stem}.md"
    folder = project.posts_dir / stem
    for existing in (path, folder):
        if existing.exists():
            raise ScaffoldError(
                f"{project.display(existing)} already exists; nothing was written."
                " Choose another title, or give a different --slug."
            )
    folder.mkdir(parents=True)
    (folder / ".gitkeep").write_text("", encoding="utf-8")
    path.write_text(front_matter(values) + "\n" + BODY, encoding="utf-8")
    return path, folder


Ask = Callable[[str, str], str]


def ask_missing(post: NewPost, catalogue: Catalogue, ask: Ask) -> NewPost:
    """Ask for each required field that was not given; an empty answer leaves a placeholder."""
    questions: list[tuple[str, str, Callable[[str], Any]]] = [
        ("title", "Title of your post", str),
        ("description", "One or two sentences that sum it up", str),
        (
            "council",
            f"Your council ({', '.join(sorted(catalogue.councils))})",
            str,
        ),
        ("authors", f"Your author id ({', '.join(sorted(catalogue.authors))})", _as_list),
        ("categories", f"Category ({' or '.join(catalogue.categories)})", _as_list),
        ("tags", "Tags, separated by commas (see docs/blog/.tags.yml)", _as_list),
    ]
    for key, question, convert in questions:
        if post.values.get(key):
            continue
        answer = ask(key, question).strip()
        if answer:
            post.values[key] = convert(answer)
    return post


def _as_list(answer: str) -> list[str]:
    return [part.strip() for part in answer.split(",") if part.strip()]
