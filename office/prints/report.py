"""The printable programme report: the dashboard's figures on the letterhead, with a chart."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone, translation

from cohorts.models import Program, ProgramSignatory
from delegation.formatting import generated_note, indonesian_date
from delegation.pdf import html_to_pdf, letterhead
from delegation.replica import replica_reads
from office.overviews.charts import bar_chart
from office.overviews.dashboard import dashboard_figures

NUMBER_CODE = "LAP-PRG"


def report_data(program: Program, user) -> dict:
    """The report's facts as plain values (they are stored with the job and checksummed)."""
    with replica_reads():  # figures may lag the primary by seconds
        figures = dashboard_figures(user, today=timezone.localdate(), program=program)
    return {
        "org": letterhead(),
        "day": indonesian_date(timezone.localdate()),
        "program": {
            "name": program.name,
            "partner": program.partner.name,
            "country": program.destination_country,
            "scheme": str(program.get_scheme_display()),
        },
        "figures": {
            "sent": figures["sent"],
            "registered": figures["registered"],
            "sent_by_batch": [
                {
                    "cohort": str(row["cohort"]),
                    "sent": row["sent"],
                    "departure": indonesian_date(row["departure"]) if row["departure"] else "—",
                }
                for row in figures["sent_by_batch"]
            ],
            "statuses": [
                {"label": str(s["label"]), "count": s["count"]} for s in figures["statuses"]
            ],
            "from_city": figures["from_city"],
            "from_elsewhere": figures["from_elsewhere"],
            "tracks": figures["tracks"],
            "genders": figures["genders"],
            "education": figures["education"],
            "money": [
                {
                    key: str(row[key])
                    for key in ("sponsor", "city", "participant", "operating", "flagged")
                }
                for row in (figures["money"] or [])
            ],
            "retention": {
                key: (str(v) if v is not None else None) for key, v in figures["retention"].items()
            },
            "welfare": _welfare(figures["welfare"]),
        },
        "signers": ProgramSignatory.objects.signing(program, "roster").blocks(),
    }


def _welfare(figures) -> dict | None:
    """Duty of care in counts: returnees, their work at 12 months, cases per person-year."""
    if figures is None:
        return None

    def text(value):
        return str(value) if value is not None else None

    return {
        "returnees": figures.returnees,
        "answered_12": figures.answered_12,
        "in_work_share": text(figures.in_work_share),
        "back_abroad_share": text(figures.back_abroad_share),
        "person_years": str(figures.person_years),
        "rates": [(str(label), count, text(rate)) for label, count, rate in figures.rates_by_kind],
    }


def render_report(data: dict, number: str) -> bytes:
    chart = bar_chart([(row["cohort"], row["sent"]) for row in data["figures"]["sent_by_batch"]])
    chart["height_mm"] = max(10, round(chart["height"] * 100 / chart["width"]))
    with translation.override("id"):  # prints are Indonesian: "1.234.500", "66,7%"
        html = render_to_string(
            "pdf/report.html",
            {
                **data,
                "number": number,
                "chart": chart,
                "place_date": f"{data['org']['place']}, {data['day']}".lstrip(", "),
                "generated_note": generated_note(""),
            },
        )
    return html_to_pdf(html)
