"""Countries and their first-level subdivisions (ISO 3166-1 and 3166-2), from pycountry.

A programme names its destination country in words ("Jepang", "Japan", "JP"); a contract
names the subdivision where the person works by its ISO 3166-2 code ("JP-17" for Ishikawa).
No country is written into the code: every list comes from pycountry's tables and their
translations.
"""

from __future__ import annotations

import gettext
import re
import unicodedata
from functools import lru_cache

import pycountry

# The languages whose country and subdivision names people type here.
NAME_LANGUAGES = ("id", "ja")
# Words that name the kind of a subdivision rather than the subdivision itself.
_KIND_WORDS = re.compile(
    r"\b(prefecture|prefektur|province|provinsi|state|metropolis|territory|region)\b"
    r"|(-ken|-fu|-to|-do)$|(県|府|都|道|省|州)$",
    re.IGNORECASE,
)


def _translations(domain: str) -> list[gettext.NullTranslations]:
    return [
        gettext.translation(domain, pycountry.LOCALES_DIR, languages=[language], fallback=True)
        for language in NAME_LANGUAGES
    ]


def _key(text: str) -> str:
    text = _KIND_WORDS.sub("", unicodedata.normalize("NFKC", text or "").strip())
    # Long vowels written with a macron (Tōkyō) match the plain spelling (Tokyo).
    text = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in text if ch.isalnum() and not unicodedata.combining(ch))


@lru_cache(maxsize=1)
def _country_index() -> dict[str, str]:
    index: dict[str, str] = {}
    translations = _translations("iso3166-1")
    for country in pycountry.countries:
        names = {country.alpha_2, country.alpha_3, country.name}
        names |= {getattr(country, "common_name", ""), getattr(country, "official_name", "")}
        names |= {t.gettext(country.name) for t in translations}
        for name in filter(None, names):
            index.setdefault(_key(name), country.alpha_2)
    return index


def country_code(text: str) -> str | None:
    """The ISO 3166-1 alpha-2 code of a country named in English, Indonesian, Japanese or
    by its code; None when the text names no country."""
    return _country_index().get(_key(text))


@lru_cache(maxsize=32)
def subdivision_choices(country: str) -> tuple[tuple[str, str], ...]:
    """The first-level subdivisions of a country (alpha-2 code) as (code, name), by name."""
    found = pycountry.subdivisions.get(country_code=country) or []
    top = [s for s in found if not getattr(s, "parent_code", None)]
    return tuple(sorted(((s.code, s.name) for s in top), key=lambda pair: pair[1]))


@lru_cache(maxsize=32)
def _subdivision_index(country: str) -> dict[str, str]:
    index: dict[str, str] = {}
    translations = _translations("iso3166-2")
    for code, name in subdivision_choices(country):
        bare = re.sub(_KIND_WORDS, "", name).strip()
        names = {code, code.split("-", 1)[1], name, bare}
        names |= {t.gettext(candidate) for t in translations for candidate in (name, bare)}
        for candidate in filter(None, names):
            index.setdefault(_key(candidate), code)
    return index


def subdivision_code(text: str, country: str | None) -> str | None:
    """The ISO 3166-2 code of the subdivision ``text`` names in ``country`` (alpha-2):
    "Ishikawa", "Ishikawa-ken", "Ishikawa Prefecture", "石川県" and "JP-17" all give
    "JP-17". None when nothing matches, or the country is unknown."""
    if not country or not (text or "").strip():
        return None
    return _subdivision_index(country).get(_key(text))


def subdivision_name(code: str) -> str:
    """The name of a subdivision by its code ("JP-17" → "Ishikawa Prefecture"), or the
    code itself when pycountry does not know it."""
    found = pycountry.subdivisions.get(code=code) if code else None
    return found.name if found else code
