"""The pictures of imported posts: found in a copy of ``wp-content/uploads`` (or downloaded with
``--online``), named and sized by the hub's rules, and saved in the post's folder.

- A size variant WordPress made (``photo-300x200.jpg``) resolves to its original
  (``photo.jpg``) when the original is there.
- Names are lowercase words and hyphens with the extension of what the file really is
  (``images.py`` rejects a JPEG named ``.png``, IMG009, and names that differ in capital letters,
  IMG002).
- Every file fits ``image_max_kb`` (IMG008): JPEGs are saved again without their metadata (a
  phone's photo holds where it was taken), and anything too large is scaled down and compressed
  with Pillow until it fits.
- Downloads (``--online`` only) run a few at a time, are retried, and are kept in a cache, so a
  second run asks nothing of the old site.
"""

from __future__ import annotations

import hashlib
import io
import re
import time
import urllib.error
import urllib.request
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from PIL import Image, UnidentifiedImageError

from socialcouncils.content.scaffold import slug_for

UPLOADS_MARK = "/wp-content/uploads/"
SIZE_VARIANT_RE = re.compile(r"-\d{1,5}x\d{1,5}(?=\.[A-Za-z0-9]+$)")
FORMATS = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp"}
LONGEST_SIDE = 2000
DOWNLOAD_LIMIT = 25 * 1024 * 1024
DOWNLOAD_WORKERS = 4
DOWNLOAD_TRIES = 3


class PictureError(Exception):
    """Why a picture could not be brought across, in plain words."""


def uploads_path(url: str) -> str | None:
    """The path under ``wp-content/uploads/`` a picture's address names, else None."""
    path = unquote(urlsplit(url.strip()).path)
    if UPLOADS_MARK not in path:
        return None
    relative = path.split(UPLOADS_MARK, 1)[1]
    parts = [p for p in relative.split("/") if p]
    if not parts or any(p in (".", "..") for p in parts):
        return None
    return "/".join(parts)


def original_of(relative: str) -> str:
    return SIZE_VARIANT_RE.sub("", relative)


def fit(data: bytes, max_bytes: int) -> tuple[bytes, str]:
    """The picture as a web file of at most ``max_bytes``, and its extension."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            kind = image.format or ""
            small = len(data) <= max_bytes and max(image.size) <= LONGEST_SIDE
            if kind in ("PNG", "GIF", "WEBP") and small:
                return data, FORMATS[kind]
            keep_alpha = kind in ("PNG", "GIF", "WEBP") and image.mode in ("RGBA", "LA", "P")
            picture = image.convert("RGBA" if keep_alpha else "RGB")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise PictureError(f"the file is not a picture Pillow can read ({exc})") from None
    scale = min(1.0, LONGEST_SIDE / max(picture.size))
    quality = 85
    while True:
        size = (max(1, round(picture.width * scale)), max(1, round(picture.height * scale)))
        resized = picture.resize(size, Image.Resampling.LANCZOS) if scale < 1 else picture
        out = io.BytesIO()
        if keep_alpha:
            resized.save(out, "PNG", optimize=True)
            ext = "png"
        else:
            resized.save(out, "JPEG", quality=quality, optimize=True, progressive=True)
            ext = "jpg"
        if out.tell() <= max_bytes or max(size) <= 64:
            return out.getvalue(), ext
        if not keep_alpha and quality > 60:
            quality -= 10
        else:
            scale *= 0.8


def _get(url: str) -> bytes:
    last: Exception | None = None
    for attempt in range(DOWNLOAD_TRIES):
        try:
            request = urllib.request.Request(url, headers={"User-Agent": "socialcouncils-import"})
            with urllib.request.urlopen(request, timeout=30) as response:
                data = response.read(DOWNLOAD_LIMIT + 1)
            if len(data) > DOWNLOAD_LIMIT:
                raise PictureError("the file is larger than 25 MB")
            return bytes(data)
        except urllib.error.HTTPError as exc:
            if exc.code < 500:
                raise PictureError(f"the old site answered {exc.code} for {url}") from None
            last = exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            last = exc
        time.sleep(0.2 * (attempt + 1))
    raise PictureError(f"{url} could not be downloaded ({last})")


@dataclass
class PictureSource:
    """Where pictures come from: a folder (a copy of wp-content/uploads), or the old site."""

    uploads: Path | None
    online: bool = False
    cache: Path | None = None
    _failed: dict[str, str] = field(default_factory=dict)

    def _cached(self, url: str) -> Path | None:
        if self.cache is None:
            return None
        return self.cache / hashlib.sha256(url.encode("utf-8")).hexdigest()

    def prefetch(self, urls: Iterable[str]) -> None:
        """Download, a few at a time, every picture the folder does not hold (``--online``)."""
        if not self.online:
            return
        wanted = sorted({u for u in urls if self.local_bytes(u) is None})
        todo = [u for u in wanted if not ((path := self._cached(u)) and path.exists())]

        def one(url: str) -> None:
            try:
                data = _get(url)
            except PictureError as exc:
                self._failed[url] = str(exc)
                return
            path = self._cached(url)
            if path is not None:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)

        with ThreadPoolExecutor(max_workers=DOWNLOAD_WORKERS) as pool:
            list(pool.map(one, todo))

    def local_bytes(self, url: str) -> bytes | None:
        relative = uploads_path(url)
        if self.uploads is None or relative is None:
            return None
        for candidate in dict.fromkeys((original_of(relative), relative)):
            path = self.uploads / candidate
            if path.is_file() and not path.is_symlink():
                return path.read_bytes()
        return None

    def read(self, url: str) -> tuple[bytes, str]:
        """The picture's bytes and the file name it had; or ``PictureError``."""
        relative = uploads_path(url)
        data = self.local_bytes(url)
        name = original_of(relative or urlsplit(url).path).rsplit("/", 1)[-1]
        if data is not None:
            return data, name
        if self.online:
            original = url.replace(relative, original_of(relative)) if relative else url
            for candidate in dict.fromkeys((original, url)):
                cached = self._cached(candidate)
                if cached is not None and cached.exists():
                    return cached.read_bytes(), name
            if url in self._failed:
                raise PictureError(self._failed[url])
            # Not fetched ahead (an address only the export's metadata names): fetch it now.
            self.prefetch([url])
            cached = self._cached(url)
            if cached is not None and cached.exists():
                return cached.read_bytes(), name
            raise PictureError(self._failed.get(url, f"{url} could not be downloaded"))
        if relative is None:
            raise PictureError(f"{url} is not in the blog's uploads folder")
        raise PictureError(f"{original_of(relative)} is not in the uploads folder")


@dataclass
class PostPictures:
    """The pictures of one post, as files to write into its folder."""

    slug: str
    source: PictureSource
    max_bytes: int
    files: dict[str, bytes] = field(default_factory=dict)
    _by_url: dict[str, str] = field(default_factory=dict)

    def add(self, url: str) -> str:
        """The path (relative to the post) of the picture at ``url``; or ``PictureError``."""
        key = original_of(url)
        if key in self._by_url:
            return self._by_url[key]
        data, name = self.source.read(url)
        fitted, ext = fit(data, self.max_bytes)
        stem = slug_for(name.rsplit(".", 1)[0]) if "." in name else slug_for(name)
        if stem == "new-post":
            stem = "picture"
        file_name = f"{stem}.{ext}"
        number = 2
        while file_name in self.files and self.files[file_name] != fitted:
            file_name = f"{stem}-{number}.{ext}"
            number += 1
        self.files[file_name] = fitted
        path = f"{self.slug}/{file_name}"
        self._by_url[key] = path
        return path
