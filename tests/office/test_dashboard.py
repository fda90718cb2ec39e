"""The dashboard and the recap against a small data set whose right answers are known."""

import datetime
import io
from decimal import Decimal

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from delegation.models import Job
from delegation.roles import Role
from office.overviews import dashboard, views
from participants.models import (
    CheckIn,
    CostItem,
    DocumentType,
    Participant,
    Region,
    Status,
    StatusChange,
    overdue_check_ins,
)
from tests.conftest import require
from tests.factories import (
    CohortFactory,
    DocumentFactory,
    ParticipantFactory,
    ProgramAssignmentFactory,
    UserFactory,
)
from tests.office.test_prints import pdf_text

pytestmark = pytest.mark.django_db


def departed(person, on, *, then=None):
    """A departure recorded afterwards, as for someone who left before the system."""
    person.status = Status.READY
    person.move(Status.DEPARTED, by=None, effective_date=on, departure_date=on, historical=True)
    person.status = then or Status.DEPARTED
    person.save()


@pytest.fixture
def data(program, cohort):
    """Batch 4: two departed in 2026 (one came home early), one in training.
    An earlier batch: one departed in 2025. Costs: sponsor and a flagged participant line."""
    banjar = Region.objects.get(code="63.03")
    first = ParticipantFactory(cohort=cohort, gender="F", track="worker", education_level="d3")
    second = ParticipantFactory(cohort=cohort, gender="M", track="scholarship", origin=banjar)
    ParticipantFactory(cohort=cohort, status=Status.IN_TRAINING)
    departed(first, datetime.date(2026, 2, 18), then=Status.WORKING)
    departed(second, datetime.date(2026, 2, 18), then=Status.RETURNED_EARLY)
    earlier = CohortFactory(program=program, number=3, year=2025)
    departed(ParticipantFactory(cohort=earlier), datetime.date(2025, 2, 19), then=Status.WORKING)
    for payer, amount, category in [
        ("sponsor", "1000000", "airfare"),
        ("participant", "50000", "medical"),
        ("city", "250000", "ceremony"),
    ]:
        CostItem.objects.create(
            program=program,
            cohort=cohort,
            category=category,
            payer=payer,
            amount=Decimal(amount),
            amount_idr=Decimal(amount),
            date=datetime.date(2026, 2, 1),
            description=category,
        )
    return cohort


def test_sent_counts_everyone_who_ever_departed_including_who_came_home_early(client, hr, data):
    client.force_login(hr)
    figures = client.get(reverse("dashboard")).context["figures"]
    assert figures["sent"] == 3
    assert {str(r["cohort"]): r["sent"] for r in figures["sent_by_batch"]} == {
        "Angkatan III (2025)": 1,
        "Angkatan IV (2026)": 2,
    }
    assert figures["sent_by_year"] == [(2025, 1), (2026, 2)]
    statuses = {s["value"]: s["count"] for s in figures["statuses"]}
    assert (statuses["working"], statuses["returned_early"], statuses["in_training"]) == (2, 1, 1)


def test_the_newest_batches_are_listed_and_the_earlier_ones_summed_up(
    client, hr, data, monkeypatch
):
    monkeypatch.setattr(dashboard, "SHOWN_BATCHES", 1)
    client.force_login(hr)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse("dashboard"))
    figures = response.context["figures"]
    assert [(r["cohort"].number, r["sent"]) for r in figures["recent_batches"]] == [(4, 2)]
    assert figures["earlier_batches"] == {"count": 1, "sent": 1}
    assert [bar["label"] for bar in response.context["chart"]["bars"]] == ["Batch IV (2026)"]
    assert "1 earlier batch" in response.content.decode()


def test_someone_who_departed_twice_is_counted_once_in_the_year_of_the_first(client, hr, data):
    person = ParticipantFactory(cohort=data, status=Status.WORKING)
    for day in [datetime.date(2027, 1, 5), datetime.date(2026, 12, 1)]:
        StatusChange.objects.create(
            participant=person,
            kind="status",
            from_status="ready",
            to_status=Status.DEPARTED,
            effective_date=day,
            historical=True,
        )
    Participant.objects.filter(pk=person.pk).refresh_departed_on()
    client.force_login(hr)
    figures = client.get(reverse("dashboard")).context["figures"]
    assert figures["sent"] == 4
    assert figures["sent_by_year"] == [(2025, 1), (2026, 3)]


