import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from delegation.currencies import rate_problem
from delegation.models import AuditEvent
from participants.cost_summary import summarise
from participants.models import CostItem, to_idr
from tests.factories import CohortFactory, ParticipantFactory

pytestmark = pytest.mark.django_db


def line(program, cohort=None, **fields):
    values = {
        "category": "airfare",
        "payer": "sponsor",
        "amount": Decimal("1000000"),
        "currency": "IDR",
        "rate_to_idr": Decimal("1"),
        "date": datetime.date(2026, 2, 10),
        "description": "Tiket",
    }
    values.update(fields)
    values["amount_idr"] = to_idr(values["amount"], values["rate_to_idr"])
    return CostItem.objects.create(program=program, cohort=cohort, **values)


class TestMoney:
    @pytest.mark.parametrize(
        ("amount", "rate", "idr"),
        [
            ("1650000", "108.5", "179025000"),
            ("10.50", "10691.30", "112259"),  # 112258.65 rounds up
            ("0.01", "50", "1"),  # 0.5 rounds half up
            ("0.01", "49", "0"),
        ],
    )
    def test_the_idr_amount_is_rounded_half_up_to_whole_rupiah(self, amount, rate, idr):
        result = to_idr(Decimal(amount), Decimal(rate))
        assert isinstance(result, Decimal)
        assert result == Decimal(idr)

    def test_totals_are_decimals_by_category_and_payer(self, program, cohort):
        line(program, cohort, category="airfare", amount=Decimal("0.1"), rate_to_idr=Decimal("3"))
        line(program, cohort, category="airfare", amount=Decimal("0.2"), rate_to_idr=Decimal("3"))
        line(program, cohort, category="ceremony", payer="city", amount=Decimal("500"))
        summary = summarise(CostItem.objects.all(), program=program, participant_count=2)
        assert [(r.category, r.total) for r in summary.rows] == [("airfare", Decimal("1"))]
        assert summary.operating_total == Decimal("500")
        assert summary.sponsor_share == Decimal("100.0")
        assert summary.per_participant == Decimal("1")


class TestPlausibleRates:
    @pytest.mark.parametrize(
        ("currency", "rate"),
        [("JPY", "108.5"), ("USD", "16250"), ("SAR", "4350"), ("KRW", "11.6"), ("IDR", "1")],
    )
    def test_a_usual_rate_passes(self, currency, rate):
        assert rate_problem(currency, Decimal(rate)) is None

    @pytest.mark.parametrize(
        ("currency", "rate"),
        [("JPY", "1"), ("JPY", "108500"), ("USD", "1"), ("EUR", "1.08"), ("MYR", "3")],
    )
    def test_a_rate_off_the_currencys_range_is_refused(self, currency, rate):
        with translation.override("en"):
            assert "outside the usual range" in rate_problem(currency, Decimal(rate))

    def test_a_currency_without_a_range_is_refused_only_a_rate_of_one(self):
        assert rate_problem("THB", Decimal("450")) is None
        assert rate_problem("THB", Decimal("1")) is not None

    def test_the_range_is_written_as_indonesian_offices_write_numbers(self):
        with translation.override("en"):
            assert "(12.000–20.000 rupiah)" in rate_problem("USD", Decimal("1"))

    def test_a_confirmed_rate_needs_its_reason_in_the_database(self, program):
        with pytest.raises(IntegrityError), transaction.atomic():
            line(program, currency="JPY", rate_to_idr=Decimal("1"), rate_confirmed=True)


class TestPerParticipant:
    def test_a_batch_is_divided_by_its_own_people(self, client, hr, program, cohort):
        other = CohortFactory(program=program, number=9)
        for _ in range(2):
            ParticipantFactory(cohort=cohort)
        for _ in range(8):
            ParticipantFactory(cohort=other)
        line(program, cohort, amount=Decimal("1000000"))
        client.force_login(hr)
        page = client.get(
            reverse("participants:program_costs", args=[program.slug]), {"cohort": cohort.pk}
        )
        summary = page.context["summary"]
        assert (summary.participant_count, summary.per_participant) == (2, Decimal("500000"))
        batch = client.get(reverse("participants:cohort_costs", args=[cohort.pk]))
        assert batch.context["summary"].per_participant == Decimal("500000")
        assert "Rp500.000" in batch.content.decode()


