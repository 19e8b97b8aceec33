"""How officers and readers reach the editors: the guest-post form, the officers' guide and the
editors' address, made from ``repo_url`` and ``extra: comments: editors_email`` in mkdocs.yml,
so that each is written once.

The About page's "Submit a guest post" section and the accessibility statement's contact
details are these (``<!-- hub:submit -->``, ``<!-- hub:contact -->``).
"""

from __future__ import annotations

from socialcouncils.content.plain_text import markdown_text
from socialcouncils.source.project import Project

# The issue form officers propose a post with (.github/ISSUE_TEMPLATE/guest-post.yml).
GUEST_POST_FORM = "issues/new?template=guest-post.yml"
OFFICERS_GUIDE = "blob/main/CONTRIBUTING.md"


def _email(project: Project) -> str:
    address = project.comments.editors_email
    return f"[{markdown_text(address)}](mailto:{address})" if address else ""


def submit_markdown(project: Project) -> str:
    """The steps from an idea to a published post, with the links to take them."""
    repo = project.repo_url
    email = _email(project)
    steps = [
        f"1. **Tell us your idea** with the [guest post form]({repo}/{GUEST_POST_FORM})"
        + (f" on GitHub, or e-mail the editors at {email}." if email else " on GitHub."),
        f"2. **Write your post** with the [guide for officers]({repo}/{OFFICERS_GUIDE}). You can"
        " do it all in your web browser; the guide explains every step in plain English.",
        "3. **Open a pull request.** The checks tell you, line by line, anything that needs"
        " fixing, and an editor reviews your post before it goes live.",
    ]
    return "\n".join(steps)


def contact_markdown(project: Project) -> str:
    """The editors' contact details, for the accessibility statement."""
    lines = []
    if project.comments.editors_email:
        lines.append(f"- e-mail the editors: {_email(project)}")
    if project.repo_url:
        lines.append(
            f"- open an issue on [our GitHub repository]({project.repo_url}/issues/new)"
            " (you need a free GitHub account)"
        )
    return "\n".join(lines)
