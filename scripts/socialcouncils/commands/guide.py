"""The generated parts of the two guides, so that neither can drift from the code.

``CONTRIBUTING.md`` is the officers' guide; ``docs/maintainers/guide.md`` is the maintainers'.
Each generated part sits between ``<!-- NAME:start -->`` and ``<!-- NAME:end -->`` markers:

- ``fields`` (officers): the front-matter keys an officer sets, from the post schema;
- ``template`` (officers): the post template officers copy in GitHub's web editor: every
  required key, with the same ``[[REPLACE: ...]]`` placeholders and starter text as
  ``new_post.py`` writes;
- ``codes`` (officers): every code the checks of posts, pictures, data files and the built site
  can raise, with what it means (from the checks' own tables), an example of what the check
  prints and its hint (``EXAMPLES``);
- ``theme-fields`` (maintainers): the theme's own keys, which officers leave alone;
- ``maintainer-codes`` (maintainers): the codes only maintainers meet, of the archived responses
  files (``<post>.responses.yml``) and of the WordPress importer, in the same shape.

The examples are real: ``tests/test_guide.py`` runs each one's case and finds its message.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from typing import NamedTuple

from socialcouncils.content.post_rules import _example
from socialcouncils.content.scaffold import BODY, PLACEHOLDERS
from socialcouncils.content.schema import DATE_PLACEHOLDER, FieldDoc, field_docs, required_keys

OFFICERS_GUIDE = "CONTRIBUTING.md"
MAINTAINERS_GUIDE = "docs/maintainers/guide.md"
# The order of the code families in the officers' table: the post's front matter first, the
# built site last.
FAMILIES = ("FM", "PM", "IMG", "HTML", "DATA")
# The families officers never meet, in the maintainers' table: officers make no links (symlinks)
# under docs/, change no setting in mkdocs.yml, write no responses files and never run the
# WordPress importer.
MAINTAINER_FAMILIES = ("FILE", "CFG", "RSP", "WP")
# The schema's names for kinds of value, as the guides say them.
KINDS = {
    "text": "text",
    "date": "a date",
    "list of text": "a list",
    "true or false": "true or false",
    "whole number": "a whole number",
    "mapping": "settings in braces",
}


class GuideError(Exception):
    """A guide lacks a pair of markers, or the code has no example for one of its codes."""


class Example(NamedTuple):
    """What a check prints for one code: ``message`` and ``hint``, exactly.

    ``case`` is the file under ``tests/`` that makes the check print it, or None where the test
    builds what is needed itself (two posts, a broken data file, a built page).
    """

    case: str | None
    message: str
    hint: str


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _words(text: str) -> str:
    """Plain words in a table cell, where ``<script>`` or ``<!-- more -->`` shows as typed."""
    return _cell(html.escape(text, quote=False))


def _code(text: str) -> str:
    """``text`` as inline code in a table cell, however many backticks it holds."""
    ticks = "`" * (max((len(run) for run in re.findall("`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{ticks}{pad}{_cell(text)}{pad}{ticks}"


def _kind(type_name: str) -> str:
    return KINDS.get(type_name, type_name)


def field_table(for_officers: bool = True) -> str:
    """The keys officers set (or, with ``for_officers=False``, the theme's own keys)."""
    rows = [
        "| Key | Needed? | What to write | Kind of value | Example |",
        "| --- | --- | --- | --- | --- |",
    ]
    for doc in field_docs():
        if doc.for_officers != for_officers:
            continue
        needed = "**required**" if doc.required else "optional"
        rows.append(
            f"| `{doc.name}` | {needed} | {_cell(doc.description)} | {_kind(doc.type)}"
            f" | `{_cell(_typed_example(doc))}` |"
        )
    return "\n".join(rows)


def _typed_example(doc: FieldDoc) -> str:
    """A key's example as the template writes it: text in double quotes, a date bare, a list
    of quoted text on one line."""
    value = doc.example
    if doc.type == "date" or isinstance(value, (bool, int)) or value is None:
        return _example(doc.name)
    if isinstance(value, list):
        return f"{doc.name}: [{', '.join(_quoted(str(item)) for item in value)}]"
    if isinstance(value, dict):
        return _example(doc.name)
    return f"{doc.name}: {_quoted(str(value))}"


def theme_field_table() -> str:
    return field_table(for_officers=False)


def _quoted(text: str) -> str:
    """Double quotes, so an officer can type apostrophes and colons inside them."""
    return json.dumps(text, ensure_ascii=False)


def post_template() -> str:
    """A whole post with every required key, each value a placeholder the check flags."""
    lines = ["---"]
    for key in required_keys():
        value = PLACEHOLDERS.get(key, DATE_PLACEHOLDER)
        if value == DATE_PLACEHOLDER:
            lines.append(f"{key}: {DATE_PLACEHOLDER}")
        elif isinstance(value, str):
            lines.append(f"{key}: {_quoted(value)}")
        else:
            lines.append(f"{key}:")
            lines.extend(f"  - {_quoted(item)}" for item in value)
    lines.append("---")
    return "```markdown\n" + "\n".join(lines) + "\n\n" + BODY + "```"


def _find(text: str, name: str) -> re.Match[str]:
    pattern = rf"<!-- {name}:start -->\n(.*?)<!-- {name}:end -->"
    match = re.search(pattern, text, re.DOTALL)
    if match is None:
        raise GuideError(f"no '<!-- {name}:start -->' ... '<!-- {name}:end -->' markers")
    return match


def all_codes() -> dict[str, str]:
    """Every code the hub can raise, with what it means, from the checks' own tables."""
    from socialcouncils.content.catalogue import CATALOGUE_CODES
    from socialcouncils.content.images import IMAGE_CODES
    from socialcouncils.content.markup import MARKUP_CODES
    from socialcouncils.content.post_rules import POST_RULE_CODES
    from socialcouncils.content.posts import POSTS_CODES
    from socialcouncils.content.responses import RESPONSE_CODES
    from socialcouncils.site.site_check import SITE_CODES
    from socialcouncils.source.docs_files import FILE_CODES
    from socialcouncils.source.engine_settings import ENGINE_CODES
    from socialcouncils.source.front_matter import FRONT_MATTER_CODES
    from socialcouncils.source.settings import SETTINGS_CODES
    from socialcouncils.wordpress.report import WORDPRESS_CODES

    codes: dict[str, str] = {}
    for table in (
        FRONT_MATTER_CODES,
        POST_RULE_CODES,
        POSTS_CODES,
        IMAGE_CODES,
        SITE_CODES,
        MARKUP_CODES,
        FILE_CODES,
        CATALOGUE_CODES,
        SETTINGS_CODES,
        ENGINE_CODES,
        RESPONSE_CODES,
        WORDPRESS_CODES,
    ):
        if twice := codes.keys() & table.keys():
            raise GuideError(f"{', '.join(sorted(twice))} are in two of the checks' tables")
        codes.update(table)
    return codes


def family(code: str) -> str:
    return code.rstrip("0123456789")


def codes_for(families: tuple[str, ...]) -> dict[str, str]:
    """The codes of ``families``, in their order; a code of a family no guide names is an error."""
    codes = all_codes()
    if strays := sorted(c for c in codes if family(c) not in FAMILIES + MAINTAINER_FAMILIES):
        raise GuideError(
            f"{', '.join(strays)}: add the family to FAMILIES (the officers' table) or"
            " MAINTAINER_FAMILIES (the maintainers') in scripts/socialcouncils/commands/guide.py"
        )
    chosen = [code for code in codes if family(code) in families]
    return {
        code: codes[code] for code in sorted(chosen, key=lambda c: (families.index(family(c)), c))
    }


def _table(codes: dict[str, str], says: str) -> str:
    rows = [
        f"| Code | What it means | {says}, for example | How to fix it |",
        "| --- | --- | --- | --- |",
    ]
    for code, meaning in codes.items():
        example = EXAMPLES.get(code)
        if example is None:
            raise GuideError(
                f"{code} has no example in EXAMPLES (scripts/socialcouncils/commands/guide.py)"
            )
        rows.append(
            f"| {code} | {_words(meaning)} | {_code(example.message)} | {_code(example.hint)} |"
        )
    return "\n".join(rows)


def code_table() -> str:
    """The codes officers meet: what each means, what the check prints, and its hint."""
    return _table(codes_for(FAMILIES), "What the check says")


def maintainer_code_table() -> str:
    """The codes of responses files and the WordPress importer, which only maintainers meet."""
    return _table(codes_for(MAINTAINER_FAMILIES), "What it prints")


def generated_part(text: str, name: str) -> str:
    """What a guide holds between one pair of markers today."""
    return _find(text, name).group(1).rstrip("\n")


def update_guide(text: str, parts: dict[str, Callable[[], str]]) -> str:
    """The guide with each of its generated ``parts`` rewritten from the code."""
    for name, make in parts.items():
        match = _find(text, name)
        text = text[: match.start(1)] + make() + "\n" + text[match.end(1) :]
    return text


# Each guide (its path in the repository) and its generated parts.
GUIDES: dict[str, dict[str, Callable[[], str]]] = {
    OFFICERS_GUIDE: {
        "fields": field_table,
        "template": post_template,
        "codes": code_table,
    },
    MAINTAINERS_GUIDE: {
        "theme-fields": theme_field_table,
        "maintainer-codes": maintainer_code_table,
    },
}

# One example of each code, as the check prints it. The case files under tests/ are the corpora
# the other tests use; tests/test_guide.py checks every example against the check's own output.
EXAMPLES: dict[str, Example] = {
    "FM001": Example(
        "bad_posts/empty.md",
        "the file is empty",
        "start from the template in CONTRIBUTING.md, or run: make new-post",
    ),
    "FM002": Example(
        "bad_posts/blank-line-before-front-matter.md",
        "the front matter must start on the very first line",
        "remove the blank lines above line 2",
    ),
    "FM003": Example(
        "bad_posts/unclosed-front-matter.md",
        "the front matter starts here but is never closed",
        "add a line with just '---' after the last 'key: value' line",
    ),
    "FM004": Example(
        "bad_posts/unquoted-colon-in-title.md",
        "the front matter is not valid YAML: mapping values are not allowed in this context",
        "put the value in double quotes when it contains ': '",
    ),
    "FM005": Example(
        "bad_posts/front-matter-is-a-list.md",
        "the front matter is a list, not a set of 'key: value' lines",
        "write one 'key: value' per line between the two '---' lines, e.g. 'title: My post'",
    ),
    "FM006": Example(
        "bad_posts/duplicate-key.md",
        "'council' appears twice, on lines 7 and 8",
        "keep one of them; the site would silently use the last one",
    ),
    "FM007": Example(
        "bad_posts/windows-1252.md",
        "the file is not UTF-8 (it looks like cp1250)",
        "save the file as 'UTF-8' in your editor (File > Save As > Encoding)",
    ),
    "FM008": Example(
        "bad_posts/yaml-no-as-council.md",
        "'NO' in 'council' was read as true/false, not as the text you typed",
        'put it in double quotes: "NO"',
    ),
    "FM009": Example(
        "bad_posts/yaml-alias.md",
        "the front matter cannot be used: '&people' marks a part of the file to repeat"
        " (a YAML anchor)",
        "write each value out in full; posts need no YAML anchors, aliases or merge keys",
    ),
    "PM001": Example(
        "bad_posts/missing-council.md",
        "'council' is missing",
        "add it, e.g. council: monmouthshire",
    ),
    "PM002": Example(
        "bad_posts/unknown-key.md",
        "'titel' is not a post setting",
        "did you mean 'title'? the allowed keys are listed in CONTRIBUTING.md",
    ),
    "PM003": Example(
        "bad_posts/comments-as-text.md",
        "'comments' should be true or false",
        "for example: comments: true",
    ),
    "PM004": Example(
        "bad_posts/description-too-short.md",
        "'description' is 10 characters; it must be at least 40",
        "rewrite it to fit",
    ),
    "PM005": Example(
        "bad_posts/uk-style-date.md",
        "'07/03/2012' is a day/month/year date",
        "write it as YYYY-MM-DD without quotes, e.g. date: 2012-03-07",
    ),
    "PM006": Example(
        "bad_posts/future-date.md",
        "the date 2999-01-01 is in the future",
        "set it to today or earlier, or add 'draft: true' until it is ready",
    ),
    "PM007": Example(
        "bad_posts/unknown-author.md",
        "unknown author 'helen-reynold'",
        "did you mean 'helen-reynolds'? authors are listed in docs/blog/.authors.yml;"
        " add yourself there",
    ),
    "PM008": Example(
        "bad_posts/unknown-council.md",
        "unknown council 'monmouth'",
        "did you mean 'monmouthshire'? use an id from docs/blog/.councils.yml: coventry, leeds,"
        " monmouthshire, shropshire",
    ),
    "PM009": Example(
        "bad_posts/unknown-category.md",
        "unknown category 'Case study'",
        "did you mean 'Case studies'? use one of: Guest posts, Case studies",
    ),
    "PM010": Example(
        "bad_posts/unknown-tag.md",
        "unknown tag 'socialmedia'",
        "did you mean 'social media'? use a tag from docs/blog/.tags.yml, or add 'socialmedia'"
        " there in the same pull request",
    ),
    "PM011": Example(
        None,
        "this post would have the same address as docs/blog/posts/my-post.md:"
        " /blog/2012/03/07/how-we-opened-social-media-to-every-member-of-staff/",
        "change the title, or add a 'slug:' line with a different address",
    ),
    "PM012": Example(
        "bad_posts/placeholder-title.md",
        "'title' still holds a placeholder",
        "replace the [[REPLACE: ...]] text with your own words",
    ),
    "PM013": Example(
        "bad_posts/updated-before-date.md",
        "'updated' is before 'date'",
        "use a date on or after 2012-03-07",
    ),
    "PM014": Example(
        "bad_posts/original-url-not-absolute.md",
        "'www.example.org/post' is not an absolute web address",
        "use the full address, starting with https://",
    ),
    "PM015": Example(
        "bad_posts/image-without-alt.md",
        "'image' is set but 'image_alt' is missing",
        "add image_alt: a short description of what the picture shows",
    ),
    "PM016": Example(
        "bad_posts/markup-in-title.md",
        "'title' cannot be used: it holds HTML ('<b>social media</b> '), which is shown as"
        " typed, not as formatting",
        "write plain words; the site formats titles, names and descriptions itself",
    ),
    "PM017": Example(
        "bad_posts/slug-outside-the-blog.md",
        "the slug '../../about' cannot be used: it is not lowercase letters and digits with"
        " single hyphens",
        "the slug is the last part of the post's address: e.g. 'social-media'",
    ),
    "PM018": Example(
        "bad_posts/no-more-mark.md",
        "the post has no <!-- more --> line, which ends the part shown in lists and feeds",
        "put a line with just <!-- more --> after your first paragraph, with a blank line above"
        " and below it",
    ),
    "PM019": Example(
        "bad_posts/more-mark-in-a-quote.md",
        "the <!-- more --> line is inside another block, so the part shown in lists would be cut"
        " off in the middle of it",
        "move <!-- more --> to a line of its own after your first paragraph, with a blank line"
        " above and below it",
    ),
    "IMG001": Example(
        "bad_images/missing-file.md",
        "'shared/pier-at-sunset.png' not found: there is no file 'pier-at-sunset.png' in"
        " docs/blog/posts/shared/",
        "did you mean 'pier.png'? check the spelling, and that the picture is committed in the"
        " post's folder",
    ),
    "IMG002": Example(
        "bad_images/wrong-case.md",
        "'shared/harbour.png' differs in capital letters from the file 'shared/Harbour.png': it"
        " would work on a Mac or Windows computer but not on the site",
        "write the path exactly as the file is named: shared/Harbour.png",
    ),
    "IMG003": Example(
        "bad_images/path-traversal.md",
        "'../../../../mkdocs.yml' leads outside the docs folder, which is not published",
        "put the picture in the post's folder under docs/blog/posts/ and point to it there",
    ),
    "IMG004": Example(
        "bad_images/http-image.md",
        "'http://example.org/pier.png' is a picture on another website: every reader's browser"
        " would ask that website for it",
        "save the picture in the post's folder and write the path relative to the post,"
        " e.g. my-post/photo.png",
    ),
    "IMG005": Example(
        "bad_images/missing-alt.md",
        "this image has no alt text, so screen readers read out its file name",
        'add alt="…" describing what the picture shows',
    ),
    "IMG006": Example(
        "bad_images/empty-alt.md",
        "this image's alt text is empty",
        "describe what the picture shows, e.g. ![A crowd at the town hall](my-post/crowd.jpg);"
        " if it only decorates, mark it: ![](my-post/divider.svg){ .decorative }",
    ),
    "IMG007": Example(
        "bad_images/file-name-alt.md",
        "the alt text 'IMG_1234.jpg' is a file name, which tells a screen-reader user nothing",
        "describe what the picture shows, e.g. 'The council's social media team at work'",
    ),
    "IMG008": Example(
        None,
        "'oversized.png' is 601 KB; the limit is 500 KB, so it would load slowly on a phone",
        "make it smaller: about 1600 pixels wide is plenty; save photos as JPEG at 80% quality",
    ),
    "IMG009": Example(
        "bad_images/disguised-format.md",
        "'disguised.png' is really a JPEG file, but its name says PNG",
        "rename it to end .jpg (and change the post to match), or export it again as PNG",
    ),
    "IMG010": Example(
        "bad_images/unsafe-svg.md",
        "'onclick' has a <script> element; has an 'onclick' event handler: an SVG must only"
        " draw itself",
        "export it again as 'Plain SVG' without scripts, links or embedded web content",
    ),
    "IMG011": Example(
        "bad_images/svg-that-is-html.md",
        "'not-svg.svg' is not an SVG drawing (it starts with <html>)",
        "export it again from your drawing program as 'Plain SVG'",
    ),
    "IMG012": Example(
        "bad_images/bmp-file.md",
        "'old-format.bmp' is not a web picture format",
        "save it as PNG or JPEG (photos), or SVG (drawings)",
    ),
    "IMG013": Example(
        "bad_images/raw-html-missing.md",
        "'shared/no-such-pier.png' is a relative path in HTML, which the site does not adjust:"
        " the picture would be broken on the post page and on the blog index",
        'write the picture in Markdown instead: ![what it shows](my-post/photo.png){ width="600" }',
    ),
    "IMG014": Example(
        "bad_images/undefined-reference.md",
        "the image reference ![A pier at sunset][pier-photo] is not defined, so the page would"
        " show the text instead of a picture",
        "add a line '[id]: my-post/photo.png' below the paragraph, or write ![alt](path)",
    ),
    "IMG016": Example(
        None,
        "'shared/oversized.png' is a link to another file, which the site does not publish",
        "copy the picture itself into the post's folder, in place of the link",
    ),
    "IMG040": Example(
        None,
        "the picture 'missing.png' is not in the built site (looked for about/missing.png)",
        "check the picture's path where it is written; a post's pictures go in its own folder"
        " and are written relative to the post",
    ),
    "IMG041": Example(
        None,
        "the picture 'pier.png' is a relative address, which feed readers cannot follow",
        "feeds must give pictures their full address, starting with the site's https:// address",
    ),
    "HTML001": Example(
        "hostile/posts/script-src.md",
        "<script> is not allowed in a post: it would run code in every reader's browser",
        "remove it; to show code as text, put it in a fenced code block (``` lines)",
    ),
    "HTML002": Example(
        "hostile/posts/style-import.md",
        "<style> is not allowed in a post: it can change or hide any part of the page",
        "remove it; the site's own styles apply to every post",
    ),
    "HTML003": Example(
        "hostile/posts/form.md",
        "<form> is not allowed in a post: a form could send readers' details anywhere",
        "link to the form on your council's website instead",
    ),
    "HTML004": Example(
        "hostile/posts/iframe-host.md",
        "<iframe> from https://evil.example/ is not allowed: only https addresses on hosts the"
        " editors have approved can be embedded",
        "link to it instead, or ask the editors to add the host to 'embed_hosts' in mkdocs.yml",
    ),
    "HTML005": Example(
        "hostile/posts/attr-heading.md",
        "the 'onclick' attribute runs code in readers' browsers",
        'remove onclick="…"; posts cannot run code',
    ),
    "HTML006": Example(
        "hostile/posts/attr-list-href.md",
        "the link to 'javascript:alert(9)' is not a web page, an e-mail address or a phone"
        " number, so the site removes it",
        "link to a web page with an address starting with https://",
    ),
    "HTML007": Example(
        "hostile/posts/audio-src.md",
        "<audio> is not allowed in a post, so the site removes it",
        "save the picture in the post's folder and add it in Markdown:"
        " ![What it shows](my-post/photo.jpg), or link to the video or sound file",
    ),
    "HTML008": Example(
        "hostile/posts/ping.md",
        "the 'ping' attribute is not allowed on <a>, so the site removes it",
        'remove ping="…": it tells another website each time a reader follows the link',
    ),
    "HTML009": Example(
        "hostile/posts/fence-attributes.md",
        "'md-header' is not a kind of note the site has, so it would show as a plain note",
        "use one of: abstract, attention, bug, caution, check, cite, danger, done, error,"
        " example, fail, failure, faq, help, hint, important, info, missing, note, question,"
        " quote, success, summary, tip, tldr, todo, warning",
    ),
    "HTML010": Example(
        "hostile/posts/comments-id.md",
        "the id 'comments' is used by the site itself",
        "choose another id, made of letters, digits and hyphens, e.g. { #my-section }",
    ),
    "HTML011": Example(
        "hostile/posts/table-style.md",
        "'style=\"text-align:left;background:url(https://tracker.example/t.png\"' on <td> is"
        " not a value the site accepts",
        'remove style="…": the site\'s own styles apply to every post',
    ),
    "HTML020": Example(
        None,
        "<script src> loads 'https://tracker.example/t.js' from another website as the page opens",
        "save the file in the site (a picture in the post's folder) and point to it there",
    ),
    "FILE001": Example(
        None,
        "this is a link to another file or folder, which the site does not publish",
        "replace the link with a copy of the file itself",
    ),
    "FILE002": Example(
        None,
        "'page.html' is a kind of file the site does not publish from posts and pages: a browser"
        " would run it, or show it as a page of the site",
        "take it out; write the page in Markdown, and put pictures in the post's folder",
    ),
    "DATA001": Example(None, "this data file is missing", "create it with a 'tags:' mapping"),
    "DATA002": Example(
        None,
        "YAML syntax error: did not find expected ',' or ']'",
        "indent with spaces and quote values that contain ': '",
    ),
    "DATA003": Example(
        None,
        "expected a 'tags:' mapping at the top of the file",
        "start the file with 'tags:' and indent each entry under it",
    ),
    "DATA004": Example(None, "'facebook' is defined twice (also on line 5)", "keep one of them"),
    "DATA005": Example(None, "'fran-collingham' needs name", "add name: under 'fran-collingham'"),
    "DATA006": Example(
        None,
        "author 'fran-collingham' names unknown council 'cov'",
        "use one of: coventry, leeds, monmouthshire, shropshire",
    ),
    "DATA007": Example(None, "tag 'Facebook' must be lowercase", "write it as 'facebook'"),
    "DATA008": Example(
        "hostile/data/.authors.yml",
        "the id 'Hostile-Capitals' cannot be used: it is not lowercase letters and digits with"
        " single hyphens",
        "e.g. 'social-media'",
    ),
    "DATA009": Example(
        "hostile/data/.councils.yml",
        "the website of 'hostile-plain-site' is not a plain https:// address:"
        " 'http://evil.example/'",
        "write the full address, starting with https://, as your browser shows it",
    ),
    "DATA010": Example(
        "hostile/data/.councils.yml",
        "'name' of 'hostile-name' cannot be used: it holds HTML ('<img src=x onerror=a'), which"
        " is shown as typed, not as formatting",
        "write plain words; the site formats titles, names and descriptions itself",
    ),
    "CFG001": Example(
        None,
        "'extra.hub.image_max_k' is not a setting of the hub's, so it would be ignored",
        "did you mean 'image_max_kb'? the settings are listed in scripts/socialcouncils/source/settings.py",
    ),
    "CFG002": Example(
        None,
        "'extra.hub.image_max_kb' cannot be used: Input should be a valid integer",
        "the default is used instead; the settings are listed in"
        " scripts/socialcouncils/source/settings.py",
    ),
    "CFG003": Example(
        None,
        "the Markdown extension 'pymdownx.snippets' is not one the hub allows, so it is left out",
        "use the extensions already in mkdocs.yml; a new one needs the markup policy changed to"
        " match (scripts/socialcouncils/source/engine_settings.py)",
    ),
    "CFG004": Example(
        None,
        "site_url is not a plain web address, so it is left out of the pages and feeds",
        "write the site's address as https://host/path/, with no quotes or spaces",
    ),
    "CFG005": Example(
        None,
        "the redirect from '../x.md' cannot be used: an old address must be a page inside the"
        " site, and the new one a page of the site or a plain web address",
        "write it as old/path.md: blog/posts/new-post.md, as the WordPress importer does",
    ),
    "RSP001": Example(
        "bad_responses/no-post-beside.responses.yml",
        "there is no post 'no-post-beside.md' beside this responses file",
        "name it after its post: a post 'my-post.md' has 'my-post.responses.yml'",
    ),
    "RSP002": Example(
        "bad_responses/not-utf-8.responses.yml",
        "the file is not UTF-8 (it looks like cp1250)",
        "save the file as 'UTF-8' in your editor (File > Save As > Encoding)",
    ),
    "RSP003": Example(
        "bad_responses/responses-not-a-list.responses.yml",
        "'responses' must be a list, one '- ' line for each response",
        "write each response under 'responses:' starting with '- '",
    ),
    "RSP004": Example(
        "bad_responses/unknown-key.responses.yml",
        "'nmae' is not a key of a response",
        "did you mean 'name'? the keys are: name, date, text, by_author, replies",
    ),
    "RSP005": Example(
        "bad_responses/key-twice.responses.yml",
        "'name' is written twice (also on line 2)",
        "keep one of them",
    ),
    "RSP006": Example(
        "bad_responses/missing-date.responses.yml",
        "'date' is missing",
        "add it, e.g. date: 2012-03-08 10:15:00 (or date: unknown)",
    ),
    "RSP007": Example(
        "bad_responses/impossible-date.responses.yml",
        "2012-02-30 is not a real calendar date (day is out of range for month)",
        "write it as YYYY-MM-DD or YYYY-MM-DD HH:MM:SS, e.g. date: 2012-03-08 10:15:00",
    ),
    "RSP008": Example(
        "bad_responses/url-not-http.responses.yml",
        "'javascript:alert(1)' is not an absolute http(s) address",
        "write the full address of the page that linked here, starting with https://",
    ),
    "RSP009": Example(
        "bad_responses/nested-too-deep.responses.yml",
        "replies are nested more than 10 deep",
        "put a deeper reply under the response it answers at a shallower level",
    ),
    "RSP010": Example(
        "bad_responses/email-in-text.responses.yml",
        "the text holds an e-mail address ('sarah.jones@example.org'), which the archive never"
        " keeps",
        "remove it: readers' e-mail and IP addresses are not published",
    ),
    "RSP011": Example(
        "bad_responses/html-in-name.responses.yml",
        "the name cannot be used: it holds HTML ('<b>Sarah</b> Jones'), which is shown as typed,"
        " not as formatting",
        "write plain words; the site formats titles, names and descriptions itself",
    ),
    "RSP012": Example(
        "bad_responses/heading-in-text.responses.yml",
        "this response's text has a heading ('localgov at its best'), which would break up the"
        " page's outline",
        "a line that starts with '#' is a heading: write '\\#' for a # sign, e.g. \\#localgov",
    ),
    # The importer's examples come from its runs on the exports in tests/wordpress/ (or on an
    # empty file), as tests/test_guide.py builds them.
    "WP001": Example(
        None,
        "the file is not well-formed XML: no element found",
        "export the blog again from WordPress (Tools → Export → All content)",
    ),
    "WP002": Example(
        None,
        "unknown council 'atlantis'",
        "use an id from docs/blog/.councils.yml: coventry, leeds, monmouthshire, shropshire",
    ),
    "WP003": Example(
        None,
        "edited since it was imported (blog/posts/market-online.md), so it was kept as it is",
        "import again with --force to replace the edits with the export's version",
    ),
    "WP004": Example(
        None,
        "“Opening social media to every member of staff” was not imported: a post of this name"
        " exists that the importer did not write",
        "rename one of them, or delete this file and import again",
    ),
    "WP005": Example(
        None,
        "the author name 'Gwen <script>alert(1)</script>Price' held markup or hidden characters;"
        " written as 'Gwen Price'",
        "check the name in docs/blog/.authors.yml",
    ),
    # A proposed tag is listed in the report under 'Proposed tags (not in docs/blog/.tags.yml;
    # HINT):', one line for each tag, rather than as a problem at a line.
    "WP006": Example(
        None,
        "staff: 1 post(s)",
        "add each with a description, or map it in the mapping file",
    ),
    "WP007": Example(
        None,
        "the old address https://blog.example.org/2013/05/02/../../../etc/passwd/ of"
        " blog/posts/etcpasswd.md is not a plain path, so it is not redirected",
        "add it to redirect_maps by hand if readers still follow it",
    ),
    "WP008": Example(
        None,
        "the address of post 999, '//evil.example/', is not an address on this site: it starts"
        " with '//', which begins the address of another website",
        "restore this file from the project's history (git log -p); only the importer writes it",
    ),
    "WP010": Example(
        None,
        "the shortcode [contact-form-7] could not be converted and is shown as typed",
        "rewrite it as Markdown (a link, a picture or plain text), or remove it",
    ),
    "WP020": Example(
        None,
        "removed from the post: the 'onclick' attribute runs code in readers' browsers (HTML005),"
        " in “Our market goes online” (docs/blog/posts/market-online.md)",
        'check the post still says what it meant; remove onclick="…"; posts cannot run code',
    ),
    "WP030": Example(
        None,
        "a picture could not be brought across: 2012/06/market.png is not in the uploads folder",
        "put the picture in the post's folder and show it with ![alt text](folder/picture.jpg)",
    ),
}
