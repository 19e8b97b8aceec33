"""What was imported, kept in ``docs/blog/.imported.yml`` (committed with the posts).

For each WordPress post id: the post's file, its old permalink, its new address, and the hash of
every file written for it as it was written. A run compares the files on disk with these
hashes: a file that differs was edited by a person since the import, and is left alone unless
``--force``. The same export run again writes nothing; a newer one updates only what changed.

The file is data anyone can change in a pull request, so it is read as untrusted: every path in
it must be one of its post's own files in the posts folder, and every address a path on this
site (``redirects.address_problem``). Anything else is bad input (WP008), before anything is
written or deleted.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from socialcouncils.problems import Problem
from socialcouncils.source.yaml_source import (
    YamlSyntaxError,
    compose,
    construct,
    node_position,
)
from socialcouncils.wordpress.redirects import (
    address_problem,
    path_problem,
    shown_value,
    target_problem,
)

HEADER = (
    "# Posts imported from WordPress by scripts/import_wordpress.py, with the hash of each file as\n"
    "# it was written: a file that no longer matches was edited since, and a new import leaves it\n"
    "# alone (unless --force). Written by the importer; commit it with the posts.\n"
)
# A state file lists every post ever imported: larger than a post's front matter may be.
MAX_STATE_TEXT = 64_000_000
RESTORE = "restore this file from the project's history (git log -p); only the importer writes it"


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:32]


@dataclass
class ImportedPost:
    file: str
    permalink: str
    url: str
    files: dict[str, str] = field(default_factory=dict)

    def as_data(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "permalink": self.permalink,
            "url": self.url,
            "files": dict(sorted(self.files.items())),
        }


@dataclass
class ImportState:
    posts: dict[str, ImportedPost] = field(default_factory=dict)

    def as_text(self) -> str:
        data = {
            "posts": {key: self.posts[key].as_data() for key in sorted(self.posts, key=_id_order)}
        }
        dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
        text = yaml.dump(data, Dumper=dumper, allow_unicode=True, sort_keys=False, width=200)
        return HEADER + text


class StateError(Exception):
    """The state file cannot be used: each problem at its line in the file."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems[0].message if problems else "")
        self.problems = problems


def _id_order(key: str) -> tuple[int, str]:
    return (int(key), key) if key.isdigit() else (0, key)


