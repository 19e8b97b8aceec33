"""The project's settings, read from mkdocs.yml without importing MkDocs."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import mergedeep

from socialcouncils.problems import Problem
from socialcouncils.source.engine_settings import extension_name, read_engine_settings
from socialcouncils.source.settings import CommentSettings, HubSettings, read_settings
from socialcouncils.source.yaml_source import load_config_file

CONFIG_NAME = "mkdocs.yml"


class ConfigError(Exception):
    """mkdocs.yml is missing or unusable: a usage error, not a content problem."""


@dataclass(frozen=True)
class Project:
    config_file: Path
    root: Path
    docs_dir: Path
    site_dir: Path
    site_url: str
    blog_dir: str
    categories: tuple[str, ...]
    post_url_format: str
    # What ends the part of a post shown in lists and feeds (the blog's separator).
    excerpt_mark: str = "<!-- more -->"
    hub: HubSettings = field(default_factory=HubSettings)
    site_name: str = ""
    site_description: str = ""
    # The repository the site is built from (``repo_url``): where officers propose posts.
    repo_url: str = ""
    # mkdocs-rss-plugin's options (None when the plugin is not configured).
    rss: dict[str, Any] | None = None
    # The Comments section's settings (``extra: comments:``).
    comments: CommentSettings = field(default_factory=CommentSettings)
    # What is wrong with the hub's settings in mkdocs.yml (each falls back to its default).
    settings_problems: tuple[Problem, ...] = ()
    use_directory_urls: bool = True
    # ``markdown_extensions`` as mkdocs.yml lists them (``markdown_render.MarkdownSettings``).
    markdown_extensions: tuple[Any, ...] = ()
    # The patterns of files under docs/ that the site leaves out (``exclude_docs``), one a line.
    exclude_docs: tuple[str, ...] = ()

    @property
    def posts_dir(self) -> Path:
        return self.docs_dir / self.blog_dir / "posts"

    @property
    def authors_file(self) -> Path:
        return self.docs_dir / self.blog_dir / ".authors.yml"

    @property
    def councils_file(self) -> Path:
        return self.docs_dir / self.hub.councils_file

    @property
    def tags_file(self) -> Path:
        return self.docs_dir / self.hub.tags_file

    @property
    def reading_cache(self) -> Path:
        """Where each post's last reading is kept (``rendered_body.ReadingCache``)."""
        return self.root / ".cache" / "post-readings.json"

    def display(self, path: Path) -> str:
        """A path as people see it in messages: relative to the project when it is inside."""
        text, root_text = str(path), str(self.root) + os.sep
        if text.startswith(root_text):
            return text[len(root_text) :].replace(os.sep, "/")
        resolved, root = path.resolve(), self.root.resolve()
        if resolved.is_relative_to(root):
            return resolved.relative_to(root).as_posix()
        return path.as_posix()

    def post_files(self) -> list[Path]:
        """Every post: each Markdown file under the posts folder, in the order of their paths."""
        return markdown_files(self.posts_dir)

    def page_files(self) -> list[Path]:
        """The site's other Markdown pages: each Markdown file under docs/ outside the posts."""
        posts = self.posts_dir
        return [p for p in markdown_files(self.docs_dir) if posts not in p.parents]


# The file endings MkDocs builds as Markdown pages (``mkdocs.utils.markdown_extensions``): a post
# saved with any of them is published, so it is checked.
MARKDOWN_ENDINGS = (".markdown", ".mdown", ".mkdn", ".mkd", ".md")


def is_markdown(name: str) -> bool:
    return name.endswith(MARKDOWN_ENDINGS)


def markdown_files(folder: Path) -> list[Path]:
    """Every Markdown file under ``folder``, in the order of their paths."""
    found = [
        os.path.join(parent, name)
        for parent, _, names in os.walk(folder)
        for name in names
        if is_markdown(name)
    ]
    return [Path(path) for path in sorted(found)]


def _plugin_options(config: dict[str, Any], name: str) -> dict[str, Any] | None:
    for entry in config.get("plugins") or []:
        if entry == name:
            return {}
        if isinstance(entry, dict) and name in entry:
            return entry[name] or {}
    return None


def _read_config(path: Path, seen: tuple[Path, ...] = ()) -> dict[str, Any]:
    """A config file's settings, with those of the file it INHERITs merged in as MkDocs does."""
    if path in seen:
        raise ConfigError(f"{path} inherits from itself")
    try:
        config = load_config_file(path.read_text(encoding="utf-8-sig")) or {}
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror}") from None
    except Exception as exc:
        raise ConfigError(f"{path} is not valid YAML: {exc}") from None
    if not isinstance(config, dict):
        raise ConfigError(f"{path} must be a mapping of settings")
    parent = config.pop("INHERIT", None)
    if parent is None:
        return config
    # MkDocs merges the child into its parent with mergedeep: mappings merge, the rest replaces.
    return mergedeep.merge(
        {}, _read_config((path.parent / str(parent)).resolve(), (*seen, path)), config
    )


def find_config(start: Path | None = None) -> Path:
    """The mkdocs.yml of the project the commands are run in: in ``start`` (the working folder)
    or the nearest folder above it, as git finds its repository."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder / CONFIG_NAME
    raise ConfigError(f"no {CONFIG_NAME} in {here} or any folder above it: run this in the project")


def load_project(config_file: Path | None = None) -> Project:
    path = (config_file or find_config()).resolve()
    config = _read_config(path)
    root = path.parent
    blog = _plugin_options(config, "blog") or {}
    shown = path.name
    settings, problems = read_settings(config.get("extra"), path, shown)
    engine = read_engine_settings(config, path, shown)
    return Project(
        config_file=path,
        root=root,
        docs_dir=root / str(config.get("docs_dir", "docs")),
        site_dir=root / str(config.get("site_dir", "site")),
        site_url=str(config.get("site_url") or "") if engine.site_url_ok else "",
        blog_dir=str(blog.get("blog_dir", "blog")),
        categories=tuple(str(c) for c in blog.get("categories_allowed") or ()),
        post_url_format=str(blog.get("post_url_format", "{date}/{slug}")),
        excerpt_mark=str(blog.get("post_excerpt_separator", "<!-- more -->")),
        hub=settings.hub,
        site_name=str(config.get("site_name") or ""),
        repo_url=str(config.get("repo_url") or "").rstrip("/"),
        site_description=str(config.get("site_description") or "").strip(),
        rss=_plugin_options(config, "rss"),
        comments=settings.comments,
        settings_problems=(*problems, *engine.problems),
        use_directory_urls=bool(config.get("use_directory_urls", True)),
        markdown_extensions=tuple(
            e
            for e in config.get("markdown_extensions") or ()
            if extension_name(e) not in engine.extensions_left_out
        ),
        exclude_docs=tuple(
            line.strip()
            for line in str(config.get("exclude_docs") or "").splitlines()
            if line.strip()
        ),
    )
