"""The pictures a post uses: that each one exists, is named exactly, describes itself and is safe.

Every picture a post uses is checked: each ``<img>`` of the post as the site renders it (Markdown
images, reference-style images, raw HTML), the front-matter ``image``, and author avatars in
``.authors.yml``.

Paths are relative to the post file (avatars: relative to ``docs/``) and must name a file under
``docs/`` with exactly the same capital letters: a Mac or Windows computer finds ``Photo.PNG``
when the post says ``photo.png``; the Linux server that publishes the site does not. A picture is
always a file of the site: an address on another website would make every reader's browser ask
that website for it.

Decorative images. An image that only decorates (a divider, a flourish) has empty alt text and is
marked as decorative, so screen readers skip it on purpose rather than by accident:

- Markdown: ``![](divider.svg){ .decorative }``
- raw HTML: ``<img src="…" alt="" class="decorative">``

An image with empty alt text and no such mark is an error (IMG006).

| code   | meaning |
| ------ | ------- |
| IMG001 | the image file does not exist (or the path names a folder) |
| IMG002 | the file exists, but its name differs in capital letters from the path in the post |
| IMG003 | the path leads outside the ``docs/`` folder |
| IMG004 | the address is not a path relative to the post: a picture on another website (``https://…``, ``//…``), or ``/…``, ``file:``, ``data:``, a ``C:\\`` path, backslashes |
| IMG005 | an HTML image with no ``alt`` attribute |
| IMG006 | empty alt text on an image not marked as decorative |
| IMG007 | alt text that is a file name or says nothing (``IMG_1234.jpg``, ``image.png``, ``photo``) |
| IMG008 | the file is larger than ``image_max_kb`` (mkdocs.yml ``extra: hub:``, 500 KB by default) |
| IMG009 | the file's contents do not match its extension (a JPEG named ``.png``), or are not a picture |
| IMG010 | an SVG with a script, an event handler, a ``<foreignObject>``, entity declarations or a reference outside itself |
| IMG011 | an SVG that cannot be read as SVG |
| IMG012 | a file type that is not a web picture (only PNG, JPEG, GIF, WebP, AVIF and SVG) |
| IMG013 | a relative path in raw HTML: the site build does not adjust it, so it breaks on the post page and the blog index |
| IMG014 | an ``![alt][id]`` or ``![alt]`` image whose reference ``[id]: path`` is not defined, so it shows as text |
| IMG016 | the picture is a link (symlink) to another file, not a file of its own |

Problems found in the built site (``site_check``) have their own codes, listed there.
"""

from __future__ import annotations

import difflib
import os
import posixpath
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

import filetype
from lxml import etree

from socialcouncils.content.catalogue import Author
from socialcouncils.content.rendered_body import BodyReading, Spot
from socialcouncils.problems import Problem
from socialcouncils.source.front_matter import PostSource
from socialcouncils.source.project import Project

IMAGE_CODES: dict[str, str] = {
    "IMG001": "the image file does not exist",
    "IMG002": "the file name's capital letters differ from the path",
    "IMG003": "the path leads outside the docs folder",
    "IMG004": "not a path relative to the post (a picture on another website, say)",
    "IMG005": "an HTML image without alt text",
    "IMG006": "empty alt text on an image not marked as decorative",
    "IMG007": "alt text that is a file name or says nothing",
    "IMG008": "the file is larger than image_max_kb",
    "IMG009": "the file's contents do not match its extension",
    "IMG010": "an SVG that could run code or load other files",
    "IMG011": "an SVG that cannot be read",
    "IMG012": "not a web picture format",
    "IMG013": "a relative path in raw HTML, which the build does not adjust",
    "IMG014": "an image reference with no definition",
    "IMG016": "a link (symlink) to another file",
}

