"""One import run: the export read and checked in full, every file worked out in memory, and
only then written, each file replaced whole. Bad input stops the run before anything is
written (``ImportError_``), so nothing under docs/ is ever lost to a bad file.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import unquote

import yaml

from socialcouncils.content.catalogue import Catalogue, load_catalogue
from socialcouncils.content.posts import collect_posts, post_url
from socialcouncils.content.scaffold import slug_for
from socialcouncils.content.schema import DESCRIPTION_LENGTH, PostMeta
from socialcouncils.policy.markup_policy import MarkupPolicy
from socialcouncils.problems import Problem
from socialcouncils.source.project import Project
from socialcouncils.wordpress import redirects, responses
from socialcouncils.wordpress.body import BodyConverter, Finding
from socialcouncils.wordpress.mapping import Mapping, read_mapping_file
from socialcouncils.wordpress.pictures import PictureSource, PostPictures, original_of, uploads_path
from socialcouncils.wordpress.report import Report
from socialcouncils.wordpress.state import (
    ImportedPost,
    ImportState,
    StateError,
    digest,
    edited_files,
    read_state,
)
from socialcouncils.wordpress.text import plain, summary, wp_date
from socialcouncils.wordpress.wxr import BadExport, Comment, Export, Item, read_export

T = TypeVar("T")
STATE_FILE = ".imported.yml"
ORIGINAL_URL_RE = re.compile(r"(?m)^original_url:[ \t]*(\S+)[ \t]*$")
IDS_SCRIPT = "assets/javascripts/old-addresses.js"
SKIP_REASONS = {
    "draft": "a draft",
    "auto-draft": "a draft",
    "pending": "waiting for review",
    "private": "private",
    "future": "scheduled for the future",
    "trash": "in the trash",
    "inherit": "a revision",
}
TYPE_REASONS = {
    "page": "a page, not a post",
    "attachment": "an attachment (its picture comes across with the posts that show it)",
    "nav_menu_item": "a menu entry",
    "revision": "a revision",
}


class ImportError_(Exception):
    """Input that cannot be imported: reported as problems, exit 2, nothing written."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems[0].message if problems else "")
        self.problems = problems


@dataclass
class Options:
    export: Path
    council: str
    uploads: Path | None = None
    online: bool = False
    mapping: Path | None = None
    force: bool = False
    progress: bool = False
    cache: Path | None = None


@dataclass
class PlannedPost:
    item: Item
    stem: str
    files: dict[str, bytes]
    findings: list[Problem]
    url: str


@dataclass
class Run:
    project: Project
    options: Options
    catalogue: Catalogue
    mapping: Mapping
    export: Export
    state: ImportState
    report: Report = field(default_factory=Report)
    writes: dict[Path, bytes] = field(default_factory=dict)
    authors: dict[str, str] = field(default_factory=dict)
    new_authors: list[tuple[str, str]] = field(default_factory=list)

    _by_hand: dict[str, Path] | None = None

    def brought_by_hand(self) -> dict[str, Path]:
        """original_url -> post, for the posts the importer did not write (read once)."""
        if self._by_hand is None:
            ours = {self.docs / p.file for p in self.state.posts.values()}
            self._by_hand = {}
            for path in self.project.post_files():
                if path in ours:
                    continue
                head = path.read_text(encoding="utf-8", errors="replace")[:4000]
                found = ORIGINAL_URL_RE.search(head)
                if found:
                    self._by_hand[found.group(1).strip().strip("'\"")] = path
        return self._by_hand

    @property
    def docs(self) -> Path:
        return self.project.docs_dir

    def shown(self, path: Path) -> str:
        return self.project.display(path)


def _bad(
    path: str, message: str, code: str = "WP001", line: int = 1, col: int = 1, hint: str = ""
) -> ImportError_:
    return ImportError_([Problem(path, line, col, code, message, hint)])


