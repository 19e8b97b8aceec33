#!/usr/bin/env python3
"""Draw the site's PNG icons from its SVG favicon (docs/assets/images/favicon.svg).

python scripts/make_icons.py          # write favicon-32.png and apple-touch-icon.png beside it
python scripts/make_icons.py --check  # exit 1 if the PNGs are not what the SVG draws

The PNGs are committed, so that the site build needs no drawing; run this after changing the SVG.
The apple-touch icon is opaque (the phone rounds its corners itself), on the SVG's own blue.
"""

import argparse
import io
import sys
from pathlib import Path

import resvg_py
from PIL import Image, ImageChops

IMAGES = Path(__file__).resolve().parents[1] / "docs" / "assets" / "images"
SOURCE = IMAGES / "favicon.svg"
# Each icon: its file, its side in pixels, and the colour behind it (None: transparent).
ICONS = (("favicon-32.png", 32, None), ("apple-touch-icon.png", 180, "#1d4f73"))


def draw(side: int, background: str | None) -> Image.Image:
    png = resvg_py.svg_to_bytes(
        svg_string=SOURCE.read_text(encoding="utf-8"),
        width=side,
        height=side,
        background=background,
        skip_system_fonts=True,
    )
    icon = Image.open(io.BytesIO(png))
    return icon.convert("RGB") if background else icon.convert("RGBA")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only say whether they are current")
    args = parser.parse_args()
    stale = []
    for name, side, background in ICONS:
        icon = draw(side, background)
        path = IMAGES / name
        if args.check:
            try:
                with Image.open(path) as current:
                    same = current.convert(icon.mode)
                    if same.size != icon.size or ImageChops.difference(same, icon).getbbox():
                        stale.append(name)
            except OSError:
                stale.append(name)
        else:
            icon.save(path, "PNG", optimize=True)
            print(f"wrote {path.relative_to(IMAGES.parents[2])} ({side}×{side})")
    if stale:
        print(f"make_icons: out of date: {', '.join(stale)}; run python scripts/make_icons.py")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