# The extensions the site accepts, and the kind ``filetype`` must find in the bytes.
RASTER_KINDS = {
    "png": "png",
    "jpg": "jpg",
    "jpeg": "jpg",
    "gif": "gif",
    "webp": "webp",
    "avif": "avif",
}
KIND_NAMES = {"png": "PNG", "jpg": "JPEG", "gif": "GIF", "webp": "WebP", "avif": "AVIF"}
# Kinds ``filetype`` tells apart that are the same to the site: an animated PNG is a PNG file.
SAME_KIND = {"apng": "png"}
WEB_EXTENSIONS = (*RASTER_KINDS, "svg")
SVG_NS = "http://www.w3.org/2000/svg"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
SVG_INLINE_DATA_RE = re.compile(r"^data:image/(png|jpeg|gif|webp);", re.IGNORECASE)
CSS_URL_RE = re.compile(r"url\(\s*['\"]?\s*([^'\")\s]*)|@import", re.IGNORECASE)
CAMERA_NAME_RE = re.compile(
    r"^(img|image|dsc|dscn|dscf|pxl|photo|picture|pic|screenshot|screen shot|untitled|graphic)"
    r"[\s_-]*[\d\s_-]*(\.\w{2,4})?$",
    re.IGNORECASE,
)
FILE_NAME_RE = re.compile(r"^\S+\.(png|jpe?g|gif|webp|avif|svg|bmp|tiff?|heic)$", re.IGNORECASE)

Add = Callable[[int, int, str, str, str], None]
FOLDER, FILE, LINK = "folder", "file", "link"


def _kind_of_entry(entry: os.DirEntry[str]) -> str:
    if entry.is_symlink():
        return LINK
    return FOLDER if entry.is_dir() else FILE


@dataclass(slots=True)
class ImageRef:
    """One use of a picture. ``spot`` is where the path is written; ``alt_spot`` where the alt is."""

    src: str
    spot: Spot
    kind: str
    raw_html: bool = False
    alt: str | None = None
    alt_spot: Spot | None = None
    decorative: bool = False
    check_path: bool = True


@dataclass(frozen=True)
class Verdict:
    code: str
    message: str
    hint: str