def prepare(project: Project, options: Options) -> Run:
    """Everything read and checked before anything is written."""
    shown_export = str(options.export)
    catalogue = load_catalogue(project)
    if options.council not in catalogue.councils:
        raise _bad(
            shown_export,
            f"unknown council '{options.council}'",
            "WP002",
            hint=f"use an id from {project.display(project.councils_file)}: {', '.join(sorted(catalogue.councils))}",
        )
    if options.uploads is not None and not options.uploads.is_dir():
        raise _bad(
            str(options.uploads),
            "the uploads folder does not exist",
            "WP002",
            hint="give the folder that holds a copy of wp-content/uploads (UPLOADS=dir)",
        )
    mapping, problems = read_mapping_file(
        options.mapping, project.categories, str(options.mapping) if options.mapping else ""
    )
    if problems:
        raise ImportError_(problems)
    if not options.export.is_file():
        raise _bad(
            shown_export,
            "the export file does not exist",
            hint="export it from WordPress: Tools → Export",
        )
    try:
        export = read_export(options.export)
    except BadExport as exc:
        raise _bad(
            shown_export,
            exc.message,
            line=exc.line,
            col=exc.col,
            hint="export the blog again from WordPress (Tools → Export → All content)",
        ) from None
    if not any(item.post_type == "post" for item in export.items):
        raise _bad(shown_export, "the export has no posts", hint="export 'All content' or 'Posts'")
    state_path = project.docs_dir / project.blog_dir / STATE_FILE
    try:
        state = read_state(
            state_path, project.docs_dir, project.posts_dir, project.display(state_path)
        )
    except StateError as exc:
        raise ImportError_(exc.problems) from None
    for path, marks in (
        (project.config_file, (redirects.START, redirects.END)),
        (project.docs_dir / IDS_SCRIPT, (redirects.JS_START, redirects.JS_END)),
    ):
        text = path.read_text(encoding="utf-8") if path.is_file() else ""
        if not all(mark in text for mark in marks):
            raise _bad(
                project.display(path),
                f"the lines '{marks[0]}' and '{marks[1]}' are missing",
                "WP002",
                hint="restore them from the project's own copy of this file",
            )
    return Run(project, options, catalogue, mapping, export, state)


def _progress(items: list[T], enabled: bool) -> Iterable[T]:
    """The items, with a progress bar on the terminal when ``enabled`` (never in a log)."""
    if not enabled:
        return items
    from tqdm import tqdm

    # A terminal that does not say its size (0 by 0) still gets a bar: tqdm hides it there.
    size = shutil.get_terminal_size()
    return tqdm(
        items, desc="Importing", unit="post", file=sys.stderr, ncols=size.columns, nrows=size.lines
    )


def skip_reason(item: Item) -> str | None:
    if item.post_type != "post":
        return TYPE_REASONS.get(item.post_type, f"a '{item.post_type}' item, not a post")
    if item.status != "publish":
        return SKIP_REASONS.get(item.status, f"its status is '{item.status}'")
    if item.password:
        return "password-protected"
    return None


class Attachments:
    """The export's attachments, by id and by the address of their original file."""

    def __init__(self, items: list[Item]) -> None:
        self.by_id: dict[str, Item] = {}
        self.by_file: dict[str, Item] = {}
        self.by_parent: dict[str, list[Item]] = {}
        for item in items:
            if item.post_type != "attachment":
                continue
            self.by_id[item.post_id] = item
            relative = uploads_path(item.attachment_url)
            if relative:
                self.by_file[original_of(relative)] = item
            self.by_parent.setdefault(item.post_parent, []).append(item)

    def alt(self, url: str) -> str:
        relative = uploads_path(url)
        item = self.by_file.get(original_of(relative)) if relative else None
        return plain(item.meta.get("_wp_attachment_image_alt", "")) if item else ""

    def picture(self, item: Item | None) -> Any:
        from socialcouncils.wordpress.shortcodes import Picture

        if item is None or not item.attachment_url:
            return None
        return Picture(item.attachment_url, self.alt(item.attachment_url), item.excerpt.strip())


