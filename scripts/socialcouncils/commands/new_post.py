"""``python scripts/new_post.py``: start a post that the check accepts once its placeholders are replaced."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Sequence

from pymdownx.slugs import slugify

from socialcouncils.commands.cli import EXIT_PROBLEMS, UsageError, base_parser, load, run_command
from socialcouncils.content.catalogue import load_catalogue
from socialcouncils.content.posts import collect_posts
from socialcouncils.content.scaffold import (
    NewAuthor,
    NewPost,
    ScaffoldError,
    add_author,
    ask_missing,
    write_post,
)

_author_id = slugify(case="lower")


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--date {text!r} is not a date; write it as YYYY-MM-DD") from None


def _ask(key: str, question: str) -> str:
    try:
        return input(f"{question}: ")
    except EOFError:
        return ""


def main(argv: Sequence[str] | None = None) -> int:
    parser = base_parser(
        "Start a new post. Asks for anything you leave out; an empty answer leaves a"
        " [[REPLACE: ...]] placeholder for you to fill in later."
    )
    parser.set_defaults(format="text")
    parser.add_argument("--title")
    parser.add_argument("--description")
    parser.add_argument("--date", help="YYYY-MM-DD (default: today)")
    parser.add_argument("--council", help="council id from docs/blog/.councils.yml")
    parser.add_argument("--author", action="append", dest="authors", help="author id (repeatable)")
    parser.add_argument("--category", help="Case studies or Guest posts")
    parser.add_argument("--tag", action="append", dest="tags", help="a tag (repeatable)")
    parser.add_argument("--slug", help="the last part of the post's address and its file name")
    parser.add_argument("--draft", action="store_true", help="mark the post as a draft")
    parser.add_argument("--new-author", metavar="NAME", help="add yourself as a new author")
    parser.add_argument("--role", help="your job title, with --new-author")
    parser.add_argument(
        "--no-input", action="store_true", help="never ask; leave placeholders instead"
    )
    args = parser.parse_args(argv)
    project = load(args.config_file)
    catalogue = load_catalogue(project)
    today = dt.date.today()

    post = NewPost(slug=args.slug, draft=args.draft)
    given = {
        "title": args.title,
        "description": args.description,
        "council": args.council,
        "authors": args.authors,
        "categories": [args.category] if args.category else None,
        "tags": args.tags,
        "date": _date(args.date) if args.date else None,
    }
    post.values = {k: v for k, v in given.items() if v}

    if args.new_author:
        if not (args.role and args.council):
            raise UsageError("--new-author needs --role and --council too")
        author = NewAuthor(
            _author_id(args.new_author, "-"), args.new_author, args.role, args.council
        )
        if author.id in catalogue.authors:
            raise UsageError(f"author '{author.id}' already exists; use --author {author.id}")
        council = catalogue.councils.get(args.council)
        if council is None:
            raise UsageError(f"unknown council '{args.council}'")
        avatar = add_author(project, NewAuthor(author.id, author.name, author.role, council.id))
        print(f"Added author '{author.id}' to {project.display(project.authors_file)}")
        print(f"Made an initials picture for you: {project.display(avatar)}")
        post.values["authors"] = [*post.values.get("authors", []), author.id]
        catalogue = load_catalogue(project)

    if not args.no_input:
        ask_missing(post, catalogue, _ask)

    try:
        path, folder = write_post(project, post, today)
    except ScaffoldError as exc:
        print(f"new_post: {exc}")
        return EXIT_PROBLEMS

    shown = project.display(path)
    remaining = collect_posts(project, [path]).problems()
    print(f"Created {shown}")
    print(f"Created {project.display(folder)}/ for your pictures")
    print()
    print("Next steps:")
    print(f"  1. Open {shown} and replace every [[REPLACE: ...]] with your own words.")
    print(f"  2. Put any pictures in {project.display(folder)}/ and add each one to the text as")
    print(
        f"     ![What the picture shows, for people who cannot see it]({folder.name}/picture.png)"
    )
    print("     *Photo: who took it, and its licence.*")
    print(f"  3. Preview your post with: make preview POST={shown}")
    print("     (then open http://127.0.0.1:8000; the page shows anything left to fix)")
    print(f"  4. Check your post with: make check-posts POSTS={shown}")
    print("  5. Open a pull request. CONTRIBUTING.md explains each step.")
    if remaining:
        print()
        left = "1 thing" if len(remaining) == 1 else f"{len(remaining)} things"
        print(f"Still to do in your post ({left}):")
        for problem in remaining:
            print(f"  line {problem.line}: {problem.message}; {problem.hint}")
    return 0


def run() -> int:
    """The ``hub-new-post`` command."""
    return run_command("new_post", main, sys.argv[1:])