@dataclass
class ImageRules:
    """The checks on image paths and files, with what it has already read kept for the run."""

    project: Project
    _listings: dict[str, dict[str, str]] = field(default_factory=dict)
    _files: dict[Path, list[Verdict]] = field(default_factory=dict)
    _by_name: dict[str, list[Path]] | None = None
    _folders: dict[Path, str] = field(default_factory=dict)

    @property
    def max_bytes(self) -> int:
        return self.project.hub.image_max_kb * 1024

    # -- Paths --------------------------------------------------------------------------------

    def listing(self, folder: str) -> dict[str, str]:
        """The names in a folder (name -> FOLDER, FILE or LINK), read once per run."""
        found = self._listings.get(folder)
        if found is None:
            try:
                with os.scandir(folder) as entries:
                    found = {e.name: _kind_of_entry(e) for e in entries}
            except OSError:
                found = {}
            self._listings[folder] = found
        return found

    def folder_in_docs(self, base: Path) -> str:
        """Folder ``base`` relative to docs/, as a URL path ('' for docs/ itself)."""
        found = self._folders.get(base)
        if found is None:
            docs = self.project.docs_dir
            found = self._folders[base] = base.relative_to(docs).as_posix() if base != docs else ""
        return found

    def files_named(self, name: str) -> list[Path]:
        """Every file under docs/ with this name (any case), for 'did you mean' hints."""
        if self._by_name is None:
            self._by_name = {}
            for folder, _, names in os.walk(self.project.docs_dir):
                for each in names:
                    self._by_name.setdefault(each.lower(), []).append(Path(folder) / each)
        return self._by_name.get(name.lower(), [])

    def resolve(self, src: str, base: Path) -> tuple[Path | None, Verdict | None]:
        """The file a relative path names, from folder ``base``; or why it names none."""
        docs = self.project.docs_dir
        parts = urlsplit(src.strip())
        if "\\" in src or re.match(r"^[A-Za-z]:", src):
            return None, Verdict(
                "IMG004",
                f"'{src}' is a path on your computer, not on the site",
                "write the path relative to the post with forward slashes, e.g. my-post/photo.png",
            )
        if parts.netloc or parts.scheme in ("http", "https"):
            return None, Verdict(
                "IMG004",
                f"'{src[:80]}' is a picture on another website: every reader's browser would ask that website for it",
                "save the picture in the post's folder and write the path relative to the post, e.g. my-post/photo.png",
            )
        if parts.scheme or src.startswith("/"):
            scheme = parts.scheme + ":" if parts.scheme else "a path starting with '/'"
            return None, Verdict(
                "IMG004",
                f"'{src[:80]}' is {scheme}, not a picture file next to the post",
                "save the picture in the post's folder and write the path relative to the post, e.g. my-post/photo.png",
            )
        path = unquote(parts.path)
        if not path.strip():
            return None, Verdict("IMG001", "the image has no path", "add the path to the picture")
        joined = posixpath.normpath(posixpath.join(self.folder_in_docs(base), path))
        if joined == ".." or joined.startswith("../") or posixpath.isabs(joined):
            return None, Verdict(
                "IMG003",
                f"'{src}' leads outside the docs folder, which is not published",
                "put the picture in the post's folder under docs/blog/posts/ and point to it there",
            )
        return self.walk_exact(docs, joined.split("/"), src, base)

    def walk_exact(
        self, docs: Path, names: list[str], src: str, base: Path
    ) -> tuple[Path | None, Verdict | None]:
        """Follow the path name by name, comparing names exactly (the server's rule)."""
        current = str(docs)
        corrected: list[str] = []
        wrong_case = False
        kind = FOLDER
        for index, name in enumerate(names):
            entries = self.listing(current)
            if name not in entries:
                lower = {n.lower(): n for n in entries}
                if name.lower() not in lower:
                    last = index == len(names) - 1
                    return None, self.missing(src, Path(current), name, last, base)
                name = lower[name.lower()]
                wrong_case = True
            corrected.append(name)
            current = os.path.join(current, name)
            kind = entries[name]
            if kind == LINK:
                return None, Verdict(
                    "IMG016",
                    f"'{src}' is a link to another file, which the site does not publish",
                    "copy the picture itself into the post's folder, in place of the link",
                )
        if kind == FOLDER:
            return None, Verdict(
                "IMG001", f"'{src}' is a folder, not a picture", "add the picture's file name"
            )
        if wrong_case:
            right = posixpath.relpath("/".join(corrected), self.folder_in_docs(base) or ".")
            return None, Verdict(
                "IMG002",
                f"'{src}' differs in capital letters from the file '{right}': it would work on a Mac or Windows computer but not on the site",
                f"write the path exactly as the file is named: {right}",
            )
        return Path(current), None

    def missing(self, src: str, folder: Path, name: str, is_file: bool, base: Path) -> Verdict:
        shown = self.project.display(folder)
        hint = "check the spelling, and that the picture is committed in the post's folder"
        file_name = posixpath.basename(unquote(urlsplit(src).path))
        elsewhere = [p for p in self.files_named(file_name) if p.is_file()]
        if elsewhere:
            rel = Path(os.path.relpath(elsewhere[0], base)).as_posix()
            hint = f"a file with this name is at {self.project.display(elsewhere[0])}: write the path as {rel}"
        elif is_file:
            close = difflib.get_close_matches(
                name, list(self.listing(str(folder))), n=1, cutoff=0.6
            )
            if close:
                hint = f"did you mean '{close[0]}'? {hint}"
        what = "file" if is_file else "folder"
        return Verdict(
            "IMG001", f"'{src}' not found: there is no {what} '{name}' in {shown}/", hint
        )

    # -- Files --------------------------------------------------------------------------------

    @property
    def judged(self) -> set[Path]:
        """The picture files read so far this run: those some page uses."""
        return set(self._files)

    def file_verdicts(self, path: Path) -> list[Verdict]:
        """What is wrong with a picture file itself; read once per run however often it is used."""
        if path not in self._files:
            self._files[path] = self._judge_file(path)
        return self._files[path]

    def _judge_file(self, path: Path) -> list[Verdict]:
        found: list[Verdict] = []
        ext = path.suffix.lower().lstrip(".")
        if ext not in WEB_EXTENSIONS:
            found.append(
                Verdict(
                    "IMG012",
                    f"'{path.name}' is not a web picture format",
                    "save it as PNG or JPEG (photos), or SVG (drawings)",
                )
            )
            return found
        try:
            size = path.stat().st_size
            with path.open("rb") as handle:
                # An SVG is read whole, to be parsed; of other files, enough to know their type.
                data = handle.read() if ext == "svg" else handle.read(8192)
        except OSError as exc:
            return [
                Verdict(
                    "IMG001",
                    f"'{path.name}' cannot be read: {exc.strerror}",
                    "check the file is committed and readable",
                )
            ]
        limit = self.max_bytes
        if size > limit:
            found.append(
                Verdict(
                    "IMG008",
                    f"'{path.name}' is {_kb(size)} KB; the limit is {_kb(limit)} KB, so it would load slowly on a phone",
                    "make it smaller: about 1600 pixels wide is plenty; save photos as JPEG at 80% quality",
                )
            )
        actual = _kind_in_bytes(data[:8192], ext)
        if ext == "svg":
            if actual is not None:
                found.append(_disguised(path, actual, "SVG"))
            else:
                found.extend(svg_verdicts(path.name, data))
        elif actual != RASTER_KINDS[ext]:
            expected = KIND_NAMES[RASTER_KINDS[ext]]
            if actual is None:
                found.append(
                    Verdict(
                        "IMG009",
                        f"'{path.name}' is not a {expected} picture: its contents are not a picture the site knows",
                        f"open it in an image editor and export it as {expected}",
                    )
                )
            else:
                found.append(_disguised(path, actual, expected))
        return found

    # -- References ---------------------------------------------------------------------------

    def check(self, ref: ImageRef, base: Path, add: Add) -> None:
        """Report every problem with one use of a picture."""
        if ref.alt_spot is not None:
            verdict = alt_verdict(ref)
            if verdict is not None:
                add(ref.alt_spot.line, ref.alt_spot.col, *_fields(verdict))
        if not ref.check_path:
            return
        src = ref.src.strip()
        at = (ref.spot.line, ref.spot.col)
        path, verdict = self.resolve(src, base)
        if verdict is not None:
            add(*at, *_fields(verdict))
        if ref.raw_html and (verdict is None or verdict.code != "IMG004"):
            add(
                *at,
                "IMG013",
                f"'{src}' is a relative path in HTML, which the site does not adjust: the picture would be broken on the post page and on the blog index",
                'write the picture in Markdown instead: ![what it shows](my-post/photo.png){ width="600" }',
            )
        if path is not None:
            for file_verdict in self.file_verdicts(path):
                add(*at, *_fields(file_verdict))


