"""Document rendering benchmarks (`make bench`): figures are printed, never asserted.

Each measurement runs in a fresh process, so its peak memory is its own:

* certificates for 1,000 participants, cut into one PDF each, against the same certificate
  template rendered as one 1,000-page document with a shared FontConfiguration;
* the roster with 1,000 and 5,000 rows against the same rows in a plain <table> with the
  same fonts and no other CSS.

The letterhead is read from a SQLite database of its own (var/bench-documents.sqlite3),
migrated first, so the benchmark runs in a clean clone.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "delegation.settings")
DATABASE = Path(__file__).resolve().parent.parent / "var" / "bench-documents.sqlite3"
os.environ.update(DATABASE_URL=f"sqlite:///{DATABASE}", REDIS_URL="", DEBUG="1")


def _setup():
    import django

    django.setup()


def _facts(count: int) -> list[dict]:
    facts = []
    for index in range(count):
        facts.append(
            {
                "kind": "training" if index % 2 == 0 else "ambassador",
                "number": f"{index + 1:04d}/SERT-PLT/KS-BJM/2026",
                "token": f"bench-token-{index:06d}",
                "revoked": False,
                "name": f"Peserta Uji {index}",
                "katakana": "シティ・ラフマ",
                "participant_number": f"KAI-04-{index:04d}",
                "program": "Kerja Sama G-to-B Pemkot Banjarmasin – Kaikoukai Healthcare",
                "partner": "Kaikoukai Healthcare Corporation",
                "cohort": "Angkatan IV",
                "period": "17 Februari 2025 – 13 Februari 2026",
                "location": "Banjarmasin",
                "hours": "672.0",
                "issued": "13 Februari 2026",
                "signers": [
                    {
                        "position": "Koordinator Pelaksana Kerja Sama",
                        "name": "Machli Riyadi",
                        "rank": "",
                        "nip": "",
                        "on_behalf_of": "",
                    },
                ],
            }
        )
    return facts


def _rows(count: int) -> list[dict]:
    return [
        {
            "number": f"KAI-04-{index:04d}",
            "name": f"Peserta Uji {index}",
            "passport_name": f"PESERTA UJI {index}",
            "katakana": "シティ・ラフマ",
            "gender": "P",
            "origin": "Kota Banjarmasin",
            "track": "Tenaga Kerja",
            "occupation": "Care worker (kaigo)",
        }
        for index in range(count)
    ]


def _rows_printed(content: bytes) -> int:
    """Participant numbers in the PDF's text, read after the clock stops."""
    import io

    from pypdf import PdfReader

    pages = PdfReader(io.BytesIO(content)).pages
    return sum(page.extract_text().count("KAI-04-") for page in pages)


def measure(case: str, size: int) -> dict:
    _setup()
    from django.template.loader import render_to_string

    from delegation.pdf import _font_config, html_to_pdf, letterhead
    from training import certificate_pdf as documents

    html_to_pdf("<p>warm-up 壮行式</p>")  # load fonts and the stylesheet once, as a worker does
    started = time.perf_counter()
    if case == "certificates":
        documents.bundle(_facts(size), name="bench")
    elif case == "certificates-baseline":
        facts = _facts(size)
        for fact in facts:
            fact["verify_url"] = f"https://example.org/verify/{fact['token']}/"
            fact["qr"] = documents._qr(fact["verify_url"])
        html = render_to_string(
            "pdf/certificates.html", {"certificates": facts, "org": letterhead()}
        )
        html_to_pdf(html)  # one 1,000-page document, nothing cut
    elif case == "roster":
        from office.prints.ceremony_pack import roster_pdf

        context = {
            "org": letterhead(),
            "program": {"name": "Program", "partner": "Kaikoukai", "country": "Jepang"},
            "cohort": {"label": "Angkatan IV", "number": 4},
            "ceremony": {
                "date": "Rabu, 18 Februari 2026",
                "time": "09.00 WITA",
                "venue": "Aula Kayuh Baimbai",
                "released_by": "Hj Ananda",
            },
            "participants": _rows(size),
            "signers": {"roster": []},
            "number": "001/DP-PLP/2026",
            "place_date": "Banjarmasin, 18 Februari 2026",
            "generated_note": "bench",
        }
        roster = roster_pdf(context)  # as the ceremony pack prints it, in parts when long
    elif case == "roster-baseline":
        from weasyprint import CSS, HTML

        cells = "".join(
            f"<tr><td>{r['number']}</td><td>{r['name']}</td><td>{r['passport_name']}"
            f"<br>{r['katakana']}</td><td>{r['gender']}</td><td>{r['origin']}</td>"
            f"<td>{r['track']}</td><td>{r['occupation']}</td></tr>"
            for r in _rows(size)
        )
        fonts = CSS(
            string='@font-face { font-family: N; src: url("fonts/NotoSansJP-Regular.otf"); } '
            "html { font-family: N; }",
            base_url=str(documents.settings.BASE_DIR / "static") + "/",
            font_config=_font_config(),
        )
        HTML(string=f"<table>{cells}</table>").write_pdf(
            stylesheets=[fonts], font_config=_font_config()
        )
    elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    # A roster that stopped printing its rows would come out fast and empty.
    if case == "roster" and _rows_printed(roster) < size:
        raise SystemExit(f"The roster printed fewer than its {size} rows.")
    return {"case": case, "size": size, "seconds": elapsed, "peak_mb": peak}


def run(case: str, size: int) -> dict:
    output = subprocess.run(
        [sys.executable, "-m", "benchmarks.documents", case, str(size)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def migrate() -> None:
    DATABASE.parent.mkdir(parents=True, exist_ok=True)
    _setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def main() -> None:
    if len(sys.argv) == 3:
        print(json.dumps(measure(sys.argv[1], int(sys.argv[2]))))
        return
    migrate()
    certificates = run("certificates", 1000)
    baseline = run("certificates-baseline", 1000)
    per_certificate = certificates["seconds"] * 1000 / 1000
    per_page = baseline["seconds"] * 1000 / 1000
    print("Certificates, 1,000 participants (one PDF each, merged PDF, ZIP):")
    print(
        f"  {per_certificate:.1f} ms per certificate; baseline one 1,000-page document: "
        f"{per_page:.1f} ms per page; ratio {per_certificate / per_page:.2f} (target ≤ 1.5)"
    )
    for size in (1000, 5000):
        roster = run("roster", size)
        plain = run("roster-baseline", size)
        print(
            f"Roster, {size:,} rows: {roster['seconds']:.2f} s, peak {roster['peak_mb']:.0f} MB; "
            f"plain table {plain['seconds']:.2f} s, peak {plain['peak_mb']:.0f} MB; "
            f"ratio {roster['seconds'] / plain['seconds']:.2f} (target ≤ 0.75"
            + (", < 400 MB)" if size == 1000 else ", < 600 MB)")
        )


if __name__ == "__main__":
    main()
