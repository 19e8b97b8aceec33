"""The section of a post page that shows its archived responses (``responses``), closed.

Each response's text is Markdown rendered by the site's own Markdown with the markup policy as
its last step, exactly as a post body is (``markdown_render.markdown_for``); names, titles and
addresses are escaped as text. The section goes on the post page only, after the page has been
indexed for search and after its body was kept for the feeds: strangers' words and names from
years ago are not what a search for the site's posts, a feed item or an excerpt should carry.
"""

from __future__ import annotations

import datetime as dt
from html import escape

from socialcouncils.content.markdown_render import MarkdownSettings, markdown_for
from socialcouncils.content.responses import ArchivedResponses, Pingback, Response
from socialcouncils.pages.hub_pages import long_date
from socialcouncils.policy.markup_policy import MarkupPolicy

HEADING = "Responses on the original blog"
NOTE = (
    "These responses were left on the original blog before the post moved here."
    " They are closed to new replies."
)
NO_NAME = "A reader"
SECTION_ID = "responses"


def when(value: dt.date | None) -> str:
    """A response's date as a ``<time>``, with the hour when the archive gives one."""
    if value is None:
        return '<span class="hub-response__date">undated</span>'
    shown = long_date(value)
    if isinstance(value, dt.datetime):
        hour = value.hour % 12 or 12
        shown += f" at {hour}:{value.minute:02d}{'am' if value.hour < 12 else 'pm'}"
    return f'<time datetime="{escape(value.isoformat())}">{shown}</time>'


class ResponsesSection:
    """Renders archived responses with the site's Markdown and markup policy."""

    def __init__(self, settings: MarkdownSettings, policy: MarkupPolicy) -> None:
        self.md = markdown_for(settings, policy)

    def text(self, markdown: str) -> str:
        self.md.reset()
        return self.md.convert(markdown)

    def html(self, archived: ArchivedResponses | None) -> str:
        """The section, or "" when there is nothing to show."""
        if archived is None or not archived.shown_to_readers:
            return ""
        parts = [
            f'<section class="hub-responses" aria-labelledby="{SECTION_ID}">',
            f'<h2 id="{SECTION_ID}">{HEADING}</h2>',
            f'<p class="hub-responses__note">{NOTE}</p>',
        ]
        if archived.responses:
            parts.append(self.responses(archived.responses, "hub-responses__list"))
        if archived.pingbacks:
            parts.append("<h3>Linked from</h3>")
            parts.append(
                '<ul class="hub-responses__links">'
                + "".join(self.pingback(p) for p in archived.pingbacks)
                + "</ul>"
            )
        parts.append("</section>")
        return "".join(parts)

    def responses(self, responses: list[Response] | tuple[Response, ...], css: str) -> str:
        return f'<ol class="{css}">' + "".join(self.response(r) for r in responses) + "</ol>"

    def response(self, response: Response) -> str:
        name = escape(response.name or NO_NAME)
        role = (
            ' <span class="hub-response__role">(the post’s author)</span>'
            if response.by_author
            else ""
        )
        kind = " hub-response--by-author" if response.by_author else ""
        replies = (
            self.responses(response.replies, "hub-response__replies") if response.replies else ""
        )
        return (
            f'<li><article class="hub-response{kind}">'
            f'<p class="hub-response__meta"><span class="hub-response__name">{name}</span>{role}'
            f" · {when(response.date)}</p>"
            f'<div class="hub-response__text">{self.text(response.text)}</div>'
            f"{replies}</article></li>"
        )

    @staticmethod
    def pingback(pingback: Pingback) -> str:
        date = f" ({when(pingback.date)})" if pingback.date is not None else ""
        return (
            f'<li><a href="{escape(pingback.url)}" rel="nofollow ugc">{escape(pingback.title)}</a>'
            f"{date}</li>"
        )
