"""What the markup policy would remove from a post, said to the officer who wrote it.

Each change sanitizing would make to the rendered post (``rendered_body``) becomes one problem at
the line it was written on, in plain words, with what to write instead. The built-site check uses
the same words for anything that reached a built page.

| code    | meaning |
| ------- | ------- |
| HTML001 | a ``<script>`` element |
| HTML002 | a ``<style>`` element |
| HTML003 | a form, or a form's fields and buttons |
| HTML004 | an embedded frame or object whose address is not an https address on a host listed in ``embed_hosts`` (mkdocs.yml, ``extra: hub:``; empty by default). A listed host also allows its subdomains. |
| HTML005 | an event-handler attribute (``onclick=``, ``onerror=``, any ``on…=``), in raw HTML or in an attribute list such as ``{: onclick="…" }`` |
| HTML006 | a link whose address is not a web page, an e-mail address or a phone number (``javascript:``, ``data:``, ``vbscript:`` and the like) |
| HTML007 | an HTML element posts cannot use (``<base>``, ``<meta>``, ``<link>``, ``<svg>``, ``<video>``, ``<noscript>``…) |
| HTML008 | an attribute posts cannot use (``style``, ``srcset``, ``ping``, ``target``…) |
| HTML009 | a class name posts cannot use (in ``{ .name }`` or an admonition type the theme does not have) |
| HTML010 | an id the site uses itself, or one that is not letters, digits and hyphens |
| HTML011 | an attribute value the site does not accept (a width that is not a number, a style other than a table column's alignment…) |
"""

from __future__ import annotations

from collections.abc import Iterable

from socialcouncils.policy.html_changes import ATTRIBUTE, CLASS, ELEMENT, Change
from socialcouncils.policy.markup_policy import ADMONITION_TYPES, ATTRIBUTES, RESERVED_IDS

MARKUP_CODES: dict[str, str] = {
    "HTML001": "a <script> element",
    "HTML002": "a <style> element",
    "HTML003": "a form, or a form's fields or buttons",
    "HTML004": "an embedded frame or object from a host not on the allow-list",
    "HTML005": "an event-handler attribute (on...=)",
    "HTML006": "a link to an address that is not a web page, e-mail or phone number",
    "HTML007": "an HTML element posts cannot use",
    "HTML008": "an attribute posts cannot use",
    "HTML009": "a class name posts cannot use",
    "HTML010": "an id the site uses itself, or an id that is not letters, digits and hyphens",
    "HTML011": "an attribute value the site does not accept",
}

FORM_TAGS = frozenset({"form", "input", "button", "select", "textarea", "option", "label"})
EMBED_TAGS = frozenset({"iframe", "frame", "frameset", "embed", "object", "applet"})
MEDIA_TAGS = frozenset({"video", "audio", "source", "picture", "track", "svg", "canvas", "image"})
PICTURE_HINT = "save the picture in the post's folder and add it in Markdown: ![What it shows](my-post/photo.jpg)"
ELEMENT_HINTS = {
    "base": "remove it: it would send every link on the page to another website",
    "meta": "remove it: the site writes the page's settings itself",
    "link": "remove it: the site's own styles apply to every post",
}
ATTRIBUTE_HINTS = {
    "style": 'remove style="…": the site\'s own styles apply to every post',
    "srcset": PICTURE_HINT,
    "poster": PICTURE_HINT,
    "ping": 'remove ping="…": it tells another website each time a reader follows the link',
    "target": 'remove target="…": links open where the reader chooses',
}


def is_image_address(change: Change) -> bool:
    """A picture's address that sanitizing removes: the picture checks report it (IMG004)."""
    return change.kind == ATTRIBUTE and change.tag == "img" and change.name == "src"


def describe(change: Change, embed_hosts: Iterable[str] = ()) -> tuple[str, str, str]:
    """(code, message, hint) for one change, in words an officer can act on."""
    if change.kind == ELEMENT:
        return _element(change.tag)
    if change.kind == CLASS:
        return _class(change)
    return _attribute(change, tuple(embed_hosts))


def _element(tag: str) -> tuple[str, str, str]:
    if tag == "script":
        return (
            "HTML001",
            "<script> is not allowed in a post: it would run code in every reader's browser",
            "remove it; to show code as text, put it in a fenced code block (``` lines)",
        )
    if tag == "style":
        return (
            "HTML002",
            "<style> is not allowed in a post: it can change or hide any part of the page",
            "remove it; the site's own styles apply to every post",
        )
    if tag in FORM_TAGS:
        return (
            "HTML003",
            f"<{tag}> is not allowed in a post: a form could send readers' details anywhere",
            "link to the form on your council's website instead",
        )
    if tag in EMBED_TAGS:
        return _embed(tag, "")
    hint = ELEMENT_HINTS.get(tag)
    if hint is None:
        hint = (
            PICTURE_HINT + ", or link to the video or sound file"
            if tag in MEDIA_TAGS
            else "remove it, or write the same thing in Markdown (CONTRIBUTING.md shows how)"
        )
    return ("HTML007", f"<{tag}> is not allowed in a post, so the site removes it", hint)


def _embed(tag: str, address: str) -> tuple[str, str, str]:
    where = f" from {address[:80]}" if address else ""
    return (
        "HTML004",
        f"<{tag}>{where} is not allowed: only https addresses on hosts the editors have approved can be embedded",
        "link to it instead, or ask the editors to add the host to 'embed_hosts' in mkdocs.yml",
    )


def _class(change: Change) -> tuple[str, str, str]:
    if change.tag in ("div", "details") and change.name not in ADMONITION_TYPES:
        return (
            "HTML009",
            f"'{change.name}' is not a kind of note the site has, so it would show as a plain note",
            f"use one of: {', '.join(sorted(ADMONITION_TYPES))}",
        )
    return (
        "HTML009",
        f"the class '{change.name}' is not one posts can use, so the site removes it",
        "remove it; to mark a picture that only decorates, use { .decorative }",
    )


def _attribute(change: Change, embed_hosts: tuple[str, ...]) -> tuple[str, str, str]:
    name, tag = change.name, change.tag
    if name.lower().startswith("on"):
        return (
            "HTML005",
            f"the '{name}' attribute runs code in readers' browsers",
            f'remove {name}="…"; posts cannot run code',
        )
    if tag in EMBED_TAGS:
        return _embed(tag, change.value)
    if name == "href":
        return (
            "HTML006",
            f"the link to '{change.value[:80]}' is not a web page, an e-mail address or a phone number, so the site removes it",
            "link to a web page with an address starting with https://",
        )
    if name == "id":
        why = (
            "used by the site itself"
            if change.value in RESERVED_IDS
            else "not a word of letters and digits"
        )
        return (
            "HTML010",
            f"the id '{change.value}' is {why}",
            "choose another id, made of letters, digits and hyphens, e.g. { #my-section }",
        )
    allowed = ATTRIBUTES.get(tag, frozenset()) | ATTRIBUTES["*"]
    if name in allowed:
        return (
            "HTML011",
            f"'{name}=\"{change.value[:60]}\"' on <{tag}> is not a value the site accepts",
            ATTRIBUTE_HINTS.get(
                name, 'width and height are numbers of pixels, e.g. { width="600" }'
            ),
        )
    return (
        "HTML008",
        f"the '{name}' attribute is not allowed on <{tag}>, so the site removes it",
        ATTRIBUTE_HINTS.get(name, f'remove {name}="…"'),
    )