def author_id(run: Run, login: str) -> str:
    """The hub author id of a WordPress login: an author of .authors.yml with the same name or
    id, else a new author (added to .authors.yml with the name WordPress shows)."""
    if login in run.authors:
        return run.authors[login]
    wp_author = run.export.authors.get(login)
    raw = wp_author.display_name if wp_author and wp_author.display_name else login
    name = plain(raw) or plain(login) or "A council officer"
    if name != raw.strip():
        run.report.problems.append(
            Problem(
                str(run.options.export),
                1,
                1,
                "WP005",
                f"the author name '{raw[:60]}' held markup or hidden characters; written as '{name}'",
                f"check the name in {run.shown(run.project.authors_file)}",
            )
        )
    wanted = slug_for(name)
    found = next(
        (
            a.id
            for a in run.catalogue.authors.values()
            if a.name.casefold() == name.casefold() or a.id == wanted
        ),
        None,
    )
    if found is None:
        taken = set(run.catalogue.authors) | {i for i, _ in run.new_authors}
        found, number = wanted, 2
        while found in taken:
            found, number = f"{wanted}-{number}", number + 1
        run.new_authors.append((found, name))
    run.authors[login] = found
    return found


def _tags(run: Run, item: Item, stem: str) -> list[str]:
    tags: list[str] = []
    for term in item.terms:
        if term.domain != "post_tag":
            continue
        listed, mapped = run.mapping.tag(plain(term.name), term.nicename)
        tag = mapped if listed else plain(term.name).lower()
        if not tag or tag in tags:
            continue
        if tag not in run.catalogue.tags:
            run.report.proposed_tags.setdefault(tag, []).append(stem)
        tags.append(tag)
    return tags[:10]


def plan_post(
    run: Run,
    item: Item,
    stem: str,
    converter: BodyConverter,
    attachments: Attachments,
    source: PictureSource,
) -> PlannedPost:
    posts_dir = run.project.posts_dir
    post_path = posts_dir / f"{stem}.md"
    shown = run.shown(post_path)
    pictures = PostPictures(stem, source, run.project.hub.image_max_kb * 1024)
    children = attachments.by_parent.get(item.post_id, [])
    converted = converter.convert(
        item.content,
        pictures,
        attachments.alt,
        attachment=lambda i: attachments.picture(attachments.by_id.get(i)),
        attached=lambda: [p for p in (attachments.picture(c) for c in children) if p],
        want_text=not plain(item.excerpt),
    )
    date = wp_date(item.post_date_gmt, item.post_date) or dt.datetime(1970, 1, 1)
    title = plain(item.title)
    excerpt = plain(item.excerpt)
    description = summary(excerpt or converted.text, DESCRIPTION_LENGTH)
    category = run.mapping.category(
        [plain(t.name) for t in item.terms if t.domain == "category"]
        + [t.nicename for t in item.terms if t.domain == "category"]
    )
    values: dict[str, Any] = {
        "title": title,
        "description": description,
        "date": date,
        "authors": [author_id(run, item.creator)],
        "council": run.options.council,
        "categories": [category],
        "tags": _tags(run, item, stem),
    }
    findings: list[Problem] = []
    thumbnail = attachments.by_id.get(item.meta.get("_thumbnail_id", ""))
    if thumbnail is not None and thumbnail.attachment_url:
        try:
            values["image"] = pictures.add(thumbnail.attachment_url)
            alt = attachments.alt(thumbnail.attachment_url)
            if alt:
                values["image_alt"] = alt
        except Exception as exc:
            findings.append(
                Problem(
                    shown, 1, 1, "WP030", f"the featured picture could not be brought across: {exc}"
                )
            )
    if item.link.startswith(("http://", "https://")):
        values["original_url"] = item.link
    if run.export.site_title and plain(run.export.site_title):
        values["original_site"] = plain(run.export.site_title)[:120]
    if slug_for(title) != stem:
        values["slug"] = stem
    head = responses.front_matter(
        {key: values[key] for key in PostMeta.model_fields if key in values}
    )
    text = head + "\n" + converted.markdown
    body_line = head.count("\n") + 2
    for finding in converted.findings:
        findings.append(_place(run, shown, item, finding, body_line))
    files = {f"{stem}.md": text.encode("utf-8")}
    for name, data in pictures.files.items():
        files[f"{stem}/{name}"] = data
    author = run.export.authors.get(item.creator)
    archived = responses.build(
        item.comments,
        author.id if author else "",
        lambda comment: _response_text(run, converter, comment, shown),
    )
    if archived:
        files[f"{stem}.responses.yml"] = responses.dump(archived).encode("utf-8")
    meta = PostMeta.model_construct(**{k: v for k, v in values.items()})
    url = post_url(run.project, meta, stem)
    return PlannedPost(item, stem, files, findings, url)


