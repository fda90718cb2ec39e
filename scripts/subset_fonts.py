"""Cut the Noto Sans CJK JP subsets the PDFs embed (run by `make fonts`).

Source: Debian's fonts-noto-cjk (SIL Open Font License 1.1). Two faces in two weights:

* "Noto Sans JP" (NotoSansJP-*.otf): Latin, kana, CJK punctuation and every CJK character
  the project's own templates and code print: what nearly every document needs;
* "Noto Sans JP Kanji" (NotoSansJPKanji-*.otf): the other JIS X 0208 level-1 kanji, which
  the print stylesheet names second, so Japanese typed by a user never falls back to boxes.

A PDF embeds a subset of each face it uses, cut afresh for every file: a small first face
keeps that cut cheap (a certificate is one file per participant), and the kanji face costs
only the documents that use it.

The web pages use the same two faces as WOFF2 web fonts (``static/fonts/*.woff2``, written
by fontTools with brotli), each cut to its Japanese characters only (Latin stays with the
browser's own fonts), and ``static/css/fonts.css`` declares them with the ``unicode-range``
read from each file's cmap: a browser fetches the kana face only for a page with kana (or
the project's own kanji) and the kanji face only for a page with one of the other kanji.
``--web-only`` rebuilds these from the committed OTF files, without fonts-noto-cjk.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

ROOT = Path(__file__).resolve().parent.parent
SOURCES = {
    "Regular": "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "Bold": "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
}
RANGES = [
    (0x20, 0x7E),
    (0xA0, 0x17F),
    (0x2000, 0x206F),
    (0x20A0, 0x20CF),
    (0x2100, 0x214F),
    (0x2190, 0x21FF),
    (0x2460, 0x24FF),
    (0x25A0, 0x25FF),
    (0x2713, 0x2717),
    (0x3000, 0x30FF),
    (0xFF00, 0xFFEF),
]


def jis_level_one() -> set[int]:
    characters = set()
    for row in range(0xB0, 0xD0):
        for cell in range(0xA1, 0xFF):
            try:
                characters.add(ord(bytes([row, cell]).decode("euc_jp")))
            except UnicodeDecodeError:
                continue
    return characters


def project_characters() -> set[int]:
    found = set()
    for path in list(ROOT.glob("templates/**/*.html")) + list(ROOT.glob("*/**/*.py")):
        if ".venv" in path.parts:
            continue
        for char in re.findall(r"[\u3000-\u9fff\uff00-\uffef]", path.read_text(encoding="utf-8")):
            found.add(ord(char))
    return found


def japanese_face(collection_path: str):
    for font in TTCollection(collection_path).fonts:
        names = {record.toUnicode() for record in font["name"].names if record.nameID == 1}
        if any(name.endswith(" JP") for name in names):
            return font
    raise SystemExit(f"No JP face in {collection_path}")


# What the web faces carry: CJK punctuation, kana, kanji and full-width forms.
WEB_RANGES = [(0x2E80, 0x9FFF), (0xF900, 0xFAFF), (0xFE30, 0xFE4F), (0xFF00, 0xFFEF)]
WEB_FACES = {"NotoSansJP": "Noto Sans JP", "NotoSansJPKanji": "Noto Sans JP"}
WEIGHTS = {"Regular": 400, "Bold": 700}
FONTS_CSS = ROOT / "static" / "css" / "fonts.css"


def unicode_ranges(codes: set[int]) -> str:
    """``U+3000-3003, U+3005, ...``: consecutive code points merged into spans."""
    spans: list[list[int]] = []
    for code in sorted(codes):
        if spans and code == spans[-1][1] + 1:
            spans[-1][1] = code
        else:
            spans.append([code, code])
    return ", ".join(
        f"U+{start:X}" if start == end else f"U+{start:X}-{end:X}" for start, end in spans
    )


def web_fonts() -> int:
    """Write the WOFF2 web faces and static/css/fonts.css from the committed OTF faces."""
    wanted = {code for start, end in WEB_RANGES for code in range(start, end + 1)}
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.flavor = "woff2"
    rules = [
        "/* Written by scripts/subset_fonts.py (make fonts): do not edit. Noto Sans JP,\n"
        "   SIL Open Font License 1.1 (static/fonts/LICENSE-OFL.txt). Each face carries only\n"
        "   the Japanese characters of its unicode-range, so a page without them fetches\n"
        "   nothing. */",
    ]
    for face, family in WEB_FACES.items():
        for weight, number in WEIGHTS.items():
            source = ROOT / "static" / "fonts" / f"{face}-{weight}.otf"
            font = TTFont(source)
            codes = set(font.getBestCmap()) & wanted
            subsetter = subset.Subsetter(options)
            subsetter.populate(unicodes=sorted(codes))
            subsetter.subset(font)
            output = source.with_suffix(".woff2")
            font.flavor = "woff2"
            font.save(output)
            covered = set(TTFont(output).getBestCmap())
            print(f"{output.relative_to(ROOT)}: {output.stat().st_size // 1024} KiB")
            rules.append(
                "@font-face {\n"
                f'  font-family: "{family}";\n'
                f'  src: url("../fonts/{output.name}") format("woff2");\n'
                f"  font-weight: {number};\n"
                "  font-style: normal;\n"
                "  font-display: swap;\n"
                f"  unicode-range: {unicode_ranges(covered)};\n"
                "}"
            )
    rules.append(
        "/* The site's font stack: Japanese from the faces above, everything else as before. */\n"
        ":root {\n"
        '  --bs-font-sans-serif: "Noto Sans JP", system-ui, -apple-system, "Segoe UI", Roboto,\n'
        '    "Helvetica Neue", "Noto Sans", "Liberation Sans", Arial, sans-serif,\n'
        '    "Apple Color Emoji", "Segoe UI Emoji", "Segoe UI Symbol", "Noto Color Emoji";\n'
        "}"
    )
    FONTS_CSS.write_text("\n".join(rules) + "\n", encoding="utf-8")
    print(f"{FONTS_CSS.relative_to(ROOT)}")
    return 0


def main() -> int:
    if "--web-only" in sys.argv[1:]:
        return web_fonts()
    core = {code for start, end in RANGES for code in range(start, end + 1)}
    core |= project_characters()
    faces = {"NotoSansJP": core, "NotoSansJPKanji": jis_level_one() - core}
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    for weight, source in SOURCES.items():
        for face, unicodes in faces.items():
            font = japanese_face(source)
            subsetter = subset.Subsetter(options)
            subsetter.populate(unicodes=sorted(unicodes))
            subsetter.subset(font)
            output = ROOT / "static" / "fonts" / f"{face}-{weight}.otf"
            font.save(output)
            print(f"{output.relative_to(ROOT)}: {output.stat().st_size // 1024} KiB")
    return web_fonts()


if __name__ == "__main__":
    sys.exit(main())
