import datetime
from decimal import Decimal
from importlib import import_module

import pytest
from django.apps import apps
from django.core.management import call_command
from django.urls import reverse

from delegation.models import Job
from participants.geography import country_code, subdivision_choices, subdivision_code
from participants.models import Contract, CostItem, Participant, contract_end
from tests.factories import CohortFactory, ParticipantFactory, ProgramFactory
from tests.office.test_prints import pdf_text
from tests.welfare.conftest import working
from welfare import services
from welfare.figures import person_years, welfare_figures
from welfare.models import Case, Event, FollowUp, Return

pytestmark = pytest.mark.django_db


class TestDemo:
    def test_the_demo_has_the_four_stories_of_the_issue_once(self):
        call_command("seed_demo", "--demo-users")
        call_command("seed_demo", "--demo-users")
        closed = Case.objects.get(kind=Case.Kind.ILLNESS)
        assert closed.status == Case.Status.CLOSED
        repatriation = closed.costs.get().cost_item
        assert (repatriation.category, repatriation.payer) == ("repatriation", "sponsor")
        dispute = Case.objects.get(kind=Case.Kind.WORKPLACE_DISPUTE)
        assert dispute.is_open
        six = FollowUp.objects.get(months=6, filled_on__isnull=False)
        assert six.activity == FollowUp.Activity.OWN_BUSINESS
        event = Event.objects.get()
        assert event.members.count() == 3
        assert event.members.not_reached().count() == 1
        assert Case.objects.count() == 3


class TestGeography:
    @pytest.mark.parametrize("text", ["Jepang", "Japan", "JP", "日本"])
    def test_a_country_is_read_in_indonesian_english_japanese_or_by_code(self, text):
        assert country_code(text) == "JP"

    @pytest.mark.parametrize(
        "text", ["Ishikawa", "ishikawa-ken", "Ishikawa Prefecture", "石川県", "JP-17"]
    )
    def test_a_prefecture_is_read_however_it_was_written(self, text):
        assert subdivision_code(text, "JP") == "JP-17"

    def test_unknown_text_or_country_maps_to_nothing(self):
        assert subdivision_code("Narnia", "JP") is None
        assert subdivision_code("Ishikawa", None) is None
        assert len(subdivision_choices("JP")) == 47

    def test_the_data_migration_maps_what_it_can_and_lists_the_rest(self, cohort):
        start = datetime.date(2025, 4, 1)
        end = contract_end(start, 5)
        fields = {"employer": "K", "start_date": start, "term_years": 5, "end_date": end}
        mapped = Contract.objects.create(
            participant=ParticipantFactory(cohort=cohort), prefecture="Aichi-ken", **fields
        )
        odd = Contract.objects.create(
            participant=ParticipantFactory(cohort=cohort), prefecture="dekat Nagoya", **fields
        )
        migration = import_module("participants.migrations.0015_contract_subdivision_from_text")
        unmapped = migration.unmapped_contracts(apps.get_model("participants", "Contract"))
        mapped.refresh_from_db(), odd.refresh_from_db()
        assert mapped.subdivision == "JP-23"
        assert (odd.subdivision, odd.prefecture) == ("", "dekat Nagoya")
        assert unmapped == [(odd.pk, "JP", "dekat Nagoya")]


