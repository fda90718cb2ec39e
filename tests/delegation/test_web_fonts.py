"""Japanese on screen: the bundled Noto Sans JP faces served as WOFF2 web fonts, each declared
with the unicode-range of its own characters, so a browser without CJK fonts shows kana and
kanji instead of boxes and fetches a face only for a page that needs it."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from fontTools.ttLib import TTFont

from participants.demo import FAMILY, MEN, WOMEN
from tests.factories import ParticipantFactory
from training.models import Certificate

FONTS = Path(settings.BASE_DIR) / "static" / "fonts"
FACES = {
    "NotoSansJP-Regular.woff2": 400,
    "NotoSansJP-Bold.woff2": 700,
    "NotoSansJPKanji-Regular.woff2": 400,
    "NotoSansJPKanji-Bold.woff2": 700,
}


def font_faces(css: str) -> dict[str, dict[str, str]]:
    """Each @font-face rule's descriptors, by the file it loads."""
    faces = {}
    for body in re.findall(r"@font-face\s*{([^}]*)}", css):
        descriptors = {
            name.strip(): value.strip()
            for name, value in re.findall(r"([\w-]+)\s*:\s*([^;]+);", body)
        }
        file = re.search(r'url\("\.\./fonts/([^"]+)"\)', descriptors["src"]).group(1)
        faces[file] = descriptors
    return faces


def in_range(code: int, unicode_range: str) -> bool:
    for span in unicode_range.split(","):
        start, _dash, end = span.strip().removeprefix("U+").partition("-")
        if int(start, 16) <= code <= int(end or start, 16):
            return True
    return False


def demo_katakana() -> set[int]:
    names = [kana for _name, kana in [*WOMEN, *MEN, *FAMILY]]
    return {ord(char) for name in names + ["・"] for char in name}


@pytest.fixture
def served_css(settings) -> str:
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    response = Client().get("/static/css/fonts.css")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/css")
    return b"".join(response.streaming_content).decode()


@pytest.mark.django_db
def test_every_page_links_the_font_stylesheet(client):
    body = client.get("/accounts/login/").content.decode()
    assert re.search(r'<link rel="stylesheet" href="/static/css/fonts\.css', body)


def test_the_stylesheet_is_served_with_a_face_per_file_swap_and_its_unicode_range(served_css):
    faces = font_faces(served_css)
    assert set(faces) == set(FACES)
    for file, weight in FACES.items():
        face = faces[file]
        assert face["font-family"] == '"Noto Sans JP"'
        assert face["font-display"] == "swap"
        assert face["font-weight"] == str(weight)
        assert 'format("woff2")' in face["src"]
        assert face["unicode-range"].startswith("U+")
    assert '--bs-font-sans-serif: "Noto Sans JP"' in served_css
    assert "<style" not in served_css


@pytest.mark.django_db
def test_each_web_font_file_is_served(settings):
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    for file in FACES:
        response = Client().get(f"/static/fonts/{file}")
        assert response.status_code == 200, file
        assert b"".join(response.streaming_content)[:4] == b"wOF2", file


def test_each_unicode_range_is_exactly_its_files_characters(served_css):
    faces = font_faces(served_css)
    for file in FACES:
        cmap = set(TTFont(FONTS / file).getBestCmap())
        unicode_range = faces[file]["unicode-range"]
        assert all(in_range(code, unicode_range) for code in cmap), file
        for span in unicode_range.split(","):
            start, _dash, end = span.strip().removeprefix("U+").partition("-")
            assert int(start, 16) in cmap and int(end or start, 16) in cmap, (file, span)


def test_latin_text_fetches_no_japanese_face(served_css):
    for file, face in font_faces(served_css).items():
        assert not any(in_range(ord(c), face["unicode-range"]) for c in "Siti Rahmah 0-9"), file


def test_the_kana_face_covers_the_demo_names_katakana_and_the_kanji_face_does_not(
    served_css,
):
    faces = font_faces(served_css)
    katakana = demo_katakana()
    assert len(katakana) > 10
    for weight in ("Regular", "Bold"):
        kana = f"NotoSansJP-{weight}.woff2"
        kanji = f"NotoSansJPKanji-{weight}.woff2"
        assert katakana <= set(TTFont(FONTS / kana).getBestCmap())
        assert all(in_range(code, faces[kana]["unicode-range"]) for code in katakana)
        assert not any(in_range(code, faces[kanji]["unicode-range"]) for code in katakana)
    assert in_range(ord("漢"), faces["NotoSansJPKanji-Regular.woff2"]["unicode-range"])


def test_the_font_licence_ships_beside_the_faces():
    assert "SIL OPEN FONT LICENSE" in (FONTS / "LICENSE-OFL.txt").read_text().upper()


def fetched_fonts(page, path: str) -> tuple[list[str], list[str]]:
    """The font files a page requested, and the faces ``document.fonts`` says are loaded."""
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(path)
    loaded = page.evaluate(
        """async () => {
            await document.fonts.ready;
            return Array.from(document.fonts)
                .filter((face) => face.status === "loaded")
                .map((face) => `${face.family} ${face.weight}`);
        }"""
    )
    return sorted({url.rsplit("/", 1)[-1] for url in requested if ".woff2" in url}), loaded


@pytest.mark.browser
def test_a_page_with_katakana_loads_the_kana_face_and_a_latin_page_loads_none(
    page, transactional_db
):
    participant = ParticipantFactory(full_name="Siti Rahmah", name_katakana="シティ・ラフマ")
    certificate = Certificate.objects.create(
        participant=participant,
        kind=Certificate.Kind.TRAINING,
        number="001/SERT/2026",
        token="a-token-with-katakana",
        issued_on=datetime.date(2026, 2, 14),
        hours=Decimal("900"),
    )

    files, loaded = fetched_fonts(page, "/accounts/login/")
    assert (files, loaded) == ([], [])

    files, loaded = fetched_fonts(page, certificate.get_verify_url())
    assert page.get_by_text("シティ・ラフマ").is_visible()
    assert [name.split(".")[0] for name in files] == ["NotoSansJP-Regular"]
    assert loaded == ["Noto Sans JP 400"]
