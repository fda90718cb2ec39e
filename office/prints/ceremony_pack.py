"""The departure-ceremony pack: roster (Daftar Peserta), sign-in sheet (Daftar Hadir) and
handover minutes (Berita Acara Serah Terima), each on the letterhead with its own number."""

from __future__ import annotations

import datetime
import io

from django.template.loader import render_to_string
from django.utils import translation
from openpyxl import Workbook
from openpyxl.styles import Alignment
from pypdf import PdfWriter

from cohorts.models import Cohort, ProgramSignatory
from delegation.formatting import (
    date_in_words,
    file_name,
    generated_note,
    indonesian_date,
    local_time,
    roman,
    spelled,
)
from delegation.models import Job
from delegation.numbering import issue_number
from delegation.pdf import html_to_pdf, letterhead, list_to_pdf, with_tail
from delegation.spreadsheets import Column, title_row, workbook_bytes, write_table
from participants.models import Participant, Status

# Those who leave with the batch: the roster never lists people who withdrew or stayed.
ON_THE_ROSTER = [
    Status.READY,
    Status.DEPARTED,
    Status.WORKING,
    Status.EXTENDED,
    Status.COMPLETED,
    Status.RETURNED_EARLY,
]
NUMBER_CODES = {"roster": "DP-PLP", "sign_in": "DH-PLP", "handover": "BAST-PLP"}
EMPTY_GUEST_ROWS = 12


class NoCeremony(ValueError):
    """The pack needs the batch's ceremony."""


def pack_data(cohort: Cohort) -> dict:
    """Every fact the pack prints: its checksum changes whenever one of them does."""
    ceremony = getattr(cohort, "ceremony", None)
    if ceremony is None:
        raise NoCeremony("The batch has no departure ceremony yet.")
    program = cohort.program
    people = (
        Participant.objects.filter(cohort=cohort, status__in=ON_THE_ROSTER)
        .select_related("origin")
        .order_by("participant_number", "full_name")
    )
    released_by = f"{ceremony.official_position} {ceremony.official_name}".strip()
    if ceremony.on_behalf_of_name:
        released_by += f", atas nama {ceremony.on_behalf_of_title} {ceremony.on_behalf_of_name}"
    return {
        "org": letterhead(),
        "program": {
            "name": program.name,
            "partner": program.partner.name,
            "country": program.destination_country,
        },
        "cohort": {"label": f"Angkatan {roman(cohort.number)}", "number": cohort.number},
        "ceremony": {
            "date": indonesian_date(ceremony.local_date(), weekday=True),
            "day": indonesian_date(ceremony.local_date()),
            "iso": ceremony.local_date().isoformat(),
            "time": local_time(ceremony.starts_at),
            "venue": ceremony.venue,
            "released_by": released_by,
        },
        "participants": [
            {
                "number": p.participant_number,
                "name": p.full_name,
                "passport_name": p.passport_name or p.full_name.upper(),
                "katakana": p.name_katakana,
                "gender": "L" if p.gender == Participant.Gender.MALE else "P",
                "origin": p.origin.name,
                "track": str(Participant.Track(p.track).label),
                "occupation": p.occupation,
            }
            for p in people
        ],
        "guests": [
            {"name": a.name, "position": ", ".join(x for x in [a.title, a.organisation] if x)}
            for a in ceremony.attendees.all()
        ],
        "signers": {
            document: ProgramSignatory.objects.signing(program, document).blocks()
            for document in (
                ProgramSignatory.Document.ROSTER,
                ProgramSignatory.Document.SIGN_IN,
                ProgramSignatory.Document.HANDOVER,
            )
        },
    }


def issue_numbers(data: dict) -> dict[str, str]:
    day = datetime.date.fromisoformat(data["ceremony"]["iso"])
    return {kind: issue_number(code, on=day) for kind, code in NUMBER_CODES.items()}


HANDOVER_COLUMNS = ["No.", "Nomor Peserta", "Nama Lengkap", "Nama sesuai Paspor", "L/P", "Jalur"]


def place_date(data: dict) -> str:
    return f"{data['org']['place'] or ''}, {data['ceremony']['day']}".lstrip(", ")