def _response_text(run: Run, converter: BodyConverter, comment: Comment, shown: str) -> str:
    """A response's text as Markdown; what its name or text lost is reported at its line in the
    export."""
    export = str(run.options.export)
    where = f"in a response to {shown} by “{plain(comment.author)[:40]}”"
    name = plain(comment.author)
    if name != comment.author.strip():
        run.report.problems.append(
            Problem(
                export,
                comment.line,
                1,
                "WP005",
                (
                    f"the name of a response held markup or hidden characters; written as '{name}'"
                    if name
                    else "the name of a response was only markup; it is left out (shown as 'A reader')"
                ),
                f"check the name in {shown.removesuffix('.md')}.responses.yml",
            )
        )
    converted = converter.convert(
        comment.content, None, lambda _src: "", excerpt_mark=False, want_text=False
    )
    for finding in converted.findings:
        if finding.code == "WP020":
            run.report.problems.append(
                Problem(
                    export, comment.line, 1, "WP020", f"{finding.message}, {where}", finding.hint
                )
            )
    return converted.markdown


def _place(run: Run, shown: str, item: Item, finding: Finding, body_line: int) -> Problem:
    if finding.offset >= 0:
        line = item.content_line + item.content[: finding.offset].count("\n")
        col = finding.offset - item.content.rfind("\n", 0, finding.offset)
        return Problem(
            str(run.options.export),
            line,
            max(col, 1),
            finding.code,
            f"{finding.message}, in “{plain(item.title)[:60]}” ({shown})",
            finding.hint,
        )
    return Problem(
        shown,
        body_line + finding.line - 1,
        finding.col,
        finding.code,
        finding.message,
        finding.hint,
    )


def _stems(run: Run, items: list[Item]) -> Iterator[tuple[Item, str]]:
    taken = {p.file.rsplit("/", 1)[-1].removesuffix(".md") for p in run.state.posts.values()}
    for item in items:
        recorded = run.state.posts.get(item.post_id)
        if recorded is not None:
            yield item, recorded.file.rsplit("/", 1)[-1].removesuffix(".md")
            continue
        wanted = slug_for(unquote(item.post_name) or plain(item.title))
        stem, number = wanted, 2
        while stem in taken:
            stem, number = f"{wanted}-{number}", number + 1
        taken.add(stem)
        yield item, stem


def avatar_svg(name: str) -> str:
    initials = "".join(part[0] for part in name.split()[:2] if part[0].isalnum()).upper() or "?"
    from html import escape

    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 96 96" width="96" height="96" role="img">'
        f"<title>Avatar: the initials {escape(initials)} for {escape(name)}</title>"
        '<circle cx="48" cy="48" r="48" fill="#1d4f73"/>'
        '<text x="48" y="48" dy="0.35em" font-family="sans-serif" font-size="36" fill="#ffffff"'
        f' text-anchor="middle">{escape(initials)}</text></svg>\n'
    )


def plan_authors(run: Run) -> None:
    if not run.new_authors:
        return
    council = run.catalogue.councils[run.options.council]
    text = run.project.authors_file.read_text(encoding="utf-8")
    if not text.endswith("\n"):
        text += "\n"
    for author, name in run.new_authors:
        avatar = f"{run.project.blog_dir}/avatars/{author}.svg"
        entry = yaml.safe_dump(
            {
                author: {
                    "name": name,
                    "description": f"Council officer, {council.name}",
                    "role": "Council officer",
                    "council": council.id,
                    "avatar": avatar,
                }
            },
            allow_unicode=True,
            sort_keys=False,
            width=1000,
        )
        text += "".join(f"  {line}\n" for line in entry.splitlines())
        avatar_path = run.docs / avatar
        if not avatar_path.exists():
            run.writes[avatar_path] = avatar_svg(name).encode("utf-8")
        run.report.new_authors.append(author)
    run.writes[run.project.authors_file] = text.encode("utf-8")