class TestThePromise:
    def test_a_line_paid_by_a_participant_is_flagged(self, program):
        bad = line(program, payer="participant", category="medical")
        assert bad.breaks_the_promise()

    def test_a_city_paid_line_in_a_covered_category_is_flagged(self, program):
        program.sponsor_covers = ["airfare"]
        program.save()
        assert line(program, payer="city", category="airfare").breaks_the_promise()

    def test_the_citys_ceremony_and_uncovered_categories_are_not_flagged(self, program):
        program.sponsor_covers = ["airfare"]
        program.save()
        ceremony = line(program, payer="city", category="ceremony")
        medical = line(program, payer="city", category="medical")
        assert not ceremony.breaks_the_promise() and not medical.breaks_the_promise()
        summary = summarise(CostItem.objects.all(), program=program, participant_count=0)
        assert summary.promise_held


class TestPages:
    def test_a_coordinator_reads_who_paid_and_whether_the_promise_held(
        self, client, assigned, coordinator, program, cohort
    ):
        program.sponsor_covers = ["airfare"]
        program.save()
        line(program, cohort)
        line(program, cohort, payer="participant", category="medical", description="MCU ulang")
        client.force_login(coordinator)
        response = client.get(reverse("participants:cohort_costs", args=[cohort.pk]))
        summary = response.context["summary"]
        assert not summary.promise_held
        assert [item.description for item in summary.flagged] == ["MCU ulang"]
        assert "MCU ulang" in response.content.decode()

    def test_hr_staff_enter_a_line_in_yen(self, client, hr, program, cohort):
        client.force_login(hr)
        response = client.post(
            reverse("participants:cost_create", args=[program.slug]),
            {
                "cohort": cohort.pk,
                "category": "exams",
                "payer": "sponsor",
                "amount": "1650000",
                "currency": "jpy",
                "rate_to_idr": "108.5",
                "date": "2025-11-20",
                "description": "JFT-Basic",
            },
        )
        assert response["Location"] == reverse("participants:cohort_costs", args=[cohort.pk])
        item = CostItem.objects.get()
        assert (item.currency, item.amount_idr) == ("JPY", Decimal("179025000"))

    def test_a_line_in_yen_at_a_rate_of_one_is_refused(self, client, hr, program, cohort):
        client.force_login(hr)
        data = {
            "cohort": cohort.pk,
            "category": "exams",
            "payer": "sponsor",
            "amount": "1650000",
            "currency": "JPY",
            "rate_to_idr": "1",
            "date": "2025-11-20",
            "description": "JFT-Basic",
        }
        url = reverse("participants:cost_create", args=[program.slug])
        response = client.post(url, data)
        errors = response.context["form"].errors["rate_to_idr"]
        assert "di luar kisaran biasa" in errors[0]
        assert not CostItem.objects.exists()
        response = client.post(url, {**data, "rate_confirmed": "on"})
        assert "rate_reason" in response.context["form"].errors
        assert not CostItem.objects.exists()
        reason = "Invoice sponsor sudah dalam rupiah"
        response = client.post(url, {**data, "rate_confirmed": "on", "rate_reason": reason})
        assert response.status_code == 302
        item = CostItem.objects.get()
        assert (item.rate_confirmed, item.rate_reason) == (True, reason)

    def test_an_amount_is_typed_as_indonesian_writes_it(self, client, hr, program, cohort):
        client.force_login(hr)
        client.post(
            reverse("participants:cost_create", args=[program.slug]),
            {
                "cohort": cohort.pk,
                "category": "airfare",
                "payer": "sponsor",
                "amount": "5.950.000,50",
                "currency": "IDR",
                "rate_to_idr": "1",
                "date": "2025-11-20",
                "description": "Tiket",
            },
            HTTP_ACCEPT_LANGUAGE="id",
        )
        item = CostItem.objects.get()
        assert (item.amount, item.amount_idr) == (Decimal("5950000.50"), Decimal("5950001"))
        page = client.get(reverse("participants:cost_edit", args=[item.pk]))
        assert 'value="5.950.000,5"' in page.content.decode()
        assert page.context["form"].fields["currency"].choices[0][0] == "IDR"

    def test_the_participant_picker_tells_namesakes_apart_by_number_and_batch(
        self, client, hr, program, cohort
    ):
        for number in ["KAI-04-001", "KAI-04-002"]:
            ParticipantFactory(full_name="Aulia Rahman", cohort=cohort, participant_number=number)
        client.force_login(hr)
        page = client.get(reverse("participants:cost_create", args=[program.slug]))
        labels = [label for _, label in page.context["form"].fields["participant"].choices][1:]
        assert labels == [
            f"Aulia Rahman — KAI-04-001, {cohort}",
            f"Aulia Rahman — KAI-04-002, {cohort}",
        ]
        assert "Aulia Rahman — KAI-04-002" in page.content.decode()

    @pytest.mark.parametrize(
        ("overrides", "field"),
        [
            ({"currency": "IDR", "rate_to_idr": "2"}, "rate_to_idr"),
            ({"currency": "YEN1"}, "currency"),
            ({"amount": "-5"}, "amount"),
            ({"amount": "abc"}, "amount"),
        ],
    )
    def test_bad_input_saves_nothing(self, client, hr, program, overrides, field):
        client.force_login(hr)
        data = {
            "category": "exams",
            "payer": "sponsor",
            "amount": "100",
            "currency": "IDR",
            "rate_to_idr": "1",
            "date": "2025-11-20",
            "description": "Ujian",
            **overrides,
        }
        response = client.post(reverse("participants:cost_create", args=[program.slug]), data)
        assert field in response.context["form"].errors
        assert not CostItem.objects.exists()

    def test_a_participant_outside_the_chosen_batch_is_refused(self, client, hr, program, cohort):
        elsewhere = ParticipantFactory(cohort=CohortFactory(program=program, number=7))
        client.force_login(hr)
        response = client.post(
            reverse("participants:cost_create", args=[program.slug]),
            {
                "cohort": cohort.pk,
                "participant": elsewhere.pk,
                "category": "medical",
                "payer": "sponsor",
                "amount": "100",
                "currency": "IDR",
                "rate_to_idr": "1",
                "date": "2025-11-20",
                "description": "MCU",
            },
        )
        assert "participant" in response.context["form"].errors

    def test_a_receipt_that_is_not_a_document_is_refused(self, client, hr, program):
        client.force_login(hr)
        response = client.post(
            reverse("participants:cost_create", args=[program.slug]),
            {
                "category": "exams",
                "payer": "sponsor",
                "amount": "100",
                "currency": "IDR",
                "rate_to_idr": "1",
                "date": "2025-11-20",
                "description": "Ujian",
                "receipt": SimpleUploadedFile("kwitansi.pdf", b"MZ\x90\x00"),
            },
        )
        assert "receipt" in response.context["form"].errors

    def test_deleting_asks_first_and_is_logged(self, client, hr, program, cohort):
        item = line(program, cohort)
        client.force_login(hr)
        url = reverse("participants:cost_delete", args=[item.pk])
        assert client.get(url).status_code == 200
        client.post(url)
        assert not CostItem.objects.exists()
        assert AuditEvent.objects.filter(action="delete").exists()

    def test_the_xlsx_export_has_the_lines_and_the_summary(self, client, hr, program, cohort):
        line(program, cohort, description="Tiket pesawat")
        client.force_login(hr)
        response = client.get(reverse("participants:cohort_cost_export", args=[cohort.pk]))
        workbook = load_workbook(io.BytesIO(response.content))
        assert workbook.worksheets[0]["J2"].value == "Tiket pesawat"
        assert workbook.worksheets[1]["A2"].value == "Tiket pesawat"

    def test_instructors_see_no_money(self, client, assigned, instructor, cohort):
        client.force_login(instructor)
        assert client.get(reverse("participants:cohort_costs", args=[cohort.pk])).status_code == 403

    def test_a_programme_out_of_scope_does_not_exist(
        self, client, assigned, coordinator, other_program
    ):
        client.force_login(coordinator)
        url = reverse("participants:program_costs", args=[other_program.slug])
        assert client.get(url).status_code == 404

    def test_leadership_may_not_enter_costs(self, client, assigned, leadership, program):
        client.force_login(leadership)
        assert (
            client.get(reverse("participants:cost_create", args=[program.slug])).status_code == 403
        )

    def test_leadership_read_the_costs_but_not_the_receipt_files(
        self, client, assigned, leadership, coordinator, program, cohort
    ):
        """Leadership see no files: the receipt link is hidden and its URL refused."""
        item = line(program, cohort)
        item.receipt.save("kwitansi.pdf", SimpleUploadedFile("kwitansi.pdf", b"%PDF-1.4 receipt"))
        receipt = reverse("participants:cost_receipt", args=[item.pk])
        client.force_login(leadership)
        page = client.get(reverse("participants:cohort_costs", args=[cohort.pk]))
        assert page.status_code == 200 and receipt not in page.content.decode()
        assert client.get(receipt).status_code == 403
        client.force_login(coordinator)
        page = client.get(reverse("participants:cohort_costs", args=[cohort.pk]))
        assert receipt in page.content.decode()
        response = client.get(receipt)
        assert b"".join(response.streaming_content) == b"%PDF-1.4 receipt"
        assert AuditEvent.objects.filter(action="download", actor=coordinator).count() == 1


