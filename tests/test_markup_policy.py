"""The one allow-list and the check that reports what it removes.

Unit tests pin the policy's rules (addresses, ids, embeds); property tests feed generated HTML
through the post check and the sanitizer: whatever the check accepts, the sanitizer leaves
unchanged, and whatever the sanitizer changes, the check reports at a line of the post.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from socialcouncils.content.markdown_render import MarkdownSettings, markdown_for
from socialcouncils.content.rendered_body import BodyReader
from socialcouncils.policy.html_changes import changes, normalized
from socialcouncils.policy.markup_policy import (
    ATTRIBUTES,
    ELEMENTS,
    MarkupPolicy,
    embed_host,
    embed_placeholders,
    local_address,
    usable_id,
)
from socialcouncils.source.project import load_project

from conftest import REPO

PROJECT = load_project(REPO / "mkdocs.yml")
SETTINGS = MarkdownSettings.from_config(PROJECT.markdown_extensions)
POLICY = MarkupPolicy(("youtube-nocookie.com",))
READER = BodyReader(SETTINGS, POLICY)


@pytest.mark.parametrize(
    ("url", "local"),
    [
        ("pier.png", True),
        ("my-post/pier.png", True),
        ("../pier.png", True),
        ("/blog/pier.png", True),
        ("pier.png#x", True),
        ("https://example.org/pier.png", False),
        ("//example.org/pier.png", False),
        ("\\\\example.org\\pier.png", False),
        ("/\\example.org/pier.png", False),
        (" //example.org/pier.png", False),
        ("\t//example.org/pier.png", False),
        ("/\t/example.org/pier.png", False),
        ("data:image/png;base64,AAAA", False),
        ("javascript:alert(1)", False),
        ("HTTPS://example.org/x.png", False),
    ],
)
def test_a_picture_address_is_local_only_when_browsers_fetch_it_from_this_site(
    url: str, local: bool
) -> None:
    assert local_address(url) is local
    kept = POLICY.sanitize(f'<img src="{url}" alt="A pier">')
    assert ("src=" in kept) is local


def test_only_https_frames_on_a_listed_host_or_its_subdomains_are_embedded() -> None:
    hosts = ("youtube-nocookie.com",)
    assert (
        embed_host("https://www.youtube-nocookie.com/embed/x", hosts) == "www.youtube-nocookie.com"
    )
    assert embed_host("https://youtube-nocookie.com/embed/x", hosts) == "youtube-nocookie.com"
    for url in (
        "http://www.youtube-nocookie.com/embed/x",
        "https://youtube-nocookie.com.evil.example/x",
        "https://evilyoutube-nocookie.com/x",
        "https://evil.example/?u=youtube-nocookie.com",
        "https://youtube-nocookie.com\\@evil.example/",
    ):
        assert embed_host(url, hosts) is None, url


def test_an_embed_loads_only_when_the_reader_asks() -> None:
    frame = '<iframe src="https://www.youtube-nocookie.com/embed/x" title="A talk"></iframe>'
    html = embed_placeholders(POLICY.sanitize(frame))
    assert "<iframe" not in html
    assert 'data-hub-embed-src="https://www.youtube-nocookie.com/embed/x"' in html
    assert "Show “A talk”" in html and 'href="https://www.youtube-nocookie.com/embed/x"' in html
    assert (
        embed_placeholders(POLICY.sanitize('<iframe src="https://evil.example/"></iframe>')) == ""
    )
    hostile_title = frame.replace("A talk", '"><img src=x onerror=alert(1)>')
    assert "<img" not in embed_placeholders(POLICY.sanitize(hostile_title))


@pytest.mark.parametrize(
    ("value", "usable"),
    [
        ("results", True),
        ("fn:1", True),
        ("fnref2:1", True),
        ("__config", False),
        ("_x", False),
        ("comments", False),
        ("related-posts", False),
        ("Results", True),
        ("-x", False),
        ("a b", False),
        # The tags plugin's mark for where its list goes, which it replaces after sanitizing.
        ("tags/index.md:49-71/slug", True),
        ("tags/index.md/slug", False),
        ("../x.md:1-2/name", False),
    ],
)
def test_ids_never_take_the_place_of_the_themes_or_the_hubs(value: str, usable: bool) -> None:
    assert usable_id(value) is usable


@pytest.mark.parametrize(
    "payload",
    [
        '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></p></noscript>',
        "<!--><img src=x onerror=alert(1)>-->",
        "<svg><animate attributeName=href values=javascript:alert(1) /><a><text>x</text></a></svg>",
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
        '<a href="jav&#x09;ascript:alert(1)">x</a>',
        "<template><img src=x onerror=alert(1)></template>",
        "<xmp><img src=x onerror=alert(1)></xmp>",
        '<form><button formaction="javascript:alert(1)">x</button></form>',
        '<p style="position:fixed;top:0">x</p>',
        "<base href=//evil.example/>",
    ],
)
def test_known_attacks_leave_nothing_that_runs(payload: str) -> None:
    clean = POLICY.sanitize(payload)
    tree = normalized(clean)
    assert not re.search(r"<(script|style|svg|math|base|form|button|iframe|noscript)", tree)
    assert not re.search(r"\son\w+=|javascript:|style=", tree)
    assert changes(payload, clean), "the check must see that something was removed"


def test_everything_the_enabled_extensions_write_is_allowed() -> None:
    """The site's own Markdown never trips the policy: a post using every extension renders to
    HTML that sanitizing leaves as it is."""
    body = "\n".join(
        [
            "## A heading { #my-heading }",
            "",
            "Text with a footnote[^1], another[^Note], an HTML abbreviation, `code` and **bold**"
            " _words_.",
            "",
            "*[HTML]: Hyper Text Markup Language",
            "",
            "Term",
            ":   Definition",
            "",
            '!!! warning "Careful"',
            "    An admonition.",
            "",
            '??? tip "Open me"',
            "    A collapsible block.",
            "",
            "```python",
            "print('<b>hi</b>')",
            "```",
            "",
            '``` {.python linenums="1" hl_lines="2" title="hello.py"}',
            "print('hello')",
            "print('again')",
            "```",
            "",
            "| Left | Right | Centre |",
            "| :--- | ---: | :---: |",
            "| a | b | c |",
            "",
            '<div markdown="1">',
            "**bold** in a block",
            "</div>",
            "",
            '![A pier](pier.png){ width="600" loading="lazy" }',
            "![](divider.png){ .decorative }",
            "",
            '[A link](https://example.org "Its title") and <https://example.org> and '
            "<mailto:editors@example.org>.",
            "",
            "> A quote",
            "",
            "1. One",
            "2. Two",
            "",
            "[^1]: The footnote.",
            "[^Note]: A footnote with a label in capitals.",
        ]
    )
    html = markdown_for(SETTINGS).convert(body)
    assert changes(html, POLICY.sanitize(html)) == []
    assert READER.read(body, 1).markup == []


TAGS = [*sorted(ELEMENTS), "script", "style", "svg", "math", "noscript", "template", "iframe"]
TAGS += ["object", "form", "input", "base", "meta", "link", "video", "source", "textarea"]
NAMES = sorted({n for names in ATTRIBUTES.values() for n in names})
NAMES += ["onclick", "onerror", "style", "srcset", "poster", "ping", "formaction", "class", "name"]
VALUES = [
    "pier.png",
    "https://example.org/x.png",
    "//example.org/x",
    "javascript:alert(1)",
    "jav&#x61;script:alert(1)",
    "data:text/html,x",
    "__config",
    "comments",
    "my-id",
    "admonition note",
    "md-button",
    "decorative",
    "600",
    "text-align: left;",
    "color: red",
    '"><img src=x onerror=alert(1)>',
    "https://www.youtube-nocookie.com/embed/x",
]
TEXT = st.text(alphabet="ab <>&\"'/=-!", max_size=8)


def element(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    attribute = st.tuples(st.sampled_from(NAMES), st.sampled_from(VALUES)).map(
        lambda pair: f' {pair[0]}="{pair[1]}"'
    )
    return st.builds(
        lambda tag, attrs, inner: f"<{tag}{''.join(attrs)}>{''.join(inner)}</{tag}>",
        st.sampled_from(TAGS),
        st.lists(attribute, max_size=3),
        st.lists(children, max_size=3),
    )


FRAGMENTS = st.recursive(TEXT, element, max_leaves=8)
HYPOTHESIS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@HYPOTHESIS
@given(st.lists(FRAGMENTS, min_size=1, max_size=4))
def test_whatever_the_check_accepts_the_sanitizer_leaves_unchanged(parts: list[str]) -> None:
    body = "\n\n".join(parts) + "\n"
    reading = READER.read(body, first_line=10)
    html, _ = READER.render(body)
    clean = POLICY.sanitize(html)
    if not reading.markup and not any(_remote_or_missing(i.src) for i in reading.images):
        assert normalized(html) == normalized(clean)
    lines = body.count("\n")
    for finding in reading.markup:
        assert 10 <= finding.spot.line < 10 + lines, finding


def _remote_or_missing(src: str) -> bool:
    return not src or not local_address(src)


@HYPOTHESIS
@given(FRAGMENTS)
def test_sanitizing_twice_changes_nothing_more(fragment: str) -> None:
    once = POLICY.sanitize(fragment)
    assert normalized(POLICY.sanitize(once)) == normalized(once)
    assert changes(once, POLICY.sanitize(once)) == []
