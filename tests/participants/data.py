"""What the participant tests post and read: files, a person's form data, list helpers."""

import datetime

from participants.models import Region
from tests.factories import make_nik

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
BIRTH = datetime.date(1998, 2, 18)


def listed(response) -> list[int]:
    """The ids of the participants on a list page, in their order."""
    return [row.pk for row in response.context["page"].object_list]


def ids(participants) -> list[int]:
    return [participant.pk for participant in participants]


def person_data(**overrides):
    data = {
        "full_name": "Hj. Siti Rahmah",
        "passport_surname": "rahmah",
        "passport_given_names": "siti",
        "name_katakana": "シティ・ラフマ",
        "nik": make_nik(BIRTH, "F"),
        "gender": "F",
        "birth_date": "1998-02-18",
        "birth_place": "Banjarmasin",
        "origin": region("63.71"),
        "phone": "0812-3456-7890",
        "email": "siti@example.org",
        "education_level": "d3",
        "education_field": "Keperawatan",
        "occupation": "Care worker (kaigo)",
        "track": "worker",
        "culture_ambassador": "on",
    }
    data.update(overrides)
    return data


def region(code):
    """A regency as its picker sends it: the label the suggestions write."""
    return Region.objects.get(code=code).label
