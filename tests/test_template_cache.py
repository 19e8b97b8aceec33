"""Compiled templates are kept between builds in one process, and compiled again when changed."""

from __future__ import annotations

from typing import Any

from jinja2 import DictLoader, Environment

from socialcouncils.template_cache import MemoryBytecodeCache


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
