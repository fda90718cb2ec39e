import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from cohorts.models import (
    DEFAULT_CONTRACT_YEARS,
    Agreement,
    Cohort,
    Partner,
    Program,
    ProgramSignatory,
)
from delegation.formatting import roman
from tests.factories import (
    AgreementFactory,
    CohortFactory,
    DepartureCeremonyFactory,
    ProgramFactory,
    TrainingPlanFactory,
)

pytestmark = pytest.mark.django_db
CEREMONY_DAY = datetime.date(2026, 2, 18)


def test_the_database_refuses_a_second_batch_with_the_same_number(program, cohort):
    with (
        pytest.raises(IntegrityError, match="(?i)unique"),
        transaction.atomic(),
    ):
        Cohort.objects.create(program=program, number=cohort.number, year=2027)


def test_two_programmes_may_each_have_a_batch_4(cohort, other_program):
    assert CohortFactory(program=other_program, number=4).number == 4


def test_the_database_refuses_an_agreement_that_ends_before_it_is_signed(program):
    with pytest.raises(IntegrityError), transaction.atomic():
        AgreementFactory(
            program=program,
            signed_on=datetime.date(2025, 5, 1),
            valid_until=datetime.date(2025, 4, 30),
        )


@pytest.mark.parametrize(("number", "expected"), [(1, "I"), (4, "IV"), (9, "IX"), (14, "XIV")])
def test_batch_numbers_print_in_roman_numerals(number, expected):
    assert roman(number) == expected


def test_roman_numerals_start_at_one():
    with pytest.raises(ValueError):
        roman(0)


def test_a_batch_is_named_angkatan_in_indonesian_and_batch_in_english(cohort):
    with translation.override("id"):
        assert str(cohort) == "Angkatan IV (2026)"
    with translation.override("en"):
        assert str(cohort) == "Batch IV (2026)"


def test_a_batch_moves_one_step_at_a_time(cohort):
    assert cohort.status == Cohort.Status.RECRUITING
    with pytest.raises(ValidationError, match="tidak dapat berpindah"):
        cohort.move_to(Cohort.Status.READY, today=CEREMONY_DAY)
    cohort.move_to(Cohort.Status.TRAINING, today=CEREMONY_DAY)
    cohort.refresh_from_db()
    assert cohort.status == Cohort.Status.TRAINING


def test_a_batch_cannot_depart_without_a_ceremony(cohort):
    cohort.status = Cohort.Status.READY
    assert cohort.move_blocker(Cohort.Status.DEPARTED, today=CEREMONY_DAY) == (
        "Catat acara pelepasan terlebih dahulu."
    )
    assert cohort.allowed_moves(today=CEREMONY_DAY) == [Cohort.Status.TRAINING]


def test_a_batch_cannot_depart_before_its_ceremony_day(cohort):
    cohort.status = Cohort.Status.READY
    cohort.save()
    DepartureCeremonyFactory(cohort=cohort)
    cohort.refresh_from_db()
    with pytest.raises(ValidationError):
        cohort.move_to(Cohort.Status.DEPARTED, today=CEREMONY_DAY - datetime.timedelta(days=1))
    cohort.move_to(Cohort.Status.DEPARTED, today=CEREMONY_DAY)
    assert cohort.status == Cohort.Status.DEPARTED
    assert cohort.allowed_moves(today=CEREMONY_DAY) == [Cohort.Status.CLOSED]


def test_an_agreement_knows_when_it_expires(program):
    agreement = AgreementFactory(program=program, valid_until=datetime.date(2026, 6, 30))
    assert agreement.is_expiring(datetime.date(2026, 1, 15))
    assert not agreement.is_expiring(datetime.date(2025, 6, 1))
    assert agreement.is_expired(datetime.date(2026, 7, 1))
    assert list(Agreement.objects.expiring(today=datetime.date(2026, 1, 15))) == [agreement]


def test_a_programme_refuses_an_unknown_cost_category():
    program = ProgramFactory.build(sponsor_covers=["language_training", "champagne"])
    with pytest.raises(ValidationError):
        program.clean()


def test_the_sponsors_categories_display_in_the_lists_order():
    program = ProgramFactory.build(sponsor_covers=["departure", "language_training"])
    with translation.override("en"):
        assert program.get_sponsor_covers_display() == ["Language training", "Departure"]


class TestVisibility:
    def test_hr_staff_see_every_programme_and_batch(self, hr, cohort, other_program):
        assert set(Program.objects.visible_to(hr)) == {cohort.program, other_program}
        assert list(Cohort.objects.visible_to(hr)) == [cohort]

    def test_a_coordinator_sees_only_assigned_programmes(
        self, assigned, coordinator, program, other_program
    ):
        other_cohort = CohortFactory(program=other_program)
        assert list(Program.objects.visible_to(coordinator)) == [program]
        assert other_cohort not in Cohort.objects.visible_to(coordinator)
        assert list(Partner.objects.visible_to(coordinator)) == [program.partner]

    def test_an_instructor_sees_only_assigned_batches(self, assigned, instructor, program, cohort):
        CohortFactory(program=program, number=5)
        assert list(Cohort.objects.visible_to(instructor)) == [cohort]
        assert list(Program.objects.visible_to(instructor)) == [program]

    def test_a_user_without_assignments_sees_nothing(self, outsider, cohort):
        assert not Program.objects.visible_to(outsider).exists()
        assert not Cohort.objects.visible_to(outsider).exists()
        assert not Program.objects.visible_to(AnonymousUser()).exists()


class TestSignatories:
    def test_the_signatories_of_one_document_print_in_their_order(self, program):
        other = ProgramSignatory.Document.HANDOVER
        roster = ProgramSignatory.Document.ROSTER
        ProgramSignatory.objects.create(
            program=program, document=roster, order=2, position="Kepala BKPSDM", name="B"
        )
        ProgramSignatory.objects.create(
            program=program,
            document=roster,
            order=1,
            position="Sekretaris Daerah",
            name="Dr. A, M.Si.",
            rank="Pembina Utama Madya (IV/d)",
            nip="196801011990031001",
            on_behalf_of="Wali Kota Banjarmasin",
        )
        ProgramSignatory.objects.create(program=program, document=other, position="X", name="C")
        assert ProgramSignatory.objects.signing(program, roster).blocks() == [
            {
                "position": "Sekretaris Daerah",
                "name": "Dr. A, M.Si.",
                "rank": "Pembina Utama Madya (IV/d)",
                "nip": "196801011990031001",
                "on_behalf_of": "Wali Kota Banjarmasin",
            },
            {"position": "Kepala BKPSDM", "name": "B", "rank": "", "nip": "", "on_behalf_of": ""},
        ]

    def test_a_document_nobody_signs_prints_no_block(self, program):
        assert ProgramSignatory.objects.signing(program, "sign_in").blocks() == []


class TestTrainingPlanOfABatch:
    def test_a_batch_without_a_plan_has_none(self, cohort):
        assert cohort.plan is None

    def test_a_batch_with_a_plan_reads_it_once(self, cohort, django_assert_num_queries):
        plan = TrainingPlanFactory(cohort=cohort)
        fresh = Cohort.objects.get(pk=cohort.pk)
        with django_assert_num_queries(1):
            assert fresh.plan == plan
            assert fresh.plan == plan


def test_a_new_programme_runs_contracts_of_the_default_length(db):
    program = ProgramFactory()
    assert program.contract_years == DEFAULT_CONTRACT_YEARS == 5
