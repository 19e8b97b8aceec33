"""A WordPress post's HTML as the Markdown of a hub post.

The steps, in order: Gutenberg's block comments (``<!-- wp:... -->``) go; WordPress's own
``<!--more-->`` becomes the hub's ``<!-- more -->``; shortcodes become HTML (``shortcodes``);
paragraphs WordPress would make from blank lines (its ``wpautop``) are made; pictures are brought
into the post's folder (``pictures``); then the HTML passes the hub's one allow-list
(``markup_policy``), and each thing it removes is reported; only then is it written as Markdown.

Markdown is written by markdownify (pinned in requirements-dev.in). html2text was tried on the
same export bodies and not chosen: it turns the escaped text ``&lt;script&gt;`` back into a real
``<script>`` tag in the Markdown (text a council wrote about code would become code), rewrites
typographic quotes, and cannot be told how to write a picture with its caption. markdownify
works on a parsed tree, converts each element by a method that can be replaced (pictures,
figures and approved embeds here), and lets the escaping of text be the hub's own, so that text
stays text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape, unescape
from typing import Any

from markdownify import MarkdownConverter

from socialcouncils.content.markup import describe
from socialcouncils.policy.html_changes import changes
from socialcouncils.policy.markup_policy import MarkupPolicy, embed_host, parse_fragment
from socialcouncils.wordpress import shortcodes
from socialcouncils.wordpress.pictures import PictureError, PostPictures, uploads_path

MORE = "<!-- more -->"
GUTENBERG_RE = re.compile(r"<!--\s*/?wp:[\s\S]*?-->")
WP_MORE_RE = re.compile(r"<!--\s*more\b[\s\S]*?-->|<!--\s*noteaser\s*-->", re.I)
TOKEN_RE = re.compile(r"WPTOKEN(\d+)X")
PRE_RE = re.compile(r"<pre\b[\s\S]*?</pre>", re.I)
BLOCK_START_RE = re.compile(
    r"^</?(?:table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre|"
    r"form|blockquote|address|math|style|script|p|h[1-6]|hr|fieldset|legend|section|article|"
    r"aside|header|footer|nav|figure|figcaption|details|summary|iframe|object|embed|video|"
    r"audio)\b",
    re.I,
)
TEXT_ESCAPES = re.compile(r"([\\`*_\[\]])")
LINE_START_ESCAPES = re.compile(r"(?m)^(\s*)(#{1,6}\s|[-+]\s|\d+[.)]\s|>|=+\s*$|-+\s*$)")


@dataclass(frozen=True)
class Finding:
    """Something left for a person. ``line``/``col`` are in the Markdown body (from 1), or
    ``offset`` into the WordPress content when the thing is no longer in the body."""

    code: str
    message: str
    hint: str
    line: int = 0
    col: int = 0
    offset: int = -1


@dataclass
class Converted:
    markdown: str
    text: str
    findings: list[Finding] = field(default_factory=list)


class HubMarkdown(MarkdownConverter):
    """markdownify with the hub's text escaping, pictures, figures and embeds."""

    def escape(self, text: str, parent_tags: Any) -> str:
        if not text:
            return ""
        text = TEXT_ESCAPES.sub(r"\\\1", escape(text, quote=False))
        return LINE_START_ESCAPES.sub(lambda m: m.group(1) + "\\" + m.group(2), text)

    def convert_img(self, el: Any, text: str, parent_tags: Any) -> str:
        alt = TEXT_ESCAPES.sub(r"\\\1", (el.attrs.get("alt") or "").strip())
        alt = escape(re.sub(r"\s+", " ", alt), quote=False)
        src = el.attrs.get("src") or ""
        return f"![{alt}]({src})"

    def convert_figure(self, el: Any, text: str, parent_tags: Any) -> str:
        img = el.find("img")
        caption = el.find("figcaption")
        if img is None:
            return f"\n\n{text.strip()}\n\n"
        picture = self.convert_img(img, "", parent_tags)
        if caption is None:
            return f"\n\n{picture}\n\n"
        words = str(self.process_tag(caption, parent_tags={"_inline"})).strip()  # type: ignore[attr-defined]
        return (
            f'\n\n<figure markdown="span">\n  {picture}\n'
            f"  <figcaption>{words}</figcaption>\n</figure>\n\n"
        )

    def convert_figcaption(self, el: Any, text: str, parent_tags: Any) -> str:
        """A caption whose picture could not be brought across: a paragraph of its own."""
        return f"\n\n{text.strip()}\n\n"

    def convert_iframe(self, el: Any, text: str, parent_tags: Any) -> str:
        src = el.attrs.get("src") or ""
        title = el.attrs.get("title") or ""
        if not src:
            return ""
        return f'\n\n<iframe src="{escape(src)}" title="{escape(title)}"></iframe>\n\n'