@dataclass
class _Reader:
    shown: str
    docs: Path
    posts_dir: Path
    problems: list[Problem] = field(default_factory=list)

    @property
    def posts_rel(self) -> str:
        return self.posts_dir.relative_to(self.docs).as_posix()

    def bad(self, node: yaml.Node, code: str, message: str, hint: str = RESTORE) -> None:
        pos = node_position(node)
        self.problems.append(Problem(self.shown, pos.line, pos.col, code, message, hint))

    def unusable(self, node: yaml.Node, message: str) -> None:
        self.bad(node, "WP002", f"the import state file cannot be used: {message}")

    def inside(self, name: str, folder: Path) -> bool:
        """Whether ``name`` (relative to docs/), followed through any link, is in ``folder``."""
        try:
            (self.docs / name).resolve().relative_to(folder.resolve())
        except (ValueError, OSError, RuntimeError):
            return False
        return True

    def post(self, key: str, node: yaml.Node) -> ImportedPost | None:
        if not isinstance(node, yaml.MappingNode):
            self.unusable(node, f"post {key} must be a mapping with its file")
            return None
        values = {str(k.value): v for k, v in node.value if isinstance(k, yaml.ScalarNode)}
        file_node = values.get("file")
        file = _text(file_node)
        if file_node is None or file is None:
            self.unusable(file_node or node, f"post {key} has no file")
            return None
        stem = self.post_file(key, file, file_node)
        url_node = values.get("url")
        url = _text(url_node) if url_node is not None else ""
        if url_node is not None and url is None:
            self.unusable(url_node, f"the address of post {key} must be text")
        elif url_node is not None and url:
            self.address(key, url, url_node)
        files: dict[str, str] = {}
        files_node = values.get("files")
        if isinstance(files_node, yaml.MappingNode):
            for name_node, hash_node in files_node.value:
                name = _text(name_node)
                if name is None:
                    self.unusable(name_node, f"a file of post {key} must be text")
                    continue
                if stem is not None:
                    self.own_file(key, stem, name, name_node)
                files[name] = str(construct(hash_node))
        elif files_node is not None and construct(files_node) is not None:
            self.unusable(files_node, f"the files of post {key} must be a mapping")
        permalink_node = values.get("permalink")
        permalink = construct(permalink_node) if permalink_node is not None else ""
        return ImportedPost(file, "" if permalink is None else str(permalink), url or "", files)

    def post_file(self, key: str, file: str, node: yaml.Node) -> str | None:
        """The post's stem, when ``file`` is a post of the posts folder; else reported."""
        prefix = self.posts_rel + "/"
        reason = target_problem(file)
        name = file[len(prefix) :] if file.startswith(prefix) else ""
        if reason is None and (not name or "/" in name or not name.endswith(".md")):
            reason = f"the importer writes posts as {prefix}NAME.md"
        if reason is None and not self.inside(file, self.posts_dir):
            reason = f"it leads out of {prefix} through a link"
        if reason is not None:
            self.outside(
                node,
                f"the file of post {key}, '{shown_value(file)}', is not a post of {prefix}: {reason}",
            )
            return None
        return name.removesuffix(".md")

    def own_file(self, key: str, stem: str, name: str, node: yaml.Node) -> None:
        prefix = f"{self.posts_rel}/{stem}"
        reason = path_problem(name)
        picture = name.startswith(prefix + "/") and "/" not in name[len(prefix) + 1 :]
        if (
            reason is None
            and name not in (f"{prefix}.md", f"{prefix}.responses.yml")
            and not picture
        ):
            reason = (
                f"a post's files are {prefix}.md, {prefix}.responses.yml and pictures in {prefix}/"
            )
        if reason is None and not self.inside(name, self.posts_dir):
            reason = f"it leads out of {self.posts_rel}/ through a link"
        if reason is not None:
            self.outside(
                node,
                f"the file '{shown_value(name)}' of post {key} is not one of its own: {reason}",
            )

    def address(self, key: str, url: str, node: yaml.Node) -> None:
        reason = address_problem(url)
        if reason is not None:
            self.outside(
                node,
                f"the address of post {key}, '{shown_value(url)}', is not an address on this site: {reason}",
            )

    def outside(self, node: yaml.Node, message: str) -> None:
        self.bad(node, "WP008", message)


def _text(node: yaml.Node | None) -> str | None:
    """The text of a scalar node as it was written; None for a list, a mapping or null."""
    if not isinstance(node, yaml.ScalarNode) or node.tag == "tag:yaml.org,2002:null":
        return None
    return str(node.value)


def read_state(path: Path, docs: Path, posts_dir: Path, shown: str) -> ImportState:
    """The state file, or an empty state when there is none; ``StateError`` when it cannot be
    used, each problem at its line (WP002 unreadable, WP008 a path or address not this site's)."""
    if not path.exists():
        return ImportState()
    reader = _Reader(shown, docs, posts_dir)

    def fail(message: str, line: int = 1, col: int = 1) -> StateError:
        return StateError(
            [
                Problem(
                    shown,
                    line,
                    col,
                    "WP002",
                    f"the import state file cannot be used: {message}",
                    RESTORE,
                )
            ]
        )

    try:
        root = compose(path.read_text(encoding="utf-8"), max_text=MAX_STATE_TEXT)
    except (OSError, UnicodeDecodeError) as exc:
        raise fail(f"cannot read it: {exc}") from None
    except YamlSyntaxError as exc:
        raise fail(f"cannot read it: {exc.message}", exc.pos.line, exc.pos.col) from None
    posts_node = None
    if isinstance(root, yaml.MappingNode):
        for key_node, value_node in root.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.value == "posts":
                posts_node = value_node
    if not isinstance(posts_node, yaml.MappingNode):
        where = node_position(posts_node or root) if (posts_node or root) is not None else None
        raise fail("it has no 'posts:' mapping", *(where or (1, 1)))
    state = ImportState()
    for key_node, value_node in posts_node.value:
        key = str(construct(key_node))
        post = reader.post(key, value_node)
        if post is not None:
            state.posts[key] = post
    if reader.problems:
        raise StateError(reader.problems)
    return state


def edited_files(docs: Path, recorded: dict[str, str]) -> list[str]:
    """The files of an imported post that differ from what was written (or are gone)."""
    edited = []
    for name, expected in recorded.items():
        path = docs / name
        if not path.is_file() or digest(path.read_bytes()) != expected:
            edited.append(name)
    return edited
