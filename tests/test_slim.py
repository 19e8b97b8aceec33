"""Lighter pages: trimming the theme's CSS and compacting HTML, on small inputs and on the site."""

from __future__ import annotations

import re
from pathlib import Path

import tinycss2
from hypothesis import given
from hypothesis import strategies as st

from socialcouncils.site.slim import Usage, compact_html, trim_stylesheet


def usage(html: str = "", script: str = "") -> Usage:
    found = Usage()
    found.add_html(html)
    found.add_script(script)
    return found


def test_compact_html_drops_indentation_but_keeps_each_line_break() -> None:
    html = '<ul>\n    <li>\n      <a href="x">One</a>  \n\n    </li>\n</ul>\n<p>a\n   b</p>'
    assert compact_html(html) == '<ul>\n<li>\n<a href="x">One</a>\n\n</li>\n</ul>\n<p>a\nb</p>'


def test_compact_html_keeps_white_space_that_shows() -> None:
    # A no-break space is text, not HTML's white space.
    assert compact_html("<p>\n  \xa0 x</p>") == "<p>\n\xa0 x</p>"


def test_compact_html_leaves_preformatted_text_alone() -> None:
    kept = [
        "<pre><code>def f():\n    return 1\n</code></pre>",
        "<p>say <code>a\n    b</code></p>",
        "<textarea>\n   typed\n</textarea>",
        '<script id="x" type="application/json">\n  {"a": "b\n   c"}\n</script>',
        "<style>\n  a { color: red }\n</style>",
        "<kbd>Ctrl\n   C</kbd>",
    ]
    for html in kept:
        assert compact_html("<div>\n   " + html + "\n   </div>") == "<div>\n" + html + "\n</div>"


def test_compact_html_keeps_spaces_within_a_line() -> None:
    html = "<p>By <a>Jo</a>,  role · <time>1 May</time></p>"
    assert compact_html(html) == html


# compact_html by another route: outside the kept elements, every line stripped of HTML's white
# space at both ends, with its line break kept.
KEPT = re.compile(r"<(pre|code|kbd|textarea|script|style)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)


def compacted_line_by_line(html: str) -> str:
    pieces, end = [], 0
    for kept in KEPT.finditer(html):
        pieces += [strip_lines(html[end : kept.start()]), kept.group(0)]
        end = kept.end()
    return "".join([*pieces, strip_lines(html[end:])])


def strip_lines(text: str) -> str:
    lines = text.split("\n")
    if len(lines) == 1:
        return text
    inner = [line.strip(" \t\r\f") for line in lines[1:-1]]
    first, last = lines[0].rstrip(" \t\r\f"), lines[-1].lstrip(" \t\r\f")
    return "\n".join([first, *inner, last])


HTML_PIECES = [
    *" \t\r\f\n\v\xa0ab<>/",
    "<pre>",
    "</pre>",
    "<CODE x>",
    "</code >",
    "<script>",
    "</script\n>",
]


@given(st.lists(st.sampled_from(HTML_PIECES)))
def test_compact_html_strips_each_line_outside_kept_elements(pieces: list[str]) -> None:
    html = "".join(pieces)
    assert compact_html(html) == compacted_line_by_line(html)


def rules(css: str) -> list[str]:
    return [
        tinycss2.serialize(r.prelude).strip()
        for r in tinycss2.parse_stylesheet(css, skip_whitespace=True)
        if r.type == "qualified-rule"
    ]


def test_rules_for_unused_classes_go() -> None:
    css = ".used{a:b}.unused{a:b}.used .unused{a:b}.other .used>p{a:b}.md-typeset p{a:b}"
    trimmed = trim_stylesheet(css, usage('<div class="used other">'))
    assert rules(trimmed) == [".used", ".other .used>p"]


def test_only_the_unused_selectors_of_a_rule_go() -> None:
    trimmed = trim_stylesheet(".a,.b,p{color:red}", usage('<p class="a">'))
    assert trimmed == ".a,p{color:red}"


def test_classes_named_in_scripts_are_kept() -> None:
    css = ".md-search-result__item{a:b}.never{a:b}"
    trimmed = trim_stylesheet(css, usage(script='el.classList.add("md-search-result__item")'))
    assert rules(trimmed) == [".md-search-result__item"]


def test_selectors_inside_functions_are_not_judged() -> None:
    css = "a:not(.nowhere){a:b}:is(.nowhere,.elsewhere) p{a:b}"
    assert trim_stylesheet(css, usage()) == css


def test_exact_attribute_values_must_be_used() -> None:
    css = (
        "[dir=rtl] .x{a:b}[data-md-color-scheme=slate]{a:b}"
        '[data-md-color-primary="custom"]{a:b}[data-x^=y]{a:b}[hidden]{a:b}'
    )
    html = '<body dir="ltr" data-md-color-scheme="default" data-md-color-primary="custom">'
    html += '<input class="x" data-md-color-scheme="slate">'
    assert rules(trim_stylesheet(css, usage(html))) == [
        "[data-md-color-scheme=slate]",
        '[data-md-color-primary="custom"]',
        "[data-x^=y]",
        "[hidden]",
    ]


def test_at_rules_are_trimmed_inside_and_dropped_when_empty() -> None:
    css = (
        "@media screen{.a{a:b}.gone{a:b}}@media print{.gone{a:b}}"
        "@font-face{font-family:x}@keyframes spin{0%{a:b}}:root{--x:1}"
    )
    trimmed = trim_stylesheet(css, usage('<i class="a">'))
    assert (
        trimmed
        == "@media screen{.a{a:b}}@font-face{font-family:x}@keyframes spin{0%{a:b}}:root{--x:1}"
    )


def test_the_built_site_is_trimmed_and_compact(built_site: Path) -> None:
    import material

    theme = Path(material.__file__).parent / "templates" / "assets" / "stylesheets"
    for name in ("main", "palette"):
        (original,) = theme.glob(f"{name}.*.min.css")
        built = built_site / "assets" / "stylesheets" / original.name
        assert built.stat().st_size < 0.8 * original.stat().st_size, name
    # No built page carries the templates' indentation (outside the elements whose white space
    # shows): not around the page's content, the header and menus before it and the footer after
    # it, nor in the lists of posts the tags plugin renders into the tag pages.
    pages = list(built_site.rglob("*.html"))
    assert len(pages) > 40
    for path in pages:
        page = KEPT.sub("", path.read_text(encoding="utf-8"))
        before, content = re.split(r'<div class="md-content[" ]', page, maxsplit=1)
        after = content.split('<footer class="md-footer">')[1]
        assert not re.search(r"\n[ \t]", before + after), path
        if path.parent.parent.name == "tags":
            assert not re.search(r"\n[ \t]", content), path