def handover_facts(data: dict) -> dict:
    """What the handover minutes say, in the order they say it: the PDF and the editable
    DOCX are both written from this."""
    day = datetime.date.fromisoformat(data["ceremony"]["iso"])
    count = len(data["participants"])
    return {
        "title": "BERITA ACARA SERAH TERIMA PESERTA",
        "title_ja": "参加者引渡し証明書",
        "opening": (
            f"Pada hari ini {date_in_words(day)}, bertempat di {data['ceremony']['venue']}, "
            f"{data['org']['name']} selaku Pihak Pertama menyerahkan peserta "
            f"{data['program']['name']} {data['cohort']['label']} sejumlah {count} "
            f"({spelled(count)}) orang kepada {data['program']['partner']} selaku Pihak Kedua, "
            "dengan rincian sebagai berikut:"
        ),
        "columns": HANDOVER_COLUMNS,
        "rows": [
            [
                str(index),
                person["number"],
                person["name"],
                person["passport_name"],
                person["gender"],
                person["track"],
            ]
            for index, person in enumerate(data["participants"], start=1)
        ],
        "closing": "Demikian berita acara ini dibuat untuk dipergunakan sebagaimana mestinya.",
        "place_date": place_date(data),
        "signers": data["signers"][ProgramSignatory.Document.HANDOVER],
    }


def render_pack(data: dict, numbers: dict[str, str], *, requested_by: str = "") -> bytes:
    """Three documents, each with its own page count, merged into one PDF."""
    context = {
        **data,
        "place_date": place_date(data),
        "generated_note": generated_note(requested_by),
    }
    guests = data["guests"] + [{"name": "", "position": ""}] * EMPTY_GUEST_ROWS
    writer = PdfWriter()
    with translation.override("id"):
        for pdf in _pack_parts(context, data, numbers, guests):
            writer.append(io.BytesIO(pdf))
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def roster_pdf(context: dict) -> bytes:
    """The roster of ``context["participants"]``; a long one is laid out in parts."""
    rows, tail = with_tail(context["participants"])

    def render(rows, tail, **part):
        return render_to_string("pdf/roster.html", {**context, "rows": rows, "tail": tail, **part})

    return list_to_pdf(render, rows, tail, generated_note=context["generated_note"], landscape=True)


def handover_pdf(context: dict) -> bytes:
    """The handover minutes, listing every participant: a long list is laid out in parts."""
    rows, tail = with_tail(context["handover"]["rows"])

    def render(rows, tail, **part):
        return render_to_string(
            "pdf/handover.html",
            {**context, "handover_rows": rows, "handover_tail": tail, **part},
        )

    return list_to_pdf(render, rows, tail, generated_note=context["generated_note"])


def _pack_parts(context: dict, data: dict, numbers: dict[str, str], guests: list):
    """The pack's three PDFs, one at a time. The sign-in sheet lists the guests and a few
    empty rows, never the participants, so it stays one document."""
    yield roster_pdf({**context, "number": numbers["roster"]})
    guest_rows, guest_tail = with_tail(guests)
    yield html_to_pdf(
        render_to_string(
            "pdf/sign_in.html",
            {
                **context,
                "number": numbers["sign_in"],
                "guest_rows": guest_rows,
                "guest_tail": guest_tail,
            },
        )
    )
    yield handover_pdf({**context, "number": numbers["handover"], "handover": handover_facts(data)})


