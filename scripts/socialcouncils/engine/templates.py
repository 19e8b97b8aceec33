"""How the theme's page templates are compiled: once for the life of the process, and, where the
site asks for lighter pages, without their indentation.

The site engine makes a new template environment for every build, which compiles every template
it uses again: about seventy for this site's theme. A live preview builds again on every save, so
the hooks give each environment a cache of compiled templates. Jinja checks each compiled template
against its template's source before using it, so a template that changed is compiled afresh.

The indentation of the templates' HTML is most of the white space in a built page, repeated on
every page (the menu alone is a few hundred indented lines). ``CompactTemplates`` takes it out of
each template's text before the template is compiled (``slim.compact_html``), so that no page
carries it and no page costs anything to compact.
"""

from __future__ import annotations

from jinja2 import BytecodeCache, TemplateSyntaxError
from jinja2.bccache import Bucket
from jinja2.environment import Environment
from jinja2.ext import Extension

from socialcouncils.site.slim import compact_html


class MemoryBytecodeCache(BytecodeCache):
    """Jinja's compiled templates, in this process's memory."""

    def __init__(self) -> None:
        self._compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        compiled = self._compiled.get(bucket.key)
        if compiled is not None:
            bucket.bytecode_from_string(compiled)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._compiled[bucket.key] = bucket.bytecode_to_string()


# One cache for templates compiled as they are and one for compacted templates: the same source
# compiles to a different template in each.
_COMPILED: dict[bool, MemoryBytecodeCache] = {}


def compiled_templates(compact: bool) -> MemoryBytecodeCache:
    """The process's compiled templates, compacted (``CompactTemplates``) or not."""
    return _COMPILED.setdefault(compact, MemoryBytecodeCache())


class CompactTemplates(Extension):
    """Compiles each HTML template without the indentation of its HTML.

    Only the template's text changes, never its Jinja code: if taking out the indentation would
    change any of the template's tags or expressions (a string written over several lines, say),
    the template is compiled as it is. Each line break stays, so that a template's errors still
    name the right line.
    """

    def preprocess(self, source: str, name: str | None, filename: str | None = None) -> str:
        if not (name or "").endswith(".html"):
            return source
        compacted = compact_html(source)
        try:
            same_code = _code(self.environment, compacted) == _code(self.environment, source)
        except TemplateSyntaxError:  # Jinja reports it when it compiles the source as it is
            return source
        return compacted if same_code else source


def _code(environment: Environment, source: str) -> list[tuple[int, str, str]]:
    """The template's tokens other than its text, its comments and the white space in its tags
    (the end of a tag such as ``-%}`` holds the white space it strips)."""
    return [
        (line, kind, value.strip() if kind.endswith(("_begin", "_end")) else value)
        for line, kind, value in environment.lex(source)
        if kind not in ("data", "whitespace", "comment")
    ]
