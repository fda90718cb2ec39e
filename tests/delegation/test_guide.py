"""The user guide: its Markdown sections in both languages, its pictures, and its pages."""

import importlib.util
import re
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from delegation import guide

ROLES = ("hr", "coordinator", "leadership", "instructor", "admin_user", "outsider")


def _client(user, language: str = "id") -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def _screenshot_script():
    path = Path(settings.BASE_DIR) / "scripts" / "guide_screenshots.py"
    spec = importlib.util.spec_from_file_location("guide_screenshots", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(spec.name, module)  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("language", guide.LANGUAGES)
@pytest.mark.parametrize("slug", guide.SLUGS)
def test_every_section_is_written_in_both_languages_with_a_title(slug, language):
    text = guide.source(slug, language).read_text(encoding="utf-8")
    assert text.startswith("# "), f"{language}/{slug}.md has no title line"


@pytest.mark.parametrize("language", guide.LANGUAGES)
@pytest.mark.parametrize("slug", guide.SLUGS)
def test_every_picture_a_section_shows_exists_on_disk(slug, language):
    names = guide.images(slug, language)
    assert names, f"{language}/{slug}.md shows no picture"
    missing = [name for name in names if not (guide.IMAGE_DIR / name).is_file()]
    assert missing == []


@pytest.mark.parametrize("slug", guide.SLUGS)
def test_both_languages_of_a_section_show_the_same_pictures(slug):
    indonesian = [name.removeprefix("id-") for name in guide.images(slug, "id")]
    english = [name.removeprefix("en-") for name in guide.images(slug, "en")]
    assert indonesian == english


def test_the_guide_folder_holds_no_section_the_site_leaves_out():
    for language in guide.LANGUAGES:
        on_disk = sorted(path.stem for path in (guide.GUIDE_DIR / language).glob("*.md"))
        assert on_disk == sorted(guide.SLUGS)


@pytest.mark.parametrize("role", ROLES)
def test_every_signed_in_role_reads_the_index_and_every_section(role, request):
    client = _client(request.getfixturevalue(role))
    assert client.get(reverse("help_index")).status_code == 200
    for slug in guide.SLUGS:
        assert client.get(reverse("help_page", args=[slug])).status_code == 200


def test_the_index_links_each_section_under_its_title(hr):
    page = _client(hr).get(reverse("help_index")).content.decode()
    for current in guide.sections("id"):
        assert f'href="{reverse("help_page", args=[current.slug])}"' in page
        assert current.title in page


def test_a_section_is_shown_in_the_pages_language(hr):
    url = reverse("help_page", args=["upacara"])
    indonesian = _client(hr, "id").get(url).content.decode()
    english = _client(hr, "en").get(url).content.decode()
    assert guide.section("upacara", "id").title in indonesian
    assert guide.section("upacara", "en").title in english
    assert "/static/panduan/id-documents.png" in indonesian
    assert "/static/panduan/en-documents.png" in english


def test_a_sections_markdown_is_rendered_as_html(hr):
    page = _client(hr).get(reverse("help_page", args=["mulai"])).content.decode()
    assert "<table" in page and "<h2" in page
    assert "](../img/" not in page


def test_a_picture_of_the_guide_is_served_as_a_static_file(hr):
    page = _client(hr).get(reverse("help_page", args=["mulai"])).content.decode()
    source = re.search(r'<img[^>]+src="([^"]+)"', page).group(1)
    from django.contrib.staticfiles import finders

    assert finders.find(source.removeprefix(settings.STATIC_URL))


def test_an_unknown_section_is_not_found(hr):
    assert _client(hr).get(reverse("help_page", args=["nothing-here"])).status_code == 404


def test_the_guide_needs_a_signed_in_user(client):
    response = client.get(reverse("help_page", args=["mulai"]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_guide_is_only_read_not_posted_to(hr):
    assert _client(hr).post(reverse("help_index")).status_code == 405


def test_the_navbar_links_the_guide_from_a_help_menu(hr):
    page = _client(hr).get(reverse("dashboard")).content.decode()
    assert "Bantuan" in page
    assert f'href="{reverse("help_index")}">Panduan pengguna<' in page


def test_the_screenshot_script_imports_without_a_browser_and_covers_every_section():
    script = _screenshot_script()
    assert {shot.section for shot in script.SHOTS} == set(guide.SLUGS)
    assert script.LANGUAGES == guide.LANGUAGES


def test_the_screenshot_script_takes_every_picture_the_guide_shows():
    script = _screenshot_script()
    taken = {
        script.image_name(shot, language) for shot in script.SHOTS for language in script.LANGUAGES
    }
    shown = {
        name
        for slug in guide.SLUGS
        for lang in guide.LANGUAGES
        for name in guide.images(slug, lang)
    }
    assert shown <= taken


def test_the_screenshot_script_never_touches_the_database_of_make_run():
    script = _screenshot_script()
    assert script.DATABASE.name == "guide.sqlite3"
    assert script.DATABASE.parent.name == "var"