def roster_xlsx(data: dict) -> bytes:
    """The roster as a spreadsheet: three title lines, a blank one, the table from row 5."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Daftar Peserta"
    ceremony = data["ceremony"]
    title_row(
        sheet, f"DAFTAR PESERTA PELEPASAN {data['cohort']['label'].upper()} · 壮行式", size=13
    )
    title_row(sheet, data["program"]["name"])
    title_row(sheet, f"{ceremony['date']}, {ceremony['time']}, {ceremony['venue']}")
    title_row(sheet)
    header = write_table(
        sheet,
        [
            Column("No."),
            Column("Nomor Peserta", text=True),
            Column("Nama Lengkap"),
            Column("Nama sesuai Paspor"),
            Column("カナ"),
            Column("L/P"),
            Column("Kabupaten/Kota Asal"),
            Column("Jalur"),
            Column("Pekerjaan di Jepang"),
        ],
        (
            [
                index,
                person["number"],
                person["name"],
                person["passport_name"],
                person["katakana"],
                person["gender"],
                person["origin"],
                person["track"],
                person["occupation"],
            ]
            for index, person in enumerate(data["participants"], start=1)
        ),
    )
    for cell in sheet[header]:
        cell.alignment = Alignment(horizontal="center", vertical="top", wrap_text=True)
    return workbook_bytes(workbook)


def roster_file_name(cohort: Cohort, data: dict) -> str:
    """``daftar-peserta_kaikoukai_angkatan-4_2026-02-18.xlsx``: programme, batch, ceremony day."""
    return file_name(
        "daftar-peserta",
        cohort.program.slug,
        f"angkatan-{cohort.number}",
        data["ceremony"]["iso"],
        extension="xlsx",
    )


def handover_number(cohort: Cohort) -> str:
    """The number the latest finished pack gave the minutes; empty before there is one."""
    job = (
        Job.objects.for_subject(cohort)
        .filter(kind="ceremony_pack", status=Job.Status.DONE)
        .order_by("-pk")
        .first()
    )
    return (job.params.get("numbers") or {}).get("handover", "") if job else ""


def handover_docx(data: dict, number: str = "") -> bytes:
    """The handover minutes as an editable Word document, written from ``handover_facts``
    like the PDF. Without a number the line is left open to fill in."""
    from docx import Document
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    facts = handover_facts(data)
    org = data["org"]
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.8))
    document.styles["Normal"].font.size = Pt(10.5)

    def centred(text: str, *, bold: bool = False, size: float | None = None) -> None:
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.space_after = Pt(0)
        run = paragraph.add_run(text)
        run.bold = bold
        if size:
            run.font.size = Pt(size)

    for line, bold, size in (
        (org["name"].upper(), True, 14),
        (org.get("unit", ""), True, 12),
        (org.get("address", ""), False, 9),
    ):
        if line:
            centred(line, bold=bold, size=size)
    document.add_paragraph()
    centred(facts["title"], bold=True, size=13)
    centred(facts["title_ja"])
    centred(f"Nomor: {number or '.' * 30}")
    document.add_paragraph()
    opening = document.add_paragraph(facts["opening"])
    opening.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY

    widths = [Cm(1.0), Cm(2.8), Cm(4.6), Cm(4.6), Cm(1.0), Cm(3.4)]
    table = document.add_table(rows=1, cols=len(facts["columns"]))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, heading in zip(table.rows[0].cells, facts["columns"], strict=True):
        cell.text = heading
        cell.paragraphs[0].runs[0].bold = True
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    for values in facts["rows"]:
        cells = table.add_row().cells
        for cell, value in zip(cells, values, strict=True):
            cell.text = value
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width
        for index in (0, 4):
            row.cells[index].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER

    document.add_paragraph()
    document.add_paragraph(facts["closing"])
    place = document.add_paragraph(facts["place_date"])
    place.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    signers = facts["signers"] or [{"position": "", "name": "", "on_behalf_of": ""}]
    signing = document.add_table(rows=3, cols=max(2, len(signers)))
    offset = 1 if len(signers) == 1 else 0  # one signer signs on the right
    for column, signer in enumerate(signers, start=offset):
        heading = signing.cell(0, column)
        heading.text = (
            f"a.n. {signer['on_behalf_of']}\n" if signer.get("on_behalf_of") else ""
        ) + signer["position"]
        signing.cell(1, column).text = "\n\n\n"
        name = signing.cell(2, column).paragraphs[0]
        run = name.add_run(signer["name"])
        run.bold = run.underline = True
        for extra in (signer.get("rank"), f"NIP. {signer['nip']}" if signer.get("nip") else ""):
            if extra:
                name.add_run(f"\n{extra}")
        for row in range(3):
            for paragraph in signing.cell(row, column).paragraphs:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
