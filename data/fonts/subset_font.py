"""Build ``NotoSansSC-Regular.otf`` from a Noto Sans CJK Regular collection.

Extracts the Simplified Chinese face ("Noto Sans CJK SC") from ``NotoSansCJK-Regular.ttc``
and subsets it to the Unicode blocks the charts and reports need (see ``UNICODE_RANGES``).
The subset is renamed "Siyu Sans SC" (see ``FAMILY``).
Hinting is dropped (charts are rendered at 150 dpi and above; hints only cost bytes); the
OpenType features for horizontal text are kept (``LAYOUT_FEATURES``), and so are all name
records (copyright, licence, licence URL).

Usage::

    python data/fonts/subset_font.py NotoSansCJK-Regular.ttc [-o data/fonts/NotoSansSC-Regular.otf]

On Debian/Ubuntu the collection comes with the ``fonts-noto-cjk`` package; find it with
``dpkg -L fonts-noto-cjk | grep NotoSansCJK-Regular.ttc``. Upstream it is
``Sans/OTC/NotoSansCJK-Regular.ttc`` in https://github.com/notofonts/noto-cjk.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

#: Face taken from the collection.
SOURCE_FAMILY = "Noto Sans CJK SC"

#: Family name of the subset. It differs from the source family on purpose: many systems have
#: the full "Noto Sans CJK SC" installed, and matplotlib resolves a family name to the first
#: matching file, so a shared name would make charts use whichever copy the system lists first.
FAMILY = "Siyu Sans SC"
POSTSCRIPT_NAME = "SiyuSansSC-Regular"

#: Inclusive code point ranges kept in the subset.
UNICODE_RANGES: list[tuple[int, int, str]] = [
    (0x0020, 0x007E, "Basic Latin"),
    (0x00A0, 0x00FF, "Latin-1 Supplement"),
    (0x2000, 0x206F, "General Punctuation"),
    (0x20A0, 0x20CF, "Currency Symbols"),
    (0x2100, 0x214F, "Letterlike Symbols"),
    (0x2150, 0x218F, "Number Forms"),
    (0x2190, 0x21FF, "Arrows"),
    (0x2200, 0x22FF, "Mathematical Operators"),
    (0x2460, 0x24FF, "Enclosed Alphanumerics"),
    (0x2500, 0x257F, "Box Drawing"),
    (0x2580, 0x259F, "Block Elements"),
    (0x25A0, 0x25FF, "Geometric Shapes"),
    (0x2605, 0x2606, "Black and white star"),
    (0x3000, 0x303F, "CJK Symbols and Punctuation"),
    (0x4E00, 0x9FFF, "CJK Unified Ideographs"),
    (0xFF00, 0xFFEF, "Halfwidth and Fullwidth Forms"),
]


#: OpenType features kept: those horizontal Chinese/Latin text uses. Left out on purpose:
#: ``locl`` (in the SC face it only maps to Japanese/Korean/Traditional glyph variants) and the
#: vertical-writing features (``vert``, ``vrt2``, ``vkrn``, ``vpal``, ``vhal``); together they
#: would pull in ~17,000 extra glyphs.
LAYOUT_FEATURES = ["ccmp", "liga", "kern", "palt", "halt"]


def _face_index(collection: TTCollection, family: str) -> int:
    for index, font in enumerate(collection.fonts):
        if font["name"].getDebugName(1) == family:
            return index
    found = [font["name"].getDebugName(1) for font in collection.fonts]
    raise SystemExit(f"No face named {family!r} in the collection; found {found}.")


def _rename(font: TTFont, version: str) -> None:
    """Give the subset its own family name in the name table and the CFF table."""
    names = {
        1: FAMILY,
        3: f"{version};SIYU;{POSTSCRIPT_NAME}",
        4: f"{FAMILY} Regular",
        6: POSTSCRIPT_NAME,
    }
    table = font["name"]
    for record in list(table.names):
        if record.nameID in names:
            table.setName(
                names[record.nameID],
                record.nameID,
                record.platformID,
                record.platEncID,
                record.langID,
            )
    description = (
        f"Subset of {SOURCE_FAMILY} Regular {version} for the siyu-diag charts: Latin, "
        "punctuation, symbols and the CJK Unified Ideographs block; hinting removed."
    )
    table.setName(description, 10, 3, 1, 0x409)
    cff = font["CFF "].cff
    cff.fontNames = [POSTSCRIPT_NAME]
    top = cff.topDictIndex[0]
    top.FullName = f"{FAMILY} Regular"
    top.FamilyName = FAMILY


def build(ttc: Path, out: Path) -> None:
    """Extract the SC face from ``ttc``, subset it and save it to ``out``."""
    collection = TTCollection(str(ttc))
    font = collection.fonts[_face_index(collection, SOURCE_FAMILY)]

    options = subset.Options()
    options.hinting = False
    options.desubroutinize = False
    options.layout_features = LAYOUT_FEATURES
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.glyph_names = False

    unicodes = [cp for lo, hi, _ in UNICODE_RANGES for cp in range(lo, hi + 1)]
    subsetter = subset.Subsetter(options=options)
    subsetter.populate(unicodes=unicodes)
    subsetter.subset(font)
    _rename(font, font["name"].getDebugName(5).split(";")[0].removeprefix("Version ").strip())

    font.recalcTimestamp = False  # keep head.modified from the source: byte-identical rebuilds
    out.parent.mkdir(parents=True, exist_ok=True)
    font.save(str(out))
    print(f"{out.name}: {len(font.getGlyphOrder())} glyphs, {out.stat().st_size:,} bytes")


def main() -> None:
    """Parse the command line and build the subset."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("ttc", type=Path, help="path of NotoSansCJK-Regular.ttc")
    parser.add_argument(
        "-o",
        "--out",
        type=Path,
        default=Path(__file__).with_name("NotoSansSC-Regular.otf"),
        help="output file (default: NotoSansSC-Regular.otf beside this script)",
    )
    args = parser.parse_args()
    build(args.ttc, args.out)


if __name__ == "__main__":
    main()