class TestFigures:
    """Against a hand-built data set: four people, two contracts of a year each."""

    def test_returnees_work_at_12_months_and_cases_per_100_person_years(self, cohort, hr):
        today = datetime.date(2026, 12, 31)
        a = working(cohort, start=datetime.date(2025, 1, 1))  # 2025-01-01..today: 2 years
        b = working(cohort, start=datetime.date(2025, 1, 1))
        for person in (a, b):
            case = services.case_open(
                participant=person,
                kind="illness",
                severity="low",
                reported_via="employer",
                description="x",
                by=hr,
            )
        services.case_open(
            participant=a,
            kind="accident",
            severity="critical",
            reported_via="employer",
            description="y",
            by=hr,
        )
        services.return_home(
            participant=b,
            kind=Return.Kind.EARLY,
            on=datetime.date(2025, 12, 31),
            reason="",
            by=hr,
            case=case,
        )
        services.follow_up_fill(
            follow_up=FollowUp.objects.get(participant=b, months=12),
            by=hr,
            via="staff",
            on=datetime.date(2026, 12, 1),
            activity=FollowUp.Activity.BACK_IN_JAPAN,
        )
        ParticipantFactory(cohort=cohort)  # never abroad: no person-years
        other = working(CohortFactory(program=ProgramFactory()))  # not in the set
        services.case_open(
            participant=other,
            kind="illness",
            severity="low",
            reported_via="employer",
            description="z",
            by=hr,
        )
        people = cohort.participants.all()
        assert person_years(people, today=today) == Decimal("3.00")  # 730 + 365 days
        figures = welfare_figures(people, today=today)
        assert (figures.returnees, figures.answered_12, figures.in_work_12) == (1, 1, 1)
        assert figures.back_abroad_share == Decimal("100")
        assert figures.cases_by_kind == {"illness": 2, "accident": 1}
        assert figures.rate_per_100(2) == Decimal("66.7")
        # The return set the case's outcome; the case stays open until someone closes it.
        assert figures.open_by_severity == {"low": 2, "critical": 1}

    def test_person_years_count_each_contract_to_today_its_end_or_the_day_it_ended(self, cohort):
        today = datetime.date(2026, 4, 1)
        running = working(cohort, start=datetime.date(2025, 4, 1))  # 366 days to today
        ended = working(cohort, start=datetime.date(2024, 4, 1))
        Contract.objects.filter(participant=ended).update(ended_on=datetime.date(2024, 4, 10))
        one_day = working(cohort, start=datetime.date(2026, 4, 1))  # starts today: one day
        future = working(cohort, start=datetime.date(2026, 5, 1))  # not begun: nothing
        # An end recorded after the contract's own end counts to the contract's end.
        late = working(cohort, start=datetime.date(2010, 1, 1))
        Contract.objects.filter(participant=late).update(ended_on=datetime.date(2016, 1, 1))
        days = (
            366
            + 10
            + 1
            + 0
            + (
                contract_end(datetime.date(2010, 1, 1), 5).toordinal()
                - datetime.date(2010, 1, 1).toordinal()
                + 1
            )
        )
        expected = (Decimal(days) / Decimal("365.25")).quantize(Decimal("0.01"))
        assert person_years(cohort.participants.all(), today=today) == expected
        # Everyone (nothing filters them) reads the contracts without the participants.
        assert person_years(Participant.objects.all(), today=today) == expected
        assert person_years(Participant.objects.filter(pk=future.pk), today=today) == 0
        assert person_years(
            Participant.objects.filter(pk__in=[running.pk, one_day.pk]), today=today
        ) == (Decimal(367) / Decimal("365.25")).quantize(Decimal("0.01"))

    def test_a_case_cost_reaches_the_programmes_cost_lines(self, cohort, hr):
        person = working(cohort)
        case = services.case_open(
            participant=person,
            kind="illness",
            severity="low",
            reported_via="employer",
            description="x",
            by=hr,
        )
        services.case_add_cost(
            case=case,
            by=hr,
            category="treatment_abroad",
            payer="sponsor",
            amount=Decimal("1000"),
            currency="IDR",
            rate_to_idr=Decimal("1"),
            date=datetime.date(2026, 1, 1),
            description="Obat",
        )
        assert CostItem.objects.filter(program=cohort.program).count() == 1


def test_the_programme_report_prints_duty_of_cares_figures(
    client, assigned, coordinator, hr, cohort, django_capture_on_commit_callbacks
):
    person = working(cohort, start=datetime.date(2025, 1, 1))
    case = services.case_open(
        participant=person,
        kind="illness",
        severity="low",
        reported_via="employer",
        description="x",
        by=hr,
    )
    services.return_home(
        participant=person,
        kind=Return.Kind.EARLY,
        on=datetime.date(2026, 1, 1),
        reason="",
        by=hr,
        case=case,
    )
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("programme_report_create", args=[cohort.program.slug]))
    text = " ".join(pdf_text(Job.objects.get(kind="programme_report").file.read()).split())
    assert "6. Pelindungan peserta dan purna" in text
    assert "Purna (sudah pulang) : 1 orang" in text
    assert "Tahun-orang di luar negeri : 1,0" in text
    assert "Sakit 1 100,0" in text  # one case in 366 days abroad: 1,00 person-year
