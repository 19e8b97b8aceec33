"""Templates: compiled once for the process, and compiled without the indentation of their HTML."""

from __future__ import annotations

from typing import Any

import pytest
from jinja2 import DictLoader, Environment, TemplateSyntaxError

from socialcouncils.engine.templates import (
    CompactTemplates,
    MemoryBytecodeCache,
    compiled_templates,
)


class CountingEnvironment(Environment):
    """A template environment that counts the templates it compiles."""

    compiled = 0

    def compile(self, *args: Any, **kwargs: Any) -> Any:
        CountingEnvironment.compiled += 1
        return super().compile(*args, **kwargs)


def test_compiled_templates_are_reused_until_their_source_changes() -> None:
    cache = MemoryBytecodeCache()
    templates = {"page.html": "Posts from {{ council }}"}

    def build() -> str:
        # A new environment for every build, as the site engine makes.
        env = CountingEnvironment(loader=DictLoader(templates), bytecode_cache=cache)
        return env.get_template("page.html").render(council="Leeds")

    CountingEnvironment.compiled = 0
    assert build() == "Posts from Leeds"
    assert build() == "Posts from Leeds"
    assert CountingEnvironment.compiled == 1
    templates["page.html"] = "News from {{ council }}"
    assert build() == "News from Leeds"
    assert CountingEnvironment.compiled == 2
    # Without the cache every build compiles again.
    plain = CountingEnvironment(loader=DictLoader(templates))
    plain.get_template("page.html")
    assert CountingEnvironment.compiled == 3


def compact(templates: dict[str, str]) -> Environment:
    return Environment(loader=DictLoader(templates), extensions=[CompactTemplates])


def test_compacted_templates_render_without_indentation() -> None:
    env = compact(
        {
            "page.html": (
                "<ul>\n  {% for name in names %}\n    <li>{{ name }}</li>\n  {% endfor %}\n</ul>\n"
                "<pre>\n  kept\n</pre>"
            )
        }
    )
    assert env.get_template("page.html").render(names=["Leeds", "Coventry"]) == (
        "<ul>\n\n<li>Leeds</li>\n\n<li>Coventry</li>\n\n</ul>\n<pre>\n  kept\n</pre>"
    )


def test_only_html_templates_are_compacted() -> None:
    env = compact({"feed.xml": "<a>\n  {{ x }}\n</a>"})
    assert env.get_template("feed.xml").render(x=1) == "<a>\n  1\n</a>"


def test_a_template_whose_code_would_change_is_compiled_as_it_is() -> None:
    # The string spans lines: taking out its indentation would change what the page says.
    source = '<p>\n  {{ "one\n    two" }}\n</p>'
    env = compact({"page.html": source})
    assert env.get_template("page.html").render() == "<p>\n  one\n    two\n</p>"


def test_a_compacted_template_s_errors_name_its_own_line() -> None:
    templates = {"page.html": "<div>\n\n    <p>\n      {{ x | no_such_filter }}\n    </p>\n</div>"}
    for env in (compact(templates), Environment(loader=DictLoader(templates))):
        with pytest.raises(TemplateSyntaxError) as error:
            env.get_template("page.html")
        assert error.value.lineno == 4


def test_compacted_and_plain_templates_are_cached_apart() -> None:
    templates = {"page.html": "<p>\n  {{ x }}\n</p>"}
    plain = Environment(loader=DictLoader(templates), bytecode_cache=compiled_templates(False))
    assert plain.get_template("page.html").render(x=1) == "<p>\n  1\n</p>"
    compacted = Environment(
        loader=DictLoader(templates),
        bytecode_cache=compiled_templates(True),
        extensions=[CompactTemplates],
    )
    assert compacted.get_template("page.html").render(x=1) == "<p>\n1\n</p>"
    plain_again = Environment(
        loader=DictLoader(templates), bytecode_cache=compiled_templates(False)
    )
    assert plain_again.get_template("page.html").render(x=1) == "<p>\n  1\n</p>"