def autop(html: str) -> str:
    """Paragraphs from blank lines, as WordPress makes them when it shows a post."""
    kept: list[str] = []

    def keep(match: re.Match[str]) -> str:
        kept.append(match.group(0))
        return f"\n\nWPPRE{len(kept) - 1}X\n\n"

    html = PRE_RE.sub(keep, html.replace("\r\n", "\n").replace("\r", "\n"))
    blocks = []
    for block in re.split(r"\n[ \t]*\n", html):
        block = block.strip()
        if not block:
            continue
        pre = re.fullmatch(r"WPPRE(\d+)X", block)
        if pre:
            blocks.append(kept[int(pre.group(1))])
        elif BLOCK_START_RE.match(block):
            blocks.append(block)
        else:
            blocks.append("<p>" + re.sub(r"(?<!>)\n", "<br>\n", block) + "</p>")
    return "\n\n".join(blocks)


@dataclass
class BodyConverter:
    """Converts the bodies of one import run. ``want_text``: also the body's plain text (for a
    description when the post has no excerpt)."""

    policy: MarkupPolicy
    embed_hosts: tuple[str, ...] = ()
    # lxml's HTML parser (already pinned for the feeds) is several times faster than Python's.
    markdown: HubMarkdown = field(
        default_factory=lambda: HubMarkdown(
            heading_style="ATX", bullets="-", strong_em_symbol="*", bs4_options="lxml"
        )
    )

    def convert(
        self,
        html: str,
        pictures: PostPictures | None,
        alt_for: Any,
        attachment: Any = lambda _id: None,
        attached: Any = list,
        excerpt_mark: bool = True,
        want_text: bool = True,
    ) -> Converted:
        findings: list[Finding] = []
        tokens: list[tuple[str, Finding | None]] = []

        def token(replacement: str, finding: Finding | None) -> str:
            tokens.append((replacement, finding))
            return f"WPTOKEN{len(tokens) - 1}X"

        original = html
        html = GUTENBERG_RE.sub("", html)
        html = WP_MORE_RE.sub(lambda _m: "\n\n" + token(MORE, None) + "\n\n", html, count=1)
        html = WP_MORE_RE.sub("", html)

        def marker(leftover: shortcodes.Leftover) -> str:
            ticks = "``" if "`" in leftover.text else "`"
            return token(
                f"{ticks}{leftover.text}{ticks}",
                Finding(
                    "WP010",
                    f"the shortcode [{leftover.name}] could not be converted and is shown as typed",
                    "rewrite it as Markdown (a link, a picture or plain text), or remove it",
                ),
            )

        context = shortcodes.ShortcodeContext(
            attachment=attachment,
            attached=attached,
            embeddable=lambda url: embed_host(url, self.embed_hosts) is not None,
            marker=marker,
        )
        html, _ = shortcodes.convert(html, context)
        html = shortcodes.bare_video_links(html, context)
        html = autop(html)
        html = self._pictures(html, pictures, alt_for, token)
        clean = self.policy.sanitize(html)
        for change in changes(html, clean) if clean != html else ():
            code, message, hint = describe(change, self.embed_hosts)
            findings.append(
                Finding(
                    "WP020",
                    f"removed from the post: {message} ({code})",
                    "check the post still says what it meant; " + hint,
                    offset=_offset_of(original, change.tag, change.name),
                )
            )
        markdown = self.markdown.convert(clean)
        markdown = re.sub(r"\n{3,}", "\n\n", markdown).strip() + "\n"
        text = parse_fragment(clean).text(separator=" ") if want_text and clean.strip() else ""
        if excerpt_mark and not _has_more(markdown, tokens):
            markdown = _insert_more(markdown)
        markdown, placed = _place_tokens(markdown, tokens)
        text = re.sub(r"\s+", " ", TOKEN_RE.sub(" ", text)).strip()
        return Converted(markdown, text, findings + placed)

    def _pictures(self, html: str, pictures: PostPictures | None, alt_for: Any, token: Any) -> str:
        if "<img" not in html.lower():
            return html
        tree = parse_fragment(f"<div>{html}</div>")
        holder = tree.css_first("div")
        assert holder is not None
        for link in holder.css("a"):
            children = [c for c in link.iter() if c.tag != "-text" or (c.text() or "").strip()]
            href = link.attributes.get("href") or ""
            if len(children) == 1 and children[0].tag == "img" and uploads_path(href):
                link.unwrap()
        for img in holder.css("img"):
            src = (img.attributes.get("src") or "").strip()
            alt = img.attributes.get("alt")
            if alt is None or not alt.strip():
                alt = alt_for(src) or alt or ""
            try:
                if pictures is None:
                    raise PictureError("pictures are not imported in responses")
                path = pictures.add(src)
            except PictureError as exc:
                label = alt.strip() or src.rsplit("/", 1)[-1] or "picture"
                fallback = f"[Picture: {_md_text(label)}]({src})" if src.startswith("http") else ""
                img.replace_with(
                    token(
                        fallback or f"Picture: {_md_text(label)}",
                        Finding(
                            "WP030",
                            f"a picture could not be brought across: {exc}",
                            "put the picture in the post's folder and show it with ![alt text](folder/picture.jpg)",
                        ),
                    )
                )
                continue
            img.attrs["src"] = path
            img.attrs["alt"] = alt
            for name in ("width", "height", "class", "srcset", "sizes", "title"):
                if name in img.attributes:
                    del img.attrs[name]
        return holder.inner_html or ""


