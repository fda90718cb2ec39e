"""Cut the Noto Sans CJK JP subsets the PDFs embed (run by `make fonts`).

Source: Debian's fonts-noto-cjk (SIL Open Font License 1.1). Two faces in two weights:

* "Noto Sans JP" (NotoSansJP-*.otf): Latin, kana, CJK punctuation and every CJK character
  the project's own templates and code print: what nearly every document needs;
* "Noto Sans JP Kanji" (NotoSansJPKanji-*.otf): the other JIS X 0208 level-1 kanji, which
  the print stylesheet names second, so Japanese typed by a user never falls back to boxes.

A PDF embeds a subset of each face it uses, cut afresh for every file: a small first face
keeps that cut cheap (a certificate is one file per participant), and the kanji face costs
only the documents that use it.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection

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


def main() -> int:
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
    return 0


if __name__ == "__main__":
    sys.exit(main())
