"""The pictures a post uses: that each one exists, is named exactly, describes itself and is safe.

Every image a post uses is checked: Markdown images (``![alt](src)``), reference-style images
(``![alt][id]`` with ``[id]: src``), raw HTML ``<img src>`` and ``srcset``, ``<picture>``'s
``<source srcset>``, the front-matter ``image``, and author avatars in ``.authors.yml``.

Paths are relative to the post file (avatars: relative to ``docs/``) and must name a file under
``docs/`` with exactly the same capital letters: a Mac or Windows computer finds ``Photo.PNG``
when the post says ``photo.png``; the Linux server that publishes the site does not.

Decorative images. An image that only decorates (a divider, a flourish) has empty alt text and is
marked as decorative, so screen readers skip it on purpose rather than by accident:

- Markdown: ``![](divider.svg){ .decorative }``
- raw HTML: ``<img src="…" alt="" class="decorative">`` (``role="presentation"`` or
  ``role="none"`` also mark it)

An image with empty alt text and no such mark is an error (IMG006).

| code   | meaning |
| ------ | ------- |
| IMG001 | the image file does not exist (or the path names a folder) |
| IMG002 | the file exists, but its name differs in capital letters from the path in the post |
| IMG003 | the path leads outside the ``docs/`` folder |
| IMG004 | the address is neither a path relative to the post nor an https address (``/…``, ``//…``, ``file:``, ``data:``, a ``C:\\`` path, backslashes) |
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
| IMG015 | an ``http://`` image on an https site, which browsers block or fail to load |

Problems found in the built site (``site_check``) and by the online check (``external_images``)
have their own codes, listed in those modules.
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

from .catalogue import Author
from .front_matter import PostSource
from .markup import srcset_urls
from .post_body import BodyScan, Spot, Tag
from .problems import Problem
from .project import Project

IMAGE_CODES: dict[str, str] = {
    "IMG001": "the image file does not exist",
    "IMG002": "the file name's capital letters differ from the path",
    "IMG003": "the path leads outside the docs folder",
    "IMG004": "not a path relative to the post, nor an https address",
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
    "IMG015": "an http:// image on an https site",
}

DECORATIVE_CLASS = "decorative"
DECORATIVE_ROLES = frozenset({"presentation", "none"})
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

    @property
    def external(self) -> bool:
        return urlsplit(self.src.strip()).scheme in ("http", "https")


@dataclass(frozen=True)
class Verdict:
    code: str
    message: str
    hint: str


@dataclass
class ImageRules:
    """The checks on image paths and files, with what it has already read kept for the run."""

    project: Project
    _listings: dict[str, dict[str, bool]] = field(default_factory=dict)
    _files: dict[Path, list[Verdict]] = field(default_factory=dict)
    _by_name: dict[str, list[Path]] | None = None
    _folders: dict[Path, str] = field(default_factory=dict)

    @property
    def max_bytes(self) -> int:
        return int(float(self.project.hub["image_max_kb"]) * 1024)

    @property
    def https_site(self) -> bool:
        return self.project.site_url.startswith("https://")

    # -- Paths --------------------------------------------------------------------------------

    def listing(self, folder: str) -> dict[str, bool]:
        """The names in a folder (name -> is a folder), read once per run."""
        found = self._listings.get(folder)
        if found is None:
            try:
                with os.scandir(folder) as entries:
                    found = {e.name: e.is_dir() for e in entries}
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
        if parts.scheme or parts.netloc or src.startswith("/"):
            scheme = parts.scheme + ":" if parts.scheme else "a path starting with '/'"
            return None, Verdict(
                "IMG004",
                f"'{src[:80]}' is {scheme}, not a picture file next to the post or an https address",
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
        wrong_case = is_folder = False
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
            is_folder = entries[name]
        if is_folder:
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
                found.extend(_svg_verdicts(path.name, data))
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
        if ref.external:
            if src.lower().startswith("http://") and self.https_site:
                add(
                    *at,
                    "IMG015",
                    f"'{src[:80]}' is loaded over http:// on an https site; browsers block it or show it as broken",
                    "use the https:// address of the picture, or save the picture in the post's folder",
                )
            return
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


def _svg_verdicts(name: str, data: bytes) -> list[Verdict]:
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


def is_decorative(attrs: list[tuple[str, str | None]]) -> bool:
    """Marked decorative: class 'decorative' (``{ .decorative }``) or role presentation/none."""
    for key, value in attrs:
        classes = (value or "").split() if key in (".", "class") else []
        if DECORATIVE_CLASS in classes:
            return True
        if key == "role" and (value or "").strip().lower() in DECORATIVE_ROLES:
            return True
    return False


def html_image_refs(tag: Tag) -> list[ImageRef]:
    """The pictures a raw ``<img>`` or ``<source>`` tag uses."""
    refs: list[ImageRef] = []
    srcset = tag.attr("srcset")
    if tag.name == "img":
        src = tag.attr("src")
        refs.append(
            ImageRef(
                src or "",
                tag.attr_spot("src") if src is not None else tag.spot,
                "HTML image",
                raw_html=True,
                alt=tag.attr("alt") if tag.has("alt") else None,
                alt_spot=tag.spot,
                decorative=is_decorative(tag.attrs),
                check_path=src is not None or not srcset,
            )
        )
    if tag.name in ("img", "source") and srcset:
        spot = tag.attr_spot("srcset")
        refs.extend(ImageRef(url, spot, "srcset", raw_html=True) for url in srcset_urls(srcset))
    return refs


def post_image_refs(source: PostSource, scan: BodyScan) -> list[ImageRef]:
    """Every picture a post uses, with where each path and alt text is written.

    A reference-style image's path is checked once, where ``[id]: path`` is written; its alt text
    where each ``![alt][id]`` is.
    """
    refs: list[ImageRef] = []
    mapping = source.mapping
    entry = mapping.get("image") if mapping is not None else None
    if mapping is not None and entry is not None and isinstance(entry.value, str):
        ref = ImageRef(entry.value, Spot(entry.value_pos.line, entry.value_pos.col), "front matter")
        alt_entry = mapping.get("image_alt")
        if alt_entry is not None and isinstance(alt_entry.value, str) and alt_entry.value.strip():
            ref.alt = alt_entry.value
            ref.alt_spot = Spot(alt_entry.value_pos.line, alt_entry.value_pos.col)
        if entry.value.strip():
            refs.append(ref)
    defined: set[str] = set()
    for image in scan.images:
        decorative = is_decorative(image.attrs)
        if image.ref is not None:
            if image.ref_id not in defined:
                defined.add(image.ref_id)
                refs.append(ImageRef(image.ref.url, image.ref.spot, "reference"))
            src, check_path = image.ref.url, False
        elif image.src is not None:
            src, check_path = image.src, True
        else:
            continue
        refs.append(
            ImageRef(
                src,
                image.spot,
                "Markdown image",
                alt=image.alt,
                alt_spot=image.spot,
                decorative=decorative,
                check_path=check_path,
            )
        )
    for tag in scan.tags:
        refs.extend(html_image_refs(tag))
    return refs


def check_post_images(source: PostSource, scan: BodyScan, rules: ImageRules) -> list[ImageRef]:
    """Check every picture a post uses; returns them (the online check needs the external ones)."""
    refs = post_image_refs(source, scan)
    for ref in refs:
        rules.check(ref, source.path.parent, source.add)
    for image in scan.images:
        if image.ref_id and image.ref is None:
            source.add(
                image.spot.line,
                image.spot.col,
                "IMG014",
                f"the image reference [{image.ref_id}] is not defined, so the page would show the text instead of a picture",
                f"add a line '[{image.ref_id}]: my-post/photo.png' below the paragraph, or write ![alt](path)",
            )
    return [r for r in refs if r.check_path]


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
