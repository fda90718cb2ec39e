"""What the page tests of the cohorts app share."""

from django.urls import reverse

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def login_required(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(reverse("login"))


def program_data(partner, **overrides):
    data = {
        "partner": partner.pk,
        "name": "Kerja Sama G-to-B Perawat",
        "slug": "perawat",
        "scheme": "g2b",
        "sector": "Kesehatan",
        "destination_country": "Jepang",
        "contract_years": 5,
        "training_months": 12,
        "sponsor_covers": ["exams", "language_training"],
        "status": "active",
    }
    data.update(overrides)
    return data
