"""The core's own pages: health check, notifications, the letterhead and the user guide."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.db import DatabaseError, connection, transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from delegation import guide
from delegation.forms import LetterheadForm
from delegation.jobs import broker_status
from delegation.models import Organisation
from delegation.pagination import paginate
from delegation.uploads import sniff


def _database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return "error"
    return "ok"


@transaction.non_atomic_requests
@never_cache
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    checks = {"database": _database_status(), "broker": broker_status()}
    healthy = all(value in {"ok", "disabled"} for value in checks.values())
    return JsonResponse(checks, status=200 if healthy else 503)


def notifications(request: HttpRequest) -> HttpResponse:
    items = request.user.notifications.all()
    if request.method == "POST":
        request.user.notifications.unread().update(read_at=timezone.now())
        messages.success(request, _("All reminders are marked as read."))
        return redirect("notifications")
    page = paginate(request, items, 30)
    return render(request, "delegation/notifications.html", {"page": page})


HISTORY_SHOWN = 10


def _letterhead_history(organisation: Organisation | None) -> list[dict]:
    """The latest changes, newest first: when, by whom, which fields."""
    if organisation is None:
        return []
    rows = list(organisation.history.select_related("history_user")[: HISTORY_SHOWN + 1])
    changes = []
    for record, previous in zip(rows, [*rows[1:], None], strict=False):
        if len(changes) == HISTORY_SHOWN:
            break
        if previous is None:
            fields = []
        else:
            fields = [
                str(Organisation._meta.get_field(change.field).verbose_name)
                for change in record.diff_against(previous).changes
            ]
        changes.append({"record": record, "fields": fields, "first": previous is None})
    return changes


@permission_required("delegation.change_organisation", raise_exception=True)
def letterhead_edit(request: HttpRequest) -> HttpResponse:
    """The letterhead every official print carries, kept by HR staff."""
    organisation = Organisation.current()
    instance = organisation or Organisation(pk=Organisation.SINGLE_ROW_ID)
    form = LetterheadForm(request.POST or None, request.FILES or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        if form.has_changed():  # a save without changes would add an empty history row
            form.save()
            messages.success(
                request, _("The letterhead is saved; documents made from now on print it.")
            )
        else:
            messages.info(request, _("Nothing was changed."))
        return redirect("letterhead_edit")
    return render(
        request,
        "delegation/letterhead.html",
        {
            "form": form,
            "organisation": organisation,
            "history": _letterhead_history(organisation),
        },
    )


@permission_required("delegation.change_organisation", raise_exception=True)
@require_GET
def letterhead_crest(request: HttpRequest) -> FileResponse:
    """The stored crest, for the letterhead page's preview (media files are never public)."""
    organisation = Organisation.current()
    if organisation is None or not organisation.logo:
        raise Http404("No crest.")
    try:
        stored = organisation.logo.open("rb")
    except OSError:
        raise Http404("The crest file is missing.") from None
    kind = sniff(stored.read(16))
    stored.seek(0)
    if kind not in {"png", "jpeg"}:
        stored.close()
        raise Http404("The stored crest is not an image.")
    response = FileResponse(stored, content_type=f"image/{kind}")
    response["Content-Disposition"] = "inline"
    response["Cache-Control"] = "private, no-cache"
    return response


@require_GET
def help_index(request: HttpRequest) -> HttpResponse:
    """The user guide's table of contents, in the page's language."""
    return render(request, "delegation/help_index.html", {"sections": guide.sections()})


@require_GET
def help_page(request: HttpRequest, slug: str) -> HttpResponse:
    """One section of the user guide, with links to the one before and after it."""
    current = guide.section(slug)
    position = guide.SLUGS.index(slug)
    previous = guide.section(guide.SLUGS[position - 1]) if position > 0 else None
    following = (
        guide.section(guide.SLUGS[position + 1]) if position + 1 < len(guide.SLUGS) else None
    )
    context = {"section": current, "previous": previous, "following": following}
    return render(request, "delegation/help_page.html", context)