def _fields(verdict: Verdict) -> tuple[str, str, str]:
    return verdict.code, verdict.message, verdict.hint


def _kb(size: int) -> int:
    return (size + 1023) // 1024


def _disguised(path: Path, actual: str, expected: str) -> Verdict:
    name = KIND_NAMES.get(actual, actual.upper())
    return Verdict(
        "IMG009",
        f"'{path.name}' is really a {name} file, but its name says {expected}",
        f"rename it to end .{actual} (and change the post to match), or export it again as {expected}",
    )


def _kind_in_bytes(head: bytes, ext: str) -> str | None:
    """The file type ``filetype`` finds in a file's first bytes (its extension, e.g. 'jpg').

    The picture types are tried first, which settles almost every file; the full list, for a
    message naming what a file really is, only when they do not find what the extension says.
    An SVG is text that starts with '<', which no binary type does.
    """
    kind = filetype.image_match(head)
    found = SAME_KIND.get(kind.extension, kind.extension) if kind is not None else None
    if found is not None and found == RASTER_KINDS.get(ext):
        return str(found)
    if kind is None and ext == "svg" and head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        return None
    kind = filetype.guess(head)
    return str(SAME_KIND.get(kind.extension, kind.extension)) if kind is not None else None


# Parsed safely: no network, no entities, no external DTD. One parser for every SVG of a run.
SVG_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
)


