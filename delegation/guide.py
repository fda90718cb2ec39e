"""The user guide (``docs/panduan/``): its sections, read from Markdown and shown as HTML.

Each section is one Markdown file per language (``docs/panduan/id/<slug>.md`` and
``docs/panduan/en/<slug>.md``); its first ``# `` line is its title. Pictures are referenced
as ``../img/<name>.png`` so the files read well on their own; on the site those addresses
point at the static files (``STATICFILES_DIRS`` serves ``docs/panduan/img/`` as
``panduan/``). The screenshots are taken from the demo by ``scripts/guide_screenshots.py``
(``make guide``). The Markdown is the project's own text: nothing a user typed is rendered.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

import markdown
from django.conf import settings
from django.http import Http404
from django.templatetags.static import static
from django.utils.translation import get_language

GUIDE_DIR = Path(settings.BASE_DIR) / "docs" / "panduan"
IMAGE_DIR = GUIDE_DIR / "img"
LANGUAGES = ("id", "en")
IMAGE_PREFIX = "../img/"

# The sections in reading order: a new HR officer goes from signing in and the selection of a
# batch to a printed pack; then the duty of care abroad.
SLUGS = (
    "mulai",
    "seleksi",
    "peserta",
    "presensi",
    "kesiapan",
    "upacara",
    "pemantauan",
    "kesejahteraan",
)


@dataclass(frozen=True)
class Section:
    slug: str
    title: str
    summary: str
    html: str


def source(slug: str, language: str) -> Path:
    return GUIDE_DIR / language / f"{slug}.md"


def _language(language: str | None) -> str:
    code = (language or get_language() or "id").split("-")[0]
    return code if code in LANGUAGES else LANGUAGES[0]


class _StaticImages(markdown.treeprocessors.Treeprocessor):
    """``../img/x.png`` becomes the static file's address; images get Bootstrap's classes."""

    def run(self, root: ElementTree.Element) -> None:
        for image in root.iter("img"):
            src = image.get("src", "")
            if src.startswith(IMAGE_PREFIX):
                image.set("src", static("panduan/" + src.removeprefix(IMAGE_PREFIX)))
            image.set("class", "img-fluid border rounded shadow-sm my-2")
            image.set("loading", "lazy")
        for table in root.iter("table"):
            table.set("class", "table table-sm")


class _StaticImagesExtension(markdown.Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (the library's name)
        md.treeprocessors.register(_StaticImages(md), "guide_static_images", 0)


def _split(text: str) -> tuple[str, str, str]:
    """The title (first ``# `` line), the first paragraph after it, and the body."""
    lines = text.splitlines()
    title = next((line[2:].strip() for line in lines if line.startswith("# ")), "")
    body_lines = [line for line in lines if not line.startswith("# ")]
    paragraphs = "\n".join(body_lines).strip().split("\n\n")
    summary = " ".join(paragraphs[0].split()) if paragraphs else ""
    return title, summary, "\n".join(body_lines)


def section(slug: str, language: str | None = None) -> Section:
    """One section in the given (else the active) language; 404 for an unknown slug."""
    if slug not in SLUGS:
        raise Http404("No such section of the guide.")
    text = source(slug, _language(language)).read_text(encoding="utf-8")
    title, summary, body = _split(text)
    html = markdown.markdown(
        body, extensions=["tables", "attr_list", _StaticImagesExtension()], output_format="html"
    )
    return Section(slug=slug, title=title, summary=summary, html=html)


def sections(language: str | None = None) -> list[Section]:
    return [section(slug, language) for slug in SLUGS]


def images(slug: str, language: str) -> list[str]:
    """The picture file names a section's Markdown refers to."""
    text = source(slug, language).read_text(encoding="utf-8")
    names = []
    for part in text.split("](" + IMAGE_PREFIX)[1:]:
        names.append(part.split(")", 1)[0].split(" ", 1)[0])
    return names