def _md_text(text: str) -> str:
    return TEXT_ESCAPES.sub(r"\\\1", escape(unescape(text), quote=False))


def _offset_of(original: str, tag: str, name: str) -> int:
    needle = re.compile(rf"<{re.escape(tag)}\b" if tag else re.escape(name), re.I)
    found = needle.search(original)
    if found and name:
        attribute = re.compile(rf"\b{re.escape(name)}\s*=", re.I).search(original, found.start())
        return attribute.start() if attribute else found.start()
    return found.start() if found else 0


def _has_more(markdown: str, tokens: list[tuple[str, Finding | None]]) -> bool:
    return any(
        replacement == MORE and f"WPTOKEN{index}X" in markdown
        for index, (replacement, _f) in enumerate(tokens)
    )


def _insert_more(markdown: str) -> str:
    """The excerpt mark after the first paragraph (a block of text, not a heading or picture)."""
    blocks = markdown.strip().split("\n\n")
    for index, block in enumerate(blocks):
        if (block and not block.startswith(("#", "![", "<", "WPTOKEN"))) or index == len(
            blocks
        ) - 1:
            blocks.insert(index + 1, MORE)
            break
    return "\n\n".join(blocks) + "\n"


def _place_tokens(
    markdown: str, tokens: list[tuple[str, Finding | None]]
) -> tuple[str, list[Finding]]:
    placed: list[Finding] = []
    lines = markdown.split("\n")
    for number, line in enumerate(lines, start=1):
        if "WPTOKEN" not in line:
            continue
        out = []
        position = 0
        for match in TOKEN_RE.finditer(line):
            out.append(line[position : match.start()])
            replacement, finding = tokens[int(match.group(1))]
            col = len("".join(out)) + 1
            if finding is not None:
                placed.append(
                    Finding(finding.code, finding.message, finding.hint, line=number, col=col)
                )
            out.append(replacement)
            position = match.end()
        out.append(line[position:])
        lines[number - 1] = "".join(out)
    return "\n".join(lines), placed
