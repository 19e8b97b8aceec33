"""Synthetic sites for the benchmark: N posts shaped like the real ones.

Each post has the real front-matter keys, an author, council and tags from the real data files,
an excerpt, headings and about 600 words; one post in five has an illustration beside it. A site
can also have more authors than the real ones, as a guest-post blog gains them over the years.
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
from pathlib import Path

import yaml

from socialcouncils.content.catalogue import load_catalogue
from socialcouncils.source.project import find_config, load_project

WORDS = [
    "council",
    "residents",
    "social",
    "media",
    "officers",
    "team",
    "service",
    "library",
    "park",
    "gritters",
    "snow",
    "school",
    "closure",
    "update",
    "question",
    "answer",
    "feedback",
    "trust",
    "staff",
    "access",
    "policy",
    "guidance",
    "channel",
    "followers",
    "campaign",
    "evidence",
    "community",
    "conversation",
    "local",
    "government",
    "digital",
    "response",
    "week",
    "month",
    "year",
    "page",
    "account",
    "post",
    "reply",
    "comment",
    "share",
    "story",
    "event",
    "consultation",
]

SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 320 180" role="img">'
    "<title>Chart</title>"
    '<rect width="320" height="180" fill="#eef3f7"/>'
    '<rect x="40" y="60" width="40" height="100" fill="#1d4f73"/>'
    '<rect x="120" y="30" width="40" height="130" fill="#1d4f73"/>'
    "</svg>\n"
)


def _sentence(rng: random.Random, words: int) -> str:
    chosen = [rng.choice(WORDS) for _ in range(words)]
    return " ".join(chosen).capitalize() + "."


def _paragraph(rng: random.Random) -> str:
    return " ".join(_sentence(rng, rng.randint(8, 18)) for _ in range(rng.randint(3, 6)))


def post_text(
    index: int,
    rng: random.Random,
    authors: list[str],
    councils: list[str],
    tags: list[str],
    categories: list[str],
    with_image: bool,
) -> str:
    day = dt.date(2010, 1, 1) + dt.timedelta(days=index * 2)
    title = f"Post {index}: " + " ".join(rng.choice(WORDS) for _ in range(5))
    meta = {
        "title": title,
        "description": _sentence(rng, 14),
        "date": day,
        "authors": [rng.choice(authors)],
        "council": rng.choice(councils),
        "categories": [rng.choice(categories)],
        "tags": rng.sample(tags, k=min(len(tags), rng.randint(2, 5))),
    }
    body = [_paragraph(rng), "", "<!-- more -->", ""]
    for section in range(3):
        body += [f"## Part {section + 1}", "", _paragraph(rng), "", _paragraph(rng), ""]
    if with_image:
        body += [
            f"![A bar chart with two bars, the second taller](post-{index}/chart.svg)",
            "*Chart: Social Councils benchmark.*",
            "",
        ]
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000)
    return f"---\n{front}---\n\n" + "\n".join(body)


def add_guest_authors(authors_file: Path, count: int) -> None:
    """Add ``count`` authors to an .authors.yml, each like the first one there but by name."""
    data = yaml.safe_load(authors_file.read_text(encoding="utf-8"))
    first = next(iter(data["authors"].values()))
    for index in range(count):
        data["authors"][f"guest-author-{index}"] = {**first, "name": f"Guest author {index}"}
    authors_file.write_text(
        yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )


def make_site(target: Path, posts: int, seed: int = 1, guest_authors: int = 0) -> Path:
    """A copy of the real project in ``target`` with ``posts`` synthetic posts in place of its own.

    ``guest_authors`` more authors join the real ones, and posts are shared among them all.
    """
    source = find_config().parent  # the project the benchmark is run in
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    shutil.copy(source / "mkdocs.yml", target / "mkdocs.yml")
    for name in ("hooks", "scripts", "overrides"):
        (target / name).symlink_to(source / name, target_is_directory=True)
    shutil.copytree(source / "docs", target / "docs", ignore=shutil.ignore_patterns("posts"))
    posts_dir = target / "docs" / "blog" / "posts"
    posts_dir.mkdir()
    project = load_project(target / "mkdocs.yml")
    if guest_authors:
        add_guest_authors(project.authors_file, guest_authors)
    catalogue = load_catalogue(project)
    rng = random.Random(seed)
    authors, councils = sorted(catalogue.authors), sorted(catalogue.councils)
    tags, categories = sorted(catalogue.tags), list(catalogue.categories)
    for index in range(posts):
        with_image = index % 5 == 0
        text = post_text(index, rng, authors, councils, tags, categories, with_image)
        (posts_dir / f"post-{index}.md").write_text(text, encoding="utf-8")
        if with_image:
            (posts_dir / f"post-{index}").mkdir()
            (posts_dir / f"post-{index}" / "chart.svg").write_text(SVG, encoding="utf-8")
    return target