class TestTheSpreadsheet:
    def export(self, client, user, cohort):
        client.force_login(user)
        return client.get(reverse("participants:cohort_cost_export", args=[cohort.pk]))

    def test_a_description_or_reference_that_starts_a_formula_is_text(
        self, client, hr, program, cohort
    ):
        line(program, cohort, description="=1+1", reference="-2+3+cmd|' /C calc'!A0")
        lines = load_workbook(io.BytesIO(self.export(client, hr, cohort).content)).worksheets[0]
        assert (lines["J2"].value, lines["J2"].data_type) == ("=1+1", "s")
        assert (lines["K2"].value, lines["K2"].data_type) == ("-2+3+cmd|' /C calc'!A0", "s")

    def test_money_and_dates_stay_typed_cells(self, client, hr, program, cohort):
        line(program, cohort)
        lines = load_workbook(io.BytesIO(self.export(client, hr, cohort).content)).worksheets[0]
        assert lines["A2"].is_date and lines["I2"].value == 1000000
        assert lines["I2"].number_format == "#,##0"

    def test_both_sheets_print_on_a4_one_page_wide_with_the_header_repeated(
        self, client, hr, program, cohort
    ):
        line(program, cohort)
        workbook = load_workbook(io.BytesIO(self.export(client, hr, cohort).content))
        lines, summary = workbook.worksheets
        for sheet in (lines, summary):
            assert sheet.page_setup.paperSize == 9  # A4
            assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
            assert sheet.print_title_rows == "$1:$1" and sheet.freeze_panes == "A2"
        assert lines.page_setup.orientation == "landscape"  # twelve columns
        assert summary.page_setup.orientation == "portrait"  # five

    def test_it_is_named_for_programme_batch_and_day_and_not_cached(
        self, client, hr, program, cohort
    ):
        response = self.export(client, hr, cohort)
        day = timezone.localdate().isoformat()
        assert response["Content-Disposition"] == (
            f'attachment; filename="biaya_kaikoukai_angkatan-4_{day}.xlsx"'
        )
        assert "no-store" in response["Cache-Control"]