def svg_verdicts(name: str, data: bytes) -> list[Verdict]:
    """An SVG (file ``name``, contents ``data``), parsed safely (no network, no entities), must be
    an SVG and draw only itself."""
    try:
        tree = etree.fromstring(data, SVG_PARSER).getroottree()
    except etree.XMLSyntaxError as exc:
        return [
            Verdict(
                "IMG011",
                f"'{name}' cannot be read as SVG: {exc.msg}",
                "export it again from your drawing program as 'Plain SVG'",
            )
        ]
    root = tree.getroot()
    if root.tag != f"{{{SVG_NS}}}svg":
        return [
            Verdict(
                "IMG011",
                f"'{name}' is not an SVG drawing (it starts with <{etree.QName(root).localname}>)",
                "export it again from your drawing program as 'Plain SVG'",
            )
        ]
    reasons: list[str] = []
    if tree.docinfo.internalDTD is not None:
        reasons.append("declares entities")
    for element in root.iter(etree.Element):
        local = element.tag.rpartition("}")[2]
        if local in ("script", "foreignObject"):
            reasons.append(f"has a <{local}> element")
        if local == "style" and element.text and _css_reference(element.text):
            reasons.append("loads a file from its styles")
        for name, value in element.items():
            attr = name.rpartition("}")[2]
            if attr.lower().startswith("on"):
                reasons.append(f"has an '{attr}' event handler")
            elif name in ("href", XLINK_HREF) and not _internal_reference(value):
                reasons.append(f"refers to '{value[:60]}'")
            elif attr == "style" and _css_reference(value):
                reasons.append("loads a file from its styles")
    if not reasons:
        return []
    unique = list(dict.fromkeys(reasons))
    return [
        Verdict(
            "IMG010",
            f"'{name}' {'; '.join(unique[:3])}: an SVG must only draw itself",
            "export it again as 'Plain SVG' without scripts, links or embedded web content",
        )
    ]


def _internal_reference(value: str) -> bool:
    value = value.strip()
    return value.startswith("#") or bool(SVG_INLINE_DATA_RE.match(value))


def _css_reference(css: str) -> bool:
    for match in CSS_URL_RE.finditer(css):
        target = match.group(1)
        if target is None or not _internal_reference(target):
            return True
    return False


def alt_verdict(ref: ImageRef) -> Verdict | None:
    """Whether an image's alt text is missing, empty without a decorative mark, or a file name."""
    if ref.alt is None:
        return Verdict(
            "IMG005",
            "this image has no alt text, so screen readers read out its file name",
            'add alt="…" describing what the picture shows',
        )
    alt = " ".join(ref.alt.split())
    if not alt:
        if ref.decorative:
            return None
        return Verdict(
            "IMG006",
            "this image's alt text is empty",
            "describe what the picture shows, e.g. ![A crowd at the town hall](my-post/crowd.jpg); "
            "if it only decorates, mark it: ![](my-post/divider.svg){ .decorative }",
        )
    file_name = posixpath.basename(unquote(urlsplit(ref.src).path)) if ref.src else ""
    stem = posixpath.splitext(file_name)[0]
    if (
        FILE_NAME_RE.match(alt)
        or CAMERA_NAME_RE.match(alt)
        or (stem and alt.lower() in (stem.lower(), file_name.lower()) and " " not in alt)
    ):
        return Verdict(
            "IMG007",
            f"the alt text '{alt}' is a file name, which tells a screen-reader user nothing",
            "describe what the picture shows, e.g. 'The council's social media team at work'",
        )
    return None


