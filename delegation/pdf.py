"""HTML to PDF with WeasyPrint, the project's fonts and a closed set of resources, and what
every official print shares: the letterhead and the unbreakable tail of a list.

One ``FontConfiguration`` and the parsed print stylesheet are kept per process. The URL
fetcher serves only the project's static files and ``data:`` URLs (QR codes, and the
organisation's crest, read from the storage by the letterhead): no other file, no network.
"""

from __future__ import annotations

import atexit
import base64
import functools
import gc
import io
import mimetypes
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote

from django.conf import settings
from django.template.loader import render_to_string

from delegation.models import Organisation

STATIC_DIR = Path(settings.BASE_DIR) / "static"
PRINT_CSS = STATIC_DIR / "css" / "print.css"


class ForbiddenResource(ValueError):
    """A print template asked for something outside the project's own files."""


def _allowed_roots() -> list[Path]:
    return [STATIC_DIR.resolve()]


def allowed_path(url: str) -> Path:
    """The project file a ``file://`` URL names, or ``ForbiddenResource``."""
    if not url.startswith("file://"):
        raise ForbiddenResource(f"Only the project's own files can be printed: {url[:60]}")
    path = Path(unquote(url.removeprefix("file://").split("?")[0])).resolve()
    if not any(path.is_relative_to(root) for root in _allowed_roots()) or not path.is_file():
        raise ForbiddenResource(f"Not a printable resource: {path.name}")
    return path


