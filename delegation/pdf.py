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
import mimetypes
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


def html_to_document(html: str):
    """Lay the HTML out once; the result writes the whole PDF or any of its pages."""
    from weasyprint import HTML

    source = HTML(string=html, base_url=str(STATIC_DIR) + "/", url_fetcher=url_fetcher())
    return source.render(stylesheets=[_stylesheet()], font_config=_font_config())


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
