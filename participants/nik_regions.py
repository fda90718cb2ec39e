"""The NIK check against the region table: what forms, the import and the admin call."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from participants.models import Region
from participants.nik import NikCheck, check_nik


@dataclass(frozen=True)
class RegionCodes:
    provinces: frozenset[str]
    regencies: frozenset[str]

    @classmethod
    def load(cls) -> RegionCodes:
        codes = Region.objects.values_list("code", "level")
        return cls(
            provinces=frozenset(code for code, level in codes if level == Region.Level.PROVINCE),
            regencies=frozenset(code for code, level in codes if level == Region.Level.REGENCY),
        )


def nik_check_for(
    nik: str,
    *,
    birth_date: datetime.date | None = None,
    gender: str | None = None,
    codes: RegionCodes | None = None,
) -> NikCheck:
    codes = codes or RegionCodes.load()
    return check_nik(
        nik,
        province_codes=codes.provinces,
        regency_codes=codes.regencies,
        birth_date=birth_date,
        gender=gender,
    )