def apply_plan(run: Run, planned: PlannedPost) -> None:
    """Decide, from the state file, what to write for one post."""
    posts_dir = run.project.posts_dir
    blog_rel = posts_dir.relative_to(run.docs).as_posix()
    md_name = f"{blog_rel}/{planned.stem}.md"
    recorded = run.state.posts.get(planned.item.post_id)
    hashes = {f"{blog_rel}/{name}": digest(data) for name, data in planned.files.items()}
    shown = run.shown(posts_dir / f"{planned.stem}.md")
    already = run.brought_by_hand().get(planned.item.link) if recorded is None else None
    if already is not None:
        run.report.problems.append(
            Problem(
                run.shown(already),
                1,
                1,
                "WP004",
                f"“{plain(planned.item.title)}” was not imported: this post came from the same"
                " address (its original_url)",
                "keep this post, or delete it and import again to bring the WordPress version",
            )
        )
        return
    if recorded is None and (posts_dir / f"{planned.stem}.md").exists():
        run.report.problems.append(
            Problem(
                shown,
                1,
                1,
                "WP004",
                f"“{plain(planned.item.title)}” was not imported: a post of this name exists that the importer did not write",
                "rename one of them, or delete this file and import again",
            )
        )
        return
    if recorded is not None and not run.options.force:
        edited = edited_files(run.docs, recorded.files)
        if edited:
            run.report.problems.append(
                Problem(
                    shown,
                    1,
                    1,
                    "WP003",
                    f"edited since it was imported ({', '.join(edited)}), so it was kept as it is",
                    "import again with --force to replace the edits with the export's version",
                )
            )
            run.report.unchanged.append(shown)
            return
    for problem in planned.findings:
        run.report.problems.append(problem)
    if recorded is not None and recorded.files == hashes and not edited_files(run.docs, hashes):
        run.report.unchanged.append(shown)
    else:
        (run.report.updated if recorded is not None else run.report.new).append(shown)
        for name in recorded.files if recorded else {}:
            if name not in hashes:
                run.writes[run.docs / name] = b""  # removed below
        for name, data in planned.files.items():
            run.writes[posts_dir / name] = data
    run.state.posts[planned.item.post_id] = ImportedPost(
        md_name, planned.item.link, planned.url, hashes
    )


def plan_redirects(run: Run) -> None:
    maps: dict[str, str] = {}
    ids: dict[str, str] = {}
    config_shown = run.shown(run.project.config_file)
    for post_id, post in run.state.posts.items():
        if post_id.isdigit():
            ids[post_id] = post.url
        source = redirects.old_path(post.permalink)
        if source is None:
            if "?p=" not in post.permalink:
                run.report.problems.append(
                    Problem(
                        config_shown,
                        1,
                        1,
                        "WP007",
                        f"the old address {post.permalink[:100]} of {post.file} is not a plain"
                        " path, so it is not redirected",
                        "add it to redirect_maps by hand if readers still follow it",
                    )
                )
            continue
        if (run.docs / source).exists() or (run.docs / source.replace("/index.md", ".md")).exists():
            run.report.problems.append(
                Problem(
                    config_shown,
                    1,
                    1,
                    "WP007",
                    f"the old address {post.permalink} is a page of this site, so it is not redirected",
                )
            )
            continue
        maps[source] = post.file
    script = run.docs / IDS_SCRIPT
    state_path = run.docs / run.project.blog_dir / STATE_FILE
    restore = (
        f"it came from {run.shown(state_path)}: restore that file from the project's history"
        " (git log -p); only the importer writes it"
    )
    try:
        config_text = redirects.write_redirects(run.project.config_file, maps, config_shown)
    except redirects.UnsafeValue as exc:
        raise _unsafe(config_shown, str(exc), restore) from None
    try:
        ids_text = redirects.write_ids(script, ids, run.shown(script))
    except redirects.UnsafeValue as exc:
        raise _unsafe(run.shown(script), str(exc), restore) from None
    run.writes[run.project.config_file] = config_text.encode("utf-8")
    run.writes[script] = ids_text.encode("utf-8")
    run.writes[state_path] = run.state.as_text().encode("utf-8")


