"""Take the user guide's screenshots from the demo, in Indonesian and English (`make guide`).

Migrates a fresh SQLite database (``var/guide.sqlite3``, never the one of ``make run``), loads
the demo with ``seed_demo``, serves it with Django's development server on a free port, and
drives Chromium (``/usr/bin/chromium``, or ``GUIDE_CHROMIUM``) through Playwright: each shot
signs in as a demo user, opens a page, and saves ``docs/panduan/img/<language>-<name>.png``
(1366×800, the laptop width the pages are checked at, compressed with Pillow). The guide's
Markdown refers to these files, so the pictures are taken again whenever the screens change.
"""

from __future__ import annotations

import datetime
import io
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DATABASE = BASE_DIR / "var" / "guide.sqlite3"
IMAGE_DIR = BASE_DIR / "docs" / "panduan" / "img"
CHROMIUM = os.environ.get("GUIDE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
VIEWPORT = {"width": 1366, "height": 800}
PASSWORD = "demo-password"
LANGUAGES = ("id", "en")


@dataclass(frozen=True)
class Shot:
    """One picture: who is signed in (None: nobody), where, and what is done before it."""

    name: str
    section: str
    user: str | None
    path: str | Callable[[dict], str]
    prepare: Callable | None = field(default=None, compare=False)
    scroll_to: str | None = None  # a CSS selector brought to the top before the picture


def _open_menu(label_id: str, label_en: str):
    def prepare(page, language):
        label = label_id if language == "id" else label_en
        page.get_by_role("button", name=label, exact=True).click()

    return prepare


def _make_pack(page, language):
    """Ask for the ceremony pack from the batch page, as an HR officer would."""
    label = "Paket acara pelepasan" if language == "id" else "Ceremony pack"
    page.get_by_role("button", name=label).click()
    page.wait_for_url("**/jobs/")


SHOTS: tuple[Shot, ...] = (
    Shot("login", "mulai", None, "/accounts/login/"),
    Shot("dashboard", "mulai", "hr", "/"),
    Shot("help-menu", "mulai", "hr", "/", prepare=_open_menu("Bantuan", "Help")),
    Shot("selection-call", "seleksi", "hr", lambda ids: f"/selection/calls/{ids['decided_call']}/"),
    Shot(
        "selection-desk", "seleksi", "hr", lambda ids: f"/selection/calls/{ids['open_call']}/apply/"
    ),
    Shot(
        "selection-scores",
        "seleksi",
        "committee",
        lambda ids: f"/selection/stages/{ids['language_stage']}/scores/",
    ),
    Shot(
        "selection-ranking",
        "seleksi",
        "hr",
        lambda ids: f"/selection/calls/{ids['decided_call']}/ranking/",
    ),
    Shot("participant-list", "peserta", "hr", "/participants/"),
    Shot("participant-new", "peserta", "hr", "/participants/new/"),
    Shot("import", "peserta", "hr", "/participants/import/"),
    Shot("training", "presensi", "hr", lambda ids: f"/batches/{ids['training']}/training/"),
    Shot(
        "attendance",
        "presensi",
        "hr",
        lambda ids: f"/training/sessions/{ids['session']}/attendance/",
    ),
    Shot(
        "readiness",
        "kesiapan",
        "coordinator",
        lambda ids: f"/batches/{ids['training']}/",
        scroll_to="#readiness-heading",
    ),
    Shot(
        "batch-documents",
        "upacara",
        "hr",
        lambda ids: f"/batches/{ids['departed']}/",
        scroll_to="#documents-heading",
    ),
    Shot(
        "documents",
        "upacara",
        "hr",
        lambda ids: f"/batches/{ids['departed']}/",
        prepare=lambda page, language: _make_pack(page, language),
    ),
    Shot("monitoring", "pemantauan", "hr", "/monitoring/"),
    Shot(
        "check-in", "pemantauan", "hr", lambda ids: f"/participants/{ids['abroad']}/check-ins/new/"
    ),
    Shot("welfare-cases", "kesejahteraan", "hr", "/welfare/"),
    Shot(
        "status-elsewhere",
        "kesejahteraan",
        "hr",
        lambda ids: f"/participants/{ids['abroad']}/status/",
        scroll_to="#moves-elsewhere",
    ),
)


def image_name(shot: Shot, language: str) -> str:
    return f"{language}-{shot.name}.png"


def _environment() -> dict:
    return {
        **os.environ,
        "DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{DATABASE}",
        "REDIS_URL": "",
        "DJANGO_SETTINGS_MODULE": "delegation.settings",
    }


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def prepare_database(*, fresh: bool = True) -> dict:
    """A fresh database with the demo (else the last one); the ids of the objects the shots
    open."""
    DATABASE.parent.mkdir(parents=True, exist_ok=True)
    if fresh:
        DATABASE.unlink(missing_ok=True)
    os.environ.update(_environment())
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()
    from django.core.management import call_command

    if fresh:
        call_command("migrate", "--noinput", verbosity=0)
        call_command("seed_demo", verbosity=0)

    from cohorts.models import Cohort
    from participants.models import Participant
    from recruitment.models import Call, Stage
    from training.models import Session

    training = Cohort.objects.filter(status=Cohort.Status.TRAINING).order_by("number").first()
    departed = Cohort.objects.filter(ceremony__isnull=False).order_by("-number").first()
    session = (
        Session.objects.filter(module__plan__cohort=training, date__lt=datetime.date.today())
        .order_by("-date", "-start_time")
        .first()
    )
    abroad = Participant.objects.filter(cohort=departed).order_by("full_name").first()
    decided = Call.objects.filter(status=Call.Status.DECIDED).order_by("pk").first()
    return {
        "decided_call": decided.pk,
        "open_call": Call.objects.filter(status=Call.Status.OPEN).order_by("pk").first().pk,
        "language_stage": Stage.objects.get(call=decided, kind=Stage.Kind.LANGUAGE).pk,
        "training": training.pk,
        "departed": departed.pk,
        "session": session.pk,
        "abroad": abroad.pk,
    }


def _wait_for(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310 (our own local server)
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def _save(png: bytes, target: Path) -> None:
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    # A 256-colour palette keeps the screenshots small and the text sharp.
    image = image.quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    image.save(target, format="PNG", optimize=True)


def _sign_in(page, user: str) -> None:
    page.goto("/accounts/login/")
    page.locator("input[name=username]").fill(user)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def take(base_url: str, ids: dict, only: set[str] | None = None) -> list[Path]:
    from playwright.sync_api import sync_playwright

    IMAGE_DIR.mkdir(parents=True, exist_ok=True)
    saved = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for language in LANGUAGES:
            for shot in SHOTS:
                if only and shot.name not in only:
                    continue
                # Reduced motion: Bootstrap then scrolls at once, not smoothly under the camera.
                context = browser.new_context(
                    base_url=base_url, viewport=VIEWPORT, locale=language, reduced_motion="reduce"
                )
                # The site's language switcher stores the choice in this cookie.
                host = base_url.split("//", 1)[1].split(":", 1)[0]
                context.add_cookies(
                    [{"name": "django_language", "value": language, "domain": host, "path": "/"}]
                )
                page = context.new_page()
                if shot.user:
                    _sign_in(page, shot.user)
                page.goto(shot.path(ids) if callable(shot.path) else shot.path)
                if shot.prepare:
                    shot.prepare(page, language)
                if shot.scroll_to:
                    page.locator(shot.scroll_to).evaluate("element => element.scrollIntoView()")
                page.wait_for_load_state("networkidle")
                target = IMAGE_DIR / image_name(shot, language)
                _save(page.screenshot(), target)
                saved.append(target)
                print(f"  {target.relative_to(BASE_DIR)}")
                context.close()
        browser.close()
    return saved


def main(argv: list[str]) -> int:
    """``--reuse`` keeps the last demo database; names given take only those shots."""
    fresh = "--reuse" not in argv or not DATABASE.exists()
    only = {name for name in argv if not name.startswith("--")} or None
    print(f"Preparing the demo in {DATABASE.relative_to(BASE_DIR)} …")
    ids = prepare_database(fresh=fresh)
    port = _free_port()
    server = subprocess.Popen(  # noqa: S603 (our own manage.py)
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=BASE_DIR,
        env=_environment(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base_url = f"http://127.0.0.1:{port}"
        _wait_for(base_url + "/healthz")
        print(f"Taking screenshots from {base_url} with {CHROMIUM} …")
        take(base_url, ids, only)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
