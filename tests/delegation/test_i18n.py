"""The Indonesian catalogue is complete, compiled, and covers every marked string."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

from tests.conftest import require

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "locale" / "id" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def untranslated_or_fuzzy(catalogue) -> list[str]:
    return [entry.msgid for entry in catalogue if not entry.obsolete and not entry.translated()]


def test_the_indonesian_catalogue_has_no_untranslated_or_fuzzy_entry():
    assert untranslated_or_fuzzy(polib.pofile(str(PO))) == []


def test_the_compiled_catalogue_matches_its_source():
    source = {(e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural for e in polib.pofile(str(PO))}
    compiled = {(e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural for e in polib.mofile(str(MO))}
    source.pop((None, ""), None)
    compiled.pop((None, ""), None)
    assert compiled == source, "run `make messages` to compile the catalogue"


def test_every_string_marked_for_translation_is_in_the_catalogue(tmp_path):
    """Extract the strings afresh into a copy of the project: nothing new may be untranslated."""
    if not shutil.which("xgettext") or not shutil.which("msgmerge"):
        require("GNU gettext is not installed: cannot extract the marked strings")
    copy = tmp_path / "project"
    shutil.copytree(
        ROOT,
        copy,
        # Left out too: the caches another test process may be writing meanwhile.
        ignore=shutil.ignore_patterns(
            ".venv",
            "var",
            ".git",
            "*.pyc",
            "__pycache__",
            "node_modules",
            ".hypothesis",
            ".pytest_cache",
            ".ruff_cache",
        ),
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--locale", "id", "--no-obsolete"],
        cwd=copy,
        env={"PATH": "/usr/bin:/bin", "DATABASE_URL": "", "REDIS_URL": "", "DEBUG": "1"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    fresh = polib.pofile(str(copy / "locale" / "id" / "LC_MESSAGES" / "django.po"))
    assert untranslated_or_fuzzy(fresh) == [], "run `make messages` and translate the new strings"


@pytest.mark.parametrize("code", ["id", "en"])
@pytest.mark.django_db
def test_both_languages_render_the_login_page(client, code, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = code
    page = client.get("/accounts/login/").content.decode()
    assert ("Masuk" in page) == (code == "id")
    assert ("Sign in" in page) == (code == "en")