def test_overdue_check_ins_are_the_working_people_not_checked_on_lately(client, hr, data):
    today = timezone.localdate()
    abroad = list(Participant.objects.filter(status=Status.WORKING))  # two
    abroad.append(ParticipantFactory(cohort=data, status=Status.EXTENDED))
    home = ParticipantFactory(cohort=data, status=Status.COMPLETED)
    for person, days_ago in [(abroad[0], 10), (abroad[0], 200), (abroad[1], 200), (home, 300)]:
        CheckIn.objects.create(
            participant=person,
            date=today - datetime.timedelta(days=days_ago),
            channel="video",
            held_by="city",
            wellbeing=4,
            work_satisfaction=4,
        )
    client.force_login(hr)
    figures = client.get(reverse("dashboard")).context["figures"]
    actions = {action["label"]: action["count"] for action in figures["actions"]}
    expected = overdue_check_ins(Participant.objects.all(), today=today).count()
    assert actions["check_ins"] == expected == 2


def test_documents_expiring_within_their_types_lead_time_are_counted(client, hr, data):
    today = timezone.localdate()
    person = Participant.objects.filter(cohort=data).first()
    medical = DocumentType.objects.get(code="medical")  # a shorter lead time than a passport's

    def document(days, **fields):
        return DocumentFactory(
            participant=person, expires_on=today + datetime.timedelta(days=days), **fields
        )

    document(100)  # a passport within its 180 days: counts
    document(100, document_type=medical)  # a medical check beyond its lead time
    document(-5)  # expired already: another list
    renewed = document(20)
    document(900, replaces=renewed)  # renewed: only the new passport is current
    client.force_login(hr)
    figures = client.get(reverse("dashboard")).context["figures"]
    actions = {action["label"]: action["count"] for action in figures["actions"]}
    assert actions["documents"] == 1


def test_origins_tracks_and_genders(client, hr, data):
    client.force_login(hr)
    figures = client.get(reverse("dashboard")).context["figures"]
    assert (figures["from_city"], figures["from_elsewhere"]) == (3, 1)
    assert dict(figures["tracks"]) == {"Tenaga Kerja": 3, "Penerima Beasiswa": 1}
    assert dict(figures["genders"]) == {"Perempuan": 3, "Laki-laki": 1}


def test_money_shows_who_paid_and_flags_the_broken_promise(client, hr, data, program):
    client.force_login(hr)
    (row,) = client.get(reverse("dashboard")).context["figures"]["money"]
    assert (row["sponsor"], row["participant"], row["operating"]) == (
        Decimal("1000000"),
        Decimal("50000"),
        Decimal("250000"),
    )
    assert row["flagged"] == 1


def test_the_broken_promise_counts_lines_not_categories(client, hr, data, program):
    CostItem.objects.create(
        program=program,
        cohort=data,
        category="medical",
        payer="participant",
        amount=Decimal("75000"),
        amount_idr=Decimal("75000"),
        date=datetime.date(2026, 2, 2),
        description="MCU ulang",
    )
    client.force_login(hr)
    (row,) = client.get(reverse("dashboard")).context["figures"]["money"]
    assert (row["participant"], row["flagged"]) == (Decimal("125000"), 2)


def test_the_filters_narrow_to_a_year(client, hr, data):
    client.force_login(hr)
    figures = client.get(reverse("dashboard"), {"year": 2025}).context["figures"]
    assert figures["sent"] == 1


def test_each_user_counts_the_people_they_may_see(
    client, assigned, hr, coordinator, data, program, other_program
):
    ParticipantFactory(cohort=None)  # registered, not placed in a batch yet
    ParticipantFactory(cohort=CohortFactory(program=other_program, number=1, year=2026))
    client.force_login(hr)
    assert client.get(reverse("dashboard")).context["figures"]["registered"] == 6
    narrowed = client.get(reverse("dashboard"), {"program": program.slug}).context["figures"]
    assert narrowed["registered"] == 4
    client.force_login(coordinator)
    figures = client.get(reverse("dashboard")).context["figures"]
    assert (figures["registered"], figures["sent"]) == (4, 3)
    assert client.get(reverse("dashboard"), {"year": 2025}).context["figures"]["registered"] == 1