@functools.cache
def url_fetcher():
    """Serves data: URLs (QR codes, the crest) and the static files; refuses anything else."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class ProjectFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            path = allowed_path(url)
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(
                url, body=path.read_bytes(), headers={"Content-Type": content_type}
            )

    return ProjectFetcher(fail_on_errors=False)


@functools.cache
def _font_config():
    from weasyprint.text.fonts import FontConfiguration

    # Let it go while the libraries it holds still exist, not during interpreter shutdown.
    atexit.register(_stylesheet.cache_clear)
    atexit.register(_font_config.cache_clear)
    return FontConfiguration()


@functools.cache
def _stylesheet():
    from weasyprint import CSS

    return CSS(
        filename=str(PRINT_CSS),
        font_config=_font_config(),
        url_fetcher=url_fetcher(),
    )


@functools.cache
def _bare_pages():
    """Pages without their footer: a list printed in parts gets it stamped on afterwards."""
    from weasyprint import CSS

    return CSS(
        string="@page { @bottom-left { content: none } @bottom-right { content: none } }",
        font_config=_font_config(),
    )


def html_to_document(html: str, *, footer: bool = True):
    """Lay the HTML out once; the result writes the whole PDF or any of its pages."""
    from weasyprint import HTML

    source = HTML(string=html, base_url=str(STATIC_DIR) + "/", url_fetcher=url_fetcher())
    stylesheets = [_stylesheet()] if footer else [_stylesheet(), _bare_pages()]
    return source.render(stylesheets=stylesheets, font_config=_font_config())


def html_to_pdf(html: str) -> bytes:
    return html_to_document(html).write_pdf()


def render_pdf(template_name: str, context: dict) -> bytes:
    return html_to_pdf(render_to_string(template_name, context))


def with_tail(rows: list, keep: int = 3) -> tuple[list[dict], list[dict]]:
    """Rows numbered from 1 and cut before the last ``keep``: those last rows are printed
    in one unbreakable block with the closing sentence and the signatures, so a sign-off
    never stands alone on a page."""
    numbered = [{"index": index, "row": row} for index, row in enumerate(rows, start=1)]
    cut = max(0, len(numbered) - keep)
    return numbered[:cut], numbered[cut:]


class PartLayoutError(RuntimeError):
    """A part of a long list did not lay its rows out one after the other."""


def _list_rows_per_page(document) -> list[int]:
    """How many body rows of the list (the ``table.has-tail`` every long print has) each
    page of a laid-out document holds; a row is never cut, so each is on one page."""
    from weasyprint.formatting_structure import boxes

    def rows_in(box, in_list: bool) -> int:
        if isinstance(box, boxes.TableBox) and box.element is not None:
            in_list = "has-tail" in (box.element.get("class") or "").split()
        if isinstance(box, boxes.TableRowGroupBox) and (box.is_header or box.is_footer):
            return 0
        if isinstance(box, boxes.TableRowBox):
            return 1 if in_list else 0
        if isinstance(box, boxes.ParentBox):
            return sum(rows_in(child, in_list) for child in box.children)
        return 0

    return [rows_in(page._page_box, False) for page in document.pages]


RenderPart = Callable[..., str]


def list_to_pdf(
    render: RenderPart,
    rows: list,
    tail: list,
    *,
    generated_note: str,
    landscape: bool = False,
    part_rows: int | None = None,
) -> bytes:
    """A list with its unbreakable tail (``with_tail``) as one PDF that looks as if laid
    out in one go, without holding every page in memory.

    ``render(rows, tail, continued=..., unfinished=...)`` gives the HTML of a part: the
    first part prints the heading, the last the tail and sign-off. A list of up to
    ``part_rows`` rows is one document. A longer one is laid out a few hundred rows at a
    time: a part's last page is dropped and its rows open the next part, so every page
    breaks where the whole list would have; each part is written and freed before the next.
    The footer ("Halaman N dari M" and the generated note) is then stamped on every page,
    numbered across the whole list."""
    if part_rows is None:
        part_rows = settings.PRINT_PART_ROWS
    if len(rows) <= part_rows:
        return html_to_pdf(render(rows, tail, continued=False, unfinished=False))
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    start = 0
    while start < len(rows):
        part, start = _next_part(render, rows, tail, start, part_rows)
        writer.append(io.BytesIO(part))
        gc.collect()  # the part's laid-out pages hold reference cycles: free them now
    footers = PdfReader(io.BytesIO(page_footers(len(writer.pages), generated_note, landscape)))
    for page, footer in zip(writer.pages, footers.pages, strict=True):
        page.merge_page(footer)
        page.compress_content_streams()  # merging left the page's drawing uncompressed
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _next_part(
    render: RenderPart, rows: list, tail: list, start: int, part_rows: int
) -> tuple[bytes, int]:
    """The part of the list that opens on ``rows[start]``, as PDF, and where the next part
    opens. A part that is not the last keeps only its full pages: the rows of its last page
    open the next part, which lays them out as the whole list would on that page."""
    size = part_rows
    while True:
        chunk = rows[start : start + size]
        last = start + size >= len(rows)
        html = render(chunk, tail if last else [], continued=start > 0, unfinished=not last)
        document = html_to_document(html, footer=False)
        per_page = _list_rows_per_page(document)
        if sum(per_page) != len(chunk):
            raise PartLayoutError(f"{sum(per_page)} of {len(chunk)} rows were laid out.")
        if last:
            return document.write_pdf(), len(rows)
        if per_page[-1] < len(chunk):
            full_pages = document.copy(document.pages[:-1])
            return full_pages.write_pdf(), start + len(chunk) - per_page[-1]
        size += part_rows  # not one full page yet: take more rows


def page_footers(count: int, generated_note: str, landscape: bool) -> bytes:
    """``count`` blank pages carrying only the print stylesheet's footer, to lay on a list
    printed in parts: the generated note on the first and "Halaman N dari M" on each."""
    html = render_to_string(
        "pdf/page_footers.html",
        {"pages": range(count - 1), "generated_note": generated_note, "landscape": landscape},
    )
    document = html_to_document(html)
    if len(document.pages) != count:
        raise PartLayoutError(f"{len(document.pages)} footers for {count} pages.")
    return document.write_pdf()


CREST_TYPES = {b"\x89PNG": "image/png", b"\xff\xd8\xff": "image/jpeg"}


def crest_data_uri(organisation: Organisation) -> str:
    """The stored crest as a ``data:`` URI, read from the storage (not from a path), so a
    print needs no file outside the project and any storage backend will do. A crest that is
    gone or not a PNG or JPEG prints nothing."""
    if not organisation.logo:
        return ""
    try:
        with organisation.logo.open("rb") as stored:
            content = stored.read()
    except OSError:
        return ""
    media_type = next((t for sig, t in CREST_TYPES.items() if content.startswith(sig)), None)
    if media_type is None:
        return ""
    return f"data:{media_type};base64,{base64.b64encode(content).decode('ascii')}"


def letterhead() -> dict:
    """What the letterhead partial (``templates/pdf/_letterhead.html``) prints, and the place
    of signing; part of the data a document's checksum covers, so a change reprints."""
    organisation = Organisation.current()
    if organisation is None:
        return {
            "name": "",
            "unit": "",
            "address": "",
            "phone": "",
            "email": "",
            "website": "",
            "place": "",
            "logo": "",
        }
    return {
        "name": organisation.name,
        "unit": organisation.unit,
        "address": organisation.address,
        "phone": organisation.phone,
        "email": organisation.email,
        "website": organisation.website,
        "place": organisation.place,
        "logo": crest_data_uri(organisation),
    }
