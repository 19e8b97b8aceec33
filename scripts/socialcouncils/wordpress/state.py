"""What was imported, kept in ``docs/blog/.imported.yml`` (committed with the posts).

For each WordPress post id: the post's file, its old permalink, its new address, and the hash of
every file written for it as it was written. A run compares the files on disk with these
hashes: a file that differs was edited by a person since the import, and is left alone unless
``--force``. The same export run again writes nothing; a newer one updates only what changed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

HEADER = (
    "# Posts imported from WordPress by scripts/import_wordpress.py, with the hash of each file as\n"
    "# it was written: a file that no longer matches was edited since, and a new import leaves it\n"
    "# alone (unless --force). Written by the importer; commit it with the posts.\n"
)


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


def _id_order(key: str) -> tuple[int, str]:
    return (int(key), key) if key.isdigit() else (0, key)


def read_state(path: Path) -> ImportState:
    """The state file, or an empty state when there is none; ``ValueError`` if unreadable."""
    if not path.exists():
        return ImportState()
    try:
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ValueError(f"cannot read it: {exc}") from None
    posts = data.get("posts") if isinstance(data, dict) else None
    if not isinstance(posts, dict):  # also None
        raise ValueError("it has no 'posts:' mapping")
    state = ImportState()
    for key, value in posts.items():
        if not isinstance(value, dict) or not isinstance(value.get("file"), str):
            raise ValueError(f"post {key} has no file")
        files = value.get("files")
        if not isinstance(files, dict):
            files = {}
        state.posts[str(key)] = ImportedPost(
            file=value["file"],
            permalink=str(value.get("permalink", "")),
            url=str(value.get("url", "")),
            files={str(k): str(v) for k, v in files.items()},
        )
    return state


def edited_files(docs: Path, recorded: dict[str, str]) -> list[str]:
    """The files of an imported post that differ from what was written (or are gone)."""
    edited = []
    for name, expected in recorded.items():
        path = docs / name
        if not path.is_file() or digest(path.read_bytes()) != expected:
            edited.append(name)
    return edited
