"""The site's Markdown without the site engine: the extensions and settings of mkdocs.yml, as the
engine loads them, plus the hub's own.

The post check renders each post with it to judge what readers would get; the build gives the
engine the same hub extensions, so both read a post alike. ``SanitizedOutput`` is the build's:
the last step of every conversion (a page, or an excerpt in a list) passes the HTML through the
markup policy.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import markdown
from markdown.extensions import Extension
from markdown.postprocessors import Postprocessor

from socialcouncils.content.permalinks import PermalinkLabels
from socialcouncils.policy.markup_policy import MarkupPolicy, embed_placeholders


def _none(md: markdown.Markdown) -> str | None:
    return None


# MkDocs adds these to every site's extensions (mkdocs.config.defaults, ``markdown_extensions``).
ENGINE_BUILTINS = ("toc", "tables", "fenced_code")


@dataclass(frozen=True)
class MarkdownSettings:
    """``markdown_extensions`` of mkdocs.yml: each extension's name, and its settings."""

    extensions: tuple[str, ...] = ENGINE_BUILTINS
    configs: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    @classmethod
    def from_config(cls, entries: Iterable[Any]) -> MarkdownSettings:
        """Read the list as MkDocs does: a name, or a mapping of one name to its settings."""
        names = list(ENGINE_BUILTINS)
        configs: dict[str, dict[str, Any]] = {}
        for entry in entries or ():
            if isinstance(entry, dict):
                for name, options in entry.items():
                    names.append(str(name))
                    if isinstance(options, dict):
                        configs[str(name)] = dict(options)
            elif isinstance(entry, str):
                names.append(entry)
        return cls(tuple(dict.fromkeys(names)), configs)


class SanitizedOutput(Extension):
    """Pass every conversion's HTML through ``policy``, then turn embeds into placeholders.

    ``excerpt_of`` says, for a converter, the separator after which its output is never shown
    (an excerpt's converter renders the whole post and keeps what is before the separator): only
    the part before it is sanitized, and the rest is dropped.
    """

    def __init__(
        self, policy: MarkupPolicy, excerpt_of: Callable[[markdown.Markdown], str | None] = _none
    ) -> None:
        super().__init__()
        self.policy = policy
        self.excerpt_of = excerpt_of

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        # Priority 0: after the raw HTML and footnotes are put back, on the finished HTML.
        sanitize = _Sanitize(md, self.policy, self.excerpt_of)
        md.postprocessors.register(sanitize, "hub_sanitize", 0)


class _Sanitize(Postprocessor):
    def __init__(
        self,
        md: markdown.Markdown,
        policy: MarkupPolicy,
        excerpt_of: Callable[[markdown.Markdown], str | None],
    ) -> None:
        super().__init__(md)
        self.policy = policy
        self.excerpt_of = excerpt_of

    def run(self, text: str) -> str:
        # Asked at each conversion: a converter's steps may be added after it is made.
        mark = self.excerpt_of(self.md)
        if mark and mark in text:
            # What follows the separator is there only to say that there is more.
            shown, separator, _ = text.partition(mark)
            return embed_placeholders(self.policy.sanitize(shown)) + separator + "\n"
        return embed_placeholders(self.policy.sanitize(text))


def hub_extensions() -> list[Extension]:
    """The hub's own extensions, which the build adds to the site's."""
    return [PermalinkLabels()]


def markdown_for(
    settings: MarkdownSettings, policy: MarkupPolicy | None = None
) -> markdown.Markdown:
    """A converter with the site's extensions and the hub's, and with ``policy`` the sanitizer."""
    extensions: Sequence[str | Extension] = [*settings.extensions, *hub_extensions()]
    if policy is not None:
        extensions = [*extensions, SanitizedOutput(policy)]
    return markdown.Markdown(
        extensions=list(extensions),
        extension_configs={k: dict(v) for k, v in settings.configs.items()},
    )