def front_matter_image(source: PostSource) -> ImageRef | None:
    """The front matter's ``image``, with its ``image_alt``."""
    mapping = source.mapping
    entry = mapping.get("image") if mapping is not None else None
    if mapping is None or entry is None or not isinstance(entry.value, str):
        return None
    if not entry.value.strip():
        return None
    ref = ImageRef(entry.value, Spot(entry.value_pos.line, entry.value_pos.col), "front matter")
    alt_entry = mapping.get("image_alt")
    if alt_entry is not None and isinstance(alt_entry.value, str) and alt_entry.value.strip():
        ref.alt = alt_entry.value
        ref.alt_spot = Spot(alt_entry.value_pos.line, alt_entry.value_pos.col)
    return ref


def post_image_refs(source: PostSource, reading: BodyReading) -> list[ImageRef]:
    """Every picture a post uses: its front matter's, then each picture of the rendered post,
    with where its path is written."""
    refs: list[ImageRef] = []
    front = front_matter_image(source)
    if front is not None:
        refs.append(front)
    for image in reading.images:
        refs.append(
            ImageRef(
                image.src,
                Spot(image.spot.line, image.spot.col),
                "HTML image" if image.raw_html else "Markdown image",
                raw_html=image.raw_html,
                alt=image.alt,
                alt_spot=Spot(image.spot.line, image.spot.col),
                decorative=image.decorative,
            )
        )
    return refs


def check_post_images(
    source: PostSource, reading: BodyReading, rules: ImageRules
) -> list[ImageRef]:
    """Check every picture a post uses, and report image references with no definition."""
    refs = post_image_refs(source, reading)
    for ref in refs:
        rules.check(ref, source.path.parent, source.add)
    for unresolved in reading.unresolved:
        source.add(
            unresolved.spot.line,
            unresolved.spot.col,
            "IMG014",
            f"the image reference {unresolved.text[:60]} is not defined, so the page would show the text instead of a picture",
            "add a line '[id]: my-post/photo.png' below the paragraph, or write ![alt](path)",
        )
    return refs


def check_avatars(
    project: Project, authors: Iterable[Author], rules: ImageRules
) -> tuple[list[Problem], list[ImageRef]]:
    """Authors' avatars (paths relative to docs/), reported on their line in .authors.yml."""
    shown = project.display(project.authors_file)
    problems: list[Problem] = []
    refs: list[ImageRef] = []

    def add(line: int, col: int, code: str, message: str, hint: str) -> None:
        problems.append(Problem(shown, line, col, code, message, hint))

    for author in authors:
        pos = author.avatar_pos
        ref = ImageRef(author.avatar, Spot(pos.line, pos.col) if pos else Spot(1, 1), "avatar")
        rules.check(ref, project.docs_dir, add)
        refs.append(ref)
    return problems, refs


def unused_picture_problems(rules: ImageRules, docs_dir: Path) -> tuple[list[Problem], list[Path]]:
    """A picture under docs/ that no page uses is published all the same, so it is held to the
    same rules as a picture in use (its kind and, for an SVG, that it draws only itself).
    Returns the problems, at the picture's own file, and the pictures that must not be built."""
    problems: list[Problem] = []
    unsafe: list[Path] = []
    used = rules.judged
    for path in sorted(docs_dir.rglob("*")):
        suffix = path.suffix.lower().lstrip(".")
        if suffix not in WEB_EXTENSIONS or path in used or not path.is_file() or path.is_symlink():
            continue
        verdicts = [v for v in rules.file_verdicts(path) if v.code in UNSAFE_PICTURE_CODES]
        if verdicts:
            unsafe.append(path)
        problems += [
            Problem(rules.project.display(path), 1, 1, v.code, v.message, v.hint) for v in verdicts
        ]
    return problems, unsafe


# What makes a picture file unsafe to publish: a lying extension, an SVG that runs code or loads
# other files, or one that is no SVG at all.
UNSAFE_PICTURE_CODES = frozenset({"IMG009", "IMG010", "IMG011"})