def test_leadership_reads_it_and_an_instructor_sees_no_money(
    client, assigned, leadership, instructor, data
):
    client.force_login(leadership)
    figures = client.get(reverse("dashboard")).context["figures"]
    assert figures["sent"] == 3 and figures["money"] is not None
    client.force_login(instructor)
    figures = client.get(reverse("dashboard")).context["figures"]
    assert figures["money"] is None


@pytest.mark.parametrize("extra", [0, 25])
def test_the_dashboard_runs_a_fixed_number_of_queries(
    client, hr, data, extra, django_assert_num_queries, settings
):
    settings.DASHBOARD_CACHE_SECONDS = 0  # the counting itself, not the kept figures
    cohort = data
    for number in range(10, 10 + extra):
        person = ParticipantFactory(cohort=cohort)
        departed(person, datetime.date(2026, 2, 18), then=Status.WORKING)
        earlier = CohortFactory(program=cohort.program, number=number, year=2020)
        departed(ParticipantFactory(cohort=earlier), datetime.date(2020, 2, 18), then="working")
    client.force_login(hr)
    client.get(reverse("dashboard"))
    # 19 for the office's figures, 4 for duty of care's (returnees and follow-ups, cases,
    # person-years) and 1 for the banner of the disaster events still open.
    with django_assert_num_queries(24):
        client.get(reverse("dashboard"))


def test_the_figures_are_kept_a_minute_per_user_filter_and_language(
    client, hr, data, program, settings, django_assert_max_num_queries
):
    settings.DASHBOARD_CACHE_SECONDS = 60
    client.force_login(hr)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    first = client.get(reverse("dashboard"))
    assert "Figures as of " in first.content.decode()
    ParticipantFactory(cohort=data)  # counted only once the kept figures expire
    with django_assert_max_num_queries(12):  # no counting: session, user, menus, filters
        again = client.get(reverse("dashboard")).context["figures"]
    assert again["registered"] == first.context["figures"]["registered"] == 4
    narrowed = client.get(reverse("dashboard"), {"program": program.slug}).context["figures"]
    assert narrowed["registered"] == 5
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    assert client.get(reverse("dashboard")).context["figures"]["registered"] == 5
    settings.DASHBOARD_CACHE_SECONDS = 0
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    ParticipantFactory(cohort=data)
    assert client.get(reverse("dashboard")).context["figures"]["registered"] == 6


def test_users_with_the_same_rights_share_the_kept_figures(
    client, hr, data, settings, django_assert_max_num_queries, assigned, coordinator
):
    settings.DASHBOARD_CACHE_SECONDS = 60
    client.force_login(hr)
    assert client.get(reverse("dashboard")).context["figures"]["registered"] == 4
    ParticipantFactory(cohort=data)
    client.force_login(UserFactory(username="hr-2", role=Role.HR_STAFF))
    with django_assert_max_num_queries(12):  # nothing counted: the office's figures
        assert client.get(reverse("dashboard")).context["figures"]["registered"] == 4
    client.force_login(coordinator)  # other rights: counted for them
    assert client.get(reverse("dashboard")).context["figures"]["registered"] == 5


def test_figures_counted_while_the_assignments_changed_are_not_kept(
    client, assigned, coordinator, program, other_program, data, settings, monkeypatch
):
    settings.DASHBOARD_CACHE_SECONDS = 60
    colleague = UserFactory(username="coordinator-2", role=Role.COORDINATOR)
    ProgramAssignmentFactory(program=program, user=colleague, role="coordinator")
    ParticipantFactory(cohort=CohortFactory(program=other_program))
    counting = dashboard.dashboard_figures

    def assigned_meanwhile(user, **kwargs):
        ProgramAssignmentFactory(program=other_program, user=coordinator, role="coordinator")
        return counting(user, **kwargs)

    monkeypatch.setattr(views, "dashboard_figures", assigned_meanwhile)
    client.force_login(coordinator)
    assert client.get(reverse("dashboard")).context["figures"]["registered"] == 5
    monkeypatch.setattr(views, "dashboard_figures", counting)
    client.force_login(colleague)  # the rights the coordinator had when counting began
    assert client.get(reverse("dashboard")).context["figures"]["registered"] == 4


def test_kept_figures_are_not_shown_after_a_change_of_rights(client, hr, data, settings):
    settings.DASHBOARD_CACHE_SECONDS = 60
    client.force_login(hr)
    assert client.get(reverse("dashboard")).context["figures"]["money"] is not None
    hr.groups.clear()
    hr.groups.add(Group.objects.get(name="leadership"))
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    # Leadership reads money too, but not every programme's: the figures were counted again.
    assert response.context["figures"]["registered"] == 0