def _unsafe(shown: str, message: str, hint: str) -> ImportError_:
    return _bad(shown, message, "WP008", hint=hint)


def _inside(path: Path, roots: tuple[Path, ...]) -> bool:
    """Whether ``path``, followed through any link, is one of ``roots`` or inside one."""
    try:
        resolved = path.resolve()
    except (OSError, RuntimeError):
        return False
    return any(resolved == root or resolved.is_relative_to(root) for root in roots)


def write_all(writes: dict[Path, bytes], inside: tuple[Path, ...] = ()) -> list[Path]:
    """Write each file whole (a temporary file, then renamed over it); only files that change.

    With ``inside``, every path must be one of those files or folders, followed through any
    link, or nothing at all is written (``ImportError_``)."""
    roots = tuple(root.resolve() for root in inside)
    for path in sorted(writes) if roots else ():
        if not _inside(path, roots):
            raise _unsafe(
                str(path),
                "this file is outside the site's docs folder (a link leads out of it), so nothing"
                " was written",
                "replace the link with a folder of the site's own",
            )
    changed = []
    for path, data in sorted(writes.items()):
        if data == b"" and path.suffix != ".md":
            if path.exists():
                path.unlink()
                changed.append(path)
            continue
        if path.is_file() and path.read_bytes() == data:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(dir=path.parent, prefix=".import-")
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.chmod(temp, 0o644)
        os.replace(temp, path)
        changed.append(path)
    return changed


def run_import(project: Project, options: Options) -> Report:
    started = time.perf_counter()
    run = prepare(project, options)
    items = run.export.items
    attachments = Attachments(items)
    policy = MarkupPolicy(embed_hosts=tuple(project.hub.embed_hosts))
    converter = BodyConverter(policy, tuple(project.hub.embed_hosts))
    source = PictureSource(options.uploads, options.online, options.cache)
    importable = []
    for item in items:
        reason = skip_reason(item)
        if reason is None:
            importable.append(item)
        else:
            run.report.skipped.append((plain(item.title) or f"item {item.post_id}", reason))
    if options.online:
        source.prefetch(_picture_addresses(importable, attachments))
    for item, stem in _progress(list(_stems(run, importable)), options.progress):
        apply_plan(run, plan_post(run, item, stem, converter, attachments, source))
    plan_authors(run)
    plan_redirects(run)
    write_all(run.writes, inside=(run.docs, project.config_file))
    checking = time.perf_counter()
    run.report.import_seconds = checking - started
    run.report.problems.extend(_checked(run))
    run.report.check_seconds = time.perf_counter() - checking
    run.report.problems = sorted(set(run.report.problems))
    return run.report


IMG_SRC_RE = re.compile(r"""<img\b[^>]*?\bsrc\s*=\s*["']([^"']+)""", re.I)
GALLERY_IDS_RE = re.compile(r"""\[gallery\b[^\]]*?\bids\s*=\s*["']?([\d,\s]+)""", re.I)


def _picture_addresses(items: list[Item], attachments: Attachments) -> Iterator[str]:
    """Every picture the posts show: in their HTML, their galleries and as featured pictures."""
    for item in items:
        yield from IMG_SRC_RE.findall(item.content)
        ids = [item.meta.get("_thumbnail_id", "")]
        for found in GALLERY_IDS_RE.findall(item.content):
            ids += [i.strip() for i in found.split(",")]
        for child in attachments.by_parent.get(item.post_id, []):
            yield child.attachment_url
        for attachment_id in ids:
            shown = attachments.by_id.get(attachment_id)
            if shown is not None and shown.attachment_url:
                yield shown.attachment_url


def _checked(run: Run) -> list[Problem]:
    """The hub's own check of every imported post, as ``check_posts.py`` reports it."""
    paths = [run.docs / p.file for p in run.state.posts.values() if (run.docs / p.file).is_file()]
    if not paths:
        return []
    collection = collect_posts(run.project, paths)
    return [p for p in collection.problems() if not p.code.startswith("DATA")]
