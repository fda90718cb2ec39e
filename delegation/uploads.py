"""Rules for uploaded files: what every upload form checks before a file is stored.

The type is read from the file's first bytes, not trusted from its name or the browser.
"""

from __future__ import annotations

import warnings

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
IMAGE_KINDS = ("png", "jpeg")

# Signature bytes of the accepted types, and the extensions each may carry.
DOCUMENT_TYPES = {
    "pdf": (b"%PDF-", {".pdf"}),
    "png": (b"\x89PNG\r\n\x1a\n", {".png"}),
    "jpeg": (b"\xff\xd8\xff", {".jpg", ".jpeg"}),
}


def sniff(head: bytes) -> str | None:
    for kind, (signature, _extensions) in DOCUMENT_TYPES.items():
        if head.startswith(signature):
            return kind
    return None


def validate_document_upload(upload) -> str:
    """Refuse a file that is too large or not really a PDF, PNG or JPEG; return its kind."""
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("The file is %(size)s; the limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(MAX_UPLOAD_BYTES)}
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    kind = sniff(head)
    if kind is None:
        raise ValidationError(_("Upload a PDF, PNG or JPEG file."))
    name = (upload.name or "").lower()
    if not any(name.endswith(ext) for ext in DOCUMENT_TYPES[kind][1]):
        raise ValidationError(
            _("The file's name does not match its content (%(kind)s).") % {"kind": kind.upper()}
        )
    if kind in IMAGE_KINDS:
        _refuse_pixel_bomb(upload)
    return kind


def _refuse_pixel_bomb(upload) -> None:
    """Refuse a picture whose header declares more pixels than Pillow's own safe limit
    (about 89 million): a few kilobytes that whoever opens them pays for in gigabytes. Only
    the header is read; a picture Pillow cannot read is left to the checks above."""
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            # Between the limit and twice it Pillow only warns: refused below all the same.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                width, height = image.size
    except Image.DecompressionBombError:
        width, height = Image.MAX_IMAGE_PIXELS + 1, 1
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return
    finally:
        upload.seek(0)
    if width * height > Image.MAX_IMAGE_PIXELS:
        raise ValidationError(
            _(
                "The picture has more than %(limit)s million pixels: scan or photograph it "
                "again at a lower resolution."
            )
            % {"limit": Image.MAX_IMAGE_PIXELS // 1_000_000}
        )


MAX_IMAGE_BYTES = 1024 * 1024


def _looks_like_svg(head: bytes) -> bool:
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return text.startswith((b"<svg", b"<?xml", b"<!doctype svg")) or b"<svg" in text


def validate_image_upload(upload, *, max_bytes: int = MAX_IMAGE_BYTES) -> str:
    """Refuse anything but a real PNG or JPEG image of at most ``max_bytes``; return its kind.

    An SVG is refused by name: it is a document that may carry scripts and links, not a
    picture of fixed pixels.
    """
    if upload.size > max_bytes:
        raise ValidationError(
            _("The image is %(size)s; the limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(max_bytes)}
        )
    upload.seek(0)
    head = upload.read(512)
    upload.seek(0)
    kind = sniff(head)
    if kind is None and _looks_like_svg(head):
        raise ValidationError(_("SVG images are not accepted: save the image as PNG or JPEG."))
    if kind not in IMAGE_KINDS:
        raise ValidationError(_("Upload a PNG or JPEG image."))
    name = (upload.name or "").lower()
    if not any(name.endswith(ext) for ext in DOCUMENT_TYPES[kind][1]):
        raise ValidationError(
            _("The file's name does not match its content (%(kind)s).") % {"kind": kind.upper()}
        )
    try:
        with Image.open(upload) as image:
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        message = _("The image cannot be read; save it again as PNG or JPEG.")
        raise ValidationError(message) from None
    finally:
        upload.seek(0)
    return kind