def test_kept_figures_are_not_shown_after_a_change_of_assignment(
    client, assigned, coordinator, data, settings
):
    settings.DASHBOARD_CACHE_SECONDS = 60
    client.force_login(coordinator)
    assert client.get(reverse("dashboard")).context["figures"]["registered"] == 4
    coordinator.program_assignments.all().delete()
    figures = client.get(reverse("dashboard")).context["figures"]
    assert (figures["registered"], figures["sent_by_batch"]) == (0, [])


def test_the_recap_counts_with_totals(client, assigned, leadership, data):
    client.force_login(leadership)
    response = client.get(reverse("cohort_recap", args=[data.pk]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [tuple(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0][0].startswith("REKAPITULASI PESERTA")
    gender = rows.index(("JENIS KELAMIN", None, None))
    assert rows[gender + 2 : gender + 5] == [
        (1, "Perempuan", 2),
        (2, "Laki-laki", 1),
        (None, "Jumlah", 3),
    ]


def test_the_recap_is_refused_to_a_user_without_a_role(client, outsider, data):
    client.force_login(outsider)
    assert client.get(reverse("recap")).status_code == 403


def test_the_printable_report_carries_the_figures(
    client, assigned, coordinator, data, program, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("programme_report_create", args=[program.slug]))
    assert response["Location"] == reverse("jobs")
    job = Job.objects.get(kind="programme_report")
    job.refresh_from_db()
    text = pdf_text(job.file.read())
    assert "LAPORAN PROGRAM KERJA SAMA" in text
    assert "Diberangkatkan sejak awal : 3 orang" in " ".join(text.split())
    assert "Angkatan IV (2026)" in text
    assert "1.000.000" in text  # the sponsor's rupiah


def test_leadership_cannot_ask_for_the_report(client, assigned, leadership, program):
    client.force_login(leadership)
    assert client.post(reverse("programme_report_create", args=[program.slug])).status_code == 403


def test_everyones_figures_from_the_summaries_match_the_figures_counted(hr, data, monkeypatch):
    if connection.vendor != "postgresql":
        require("DATABASE_URL is not PostgreSQL: only PostgreSQL keeps the summaries")
    leaving = ParticipantFactory(cohort=data, education_level="s1")
    departed(leaving, datetime.date(2026, 2, 18), then=Status.WORKING)
    ParticipantFactory(gender="M")  # not in a batch yet
    Participant.objects.filter(status=Status.IN_TRAINING).update(track="scholarship")
    leaving.delete()
    today = datetime.date(2026, 11, 27)
    summed = dashboard.dashboard_figures(hr, today=today)
    monkeypatch.setattr(dashboard, "participant_mix", lambda: None)
    monkeypatch.setattr(dashboard, "departures", lambda: None)
    counted = dashboard.dashboard_figures(hr, today=today)
    for figure in ("sent", "sent_by_year", "statuses", "registered", "origins", "from_city"):
        assert summed[figure] == counted[figure], figure
    for figure in ("tracks", "genders", "education"):
        assert summed[figure] == counted[figure], figure
    assert [row["sent"] for row in summed["sent_by_batch"]] == [
        row["sent"] for row in counted["sent_by_batch"]
    ]
    assert summed["sent"] == 3 and summed["registered"] == 5


def test_the_dashboard_of_everyone_groups_no_participants(client, hr, data, settings):
    """The summaries replace the two passes over every participant."""
    if connection.vendor != "postgresql":
        require("DATABASE_URL is not PostgreSQL: only PostgreSQL keeps the summaries")
    settings.DASHBOARD_CACHE_SECONDS = 0
    client.force_login(hr)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("dashboard")).status_code == 200
    grouped = [  # the groups and the departures, counted from the participants
        q["sql"]
        for q in queries
        if 'FROM "participants_participant"' in q["sql"]
        and "GROUP BY" in q["sql"]
        and ('"education_level"' in q["sql"] or '"departed_on"' in q["sql"])
    ]
    assert grouped == []
    assert any("participants_participantmix" in q["sql"] for q in queries)
    assert any("participants_departurecount" in q["sql"] for q in queries)
