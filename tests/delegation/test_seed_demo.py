import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from cohorts.models import CeremonyAttendee, Cohort, Program
from delegation.management.commands.seed_demo import DEMO_PASSWORD
from delegation.models import Organisation
from participants.models import ConsentRecord, Participant
from portal.models import PortalAccount
from training import readiness

pytestmark = pytest.mark.django_db
User = get_user_model()


def test_it_creates_the_demo_accounts_with_their_roles(capsys):
    call_command("seed_demo", "--demo-users")
    roles = {u.username: list(u.groups.values_list("name", flat=True)) for u in User.objects.all()}
    assert roles == {
        "admin": [],
        "hr": ["hr_staff"],
        "coordinator": ["coordinator"],
        "leadership": ["leadership"],
        "instructor": ["instructor"],
        "committee": ["selection_committee"],
        "peserta1": ["participant"],
        "peserta2": ["participant"],
        "peserta3": ["participant"],
        "pendaftar1": ["participant"],
    }
    assert not PortalAccount.objects.filter(user__username="pendaftar1").exists()
    assert User.objects.get(username="admin").is_superuser
    assert all(u.check_password(DEMO_PASSWORD) for u in User.objects.all())
    out = capsys.readouterr().out
    assert "demo-password" in out and "coordinator" in out


def test_running_it_twice_creates_no_duplicates():
    call_command("seed_demo", "--demo-users")
    call_command("seed_demo", "--demo-users")
    assert User.objects.count() == 10
    assert Organisation.objects.count() == 1


def test_it_leaves_a_changed_demo_password_alone():
    call_command("seed_demo", "--demo-users")
    hr = User.objects.get(username="hr")
    hr.set_password("changed-by-the-user-9")
    hr.save()
    call_command("seed_demo", "--demo-users")
    hr.refresh_from_db()
    assert hr.check_password("changed-by-the-user-9")


def test_with_debug_off_it_creates_no_accounts_unless_asked(settings, capsys):
    settings.DEBUG = False
    call_command("seed_demo")
    assert not User.objects.exists()
    assert "no demo accounts" in capsys.readouterr().out


def test_it_sets_up_the_citys_letterhead():
    call_command("seed_demo")
    organisation = Organisation.current()
    assert organisation.name == "Pemerintah Kota Banjarmasin"
    assert organisation.place == "Banjarmasin"
    assert organisation.province_code == "63"  # Kalimantan Selatan's regencies offered first


def test_the_demo_letterhead_carries_a_drawn_placeholder_crest_once():
    call_command("seed_demo")
    organisation = Organisation.current()
    with organisation.logo.open("rb") as crest:
        assert crest.read(8) == b"\x89PNG\r\n\x1a\n"
    name = organisation.logo.name
    call_command("seed_demo")
    organisation.refresh_from_db()
    assert organisation.logo.name == name  # a second run draws no second crest


def test_it_loads_the_briefs_programme_exactly():
    call_command("seed_demo", "--demo-users")
    program = Program.objects.get(slug="kaikoukai")
    assert program.partner.name == "Kaikoukai Healthcare Corporation"
    assert (program.scheme, program.contract_years, program.training_months) == ("g2b", 5, 12)
    assert program.status == Program.Status.FINAL_INTAKE
    assert program.sponsor_covers == ["language_training", "exams", "airfare", "departure"]
    assert list(program.cohorts.values_list("number", flat=True)) == [1, 2, 3, 4, 5, 6, 7]
    batch4 = program.cohorts.get(number=4)
    assert (batch4.year, batch4.planned_departure) == (2026, datetime.date(2026, 2, 18))
    ceremony = batch4.ceremony
    assert timezone.localtime(ceremony.starts_at).date() == datetime.date(2026, 2, 18)
    assert timezone.localtime(ceremony.starts_at).strftime("%A") == "Wednesday"
    assert ceremony.venue == "Aula Kayuh Baimbai, Balai Kota Banjarmasin"
    assert (ceremony.official_name, ceremony.official_position) == (
        "Hj Ananda",
        "Wakil Wali Kota Banjarmasin",
    )
    assert (ceremony.on_behalf_of_name, ceremony.on_behalf_of_title) == (
        "H Muhammad Yamin HR",
        "Wali Kota Banjarmasin",
    )
    assert [a.name for a in ceremony.attendees.all()] == [
        "Ikhsan Budiman",
        "Para Kepala SKPD",
        "Machli Riyadi",
    ]


def test_the_demo_staff_are_assigned_to_the_programme_and_the_instructor_to_the_batch_in_training():
    call_command("seed_demo", "--demo-users")
    program = Program.objects.get(slug="kaikoukai")
    coordinator = User.objects.get(username="coordinator")
    instructor = User.objects.get(username="instructor")
    assert list(Program.objects.visible_to(coordinator)) == [program]
    assert [c.number for c in Cohort.objects.visible_to(instructor)] == [4, 5]
    assert Cohort.objects.get(number=5).status == Cohort.Status.TRAINING


def test_a_second_run_adds_no_programme_batch_or_attendee():
    call_command("seed_demo", "--demo-users")
    call_command("seed_demo", "--demo-users")
    assert Program.objects.count() == 1
    assert Cohort.objects.count() == 7
    assert CeremonyAttendee.objects.count() == 3


def test_batch_four_is_trained_ready_departed_and_working():
    call_command("seed_demo", "--demo-users")
    batch4 = Cohort.objects.get(program__slug="kaikoukai", number=4)
    people = list(batch4.participants.all())
    assert len(people) == 15
    # They departed on the ceremony date, and started working with their contracts in March.
    assert {p.status for p in people} == {"working"}
    for person in people:
        change = person.status_changes.get(to_status="departed")
        assert change.departure_date == datetime.date(2026, 2, 18)
        assert change.readiness["ready"] is True
    assert Participant.objects.sent().count() > 60


def test_everyone_departed_through_readiness_consented_to_the_transfer_to_the_partner():
    call_command("seed_demo", "--demo-users")
    batch4 = Cohort.objects.get(program__slug="kaikoukai", number=4)
    for person in batch4.participants.all():
        [consent] = ConsentRecord.objects.filter(participant=person).in_force()
        assert (consent.kind, consent.recipient) == ("transfer", batch4.program.partner)
        assert consent.given_on <= datetime.date(2026, 2, 18) and consent.signed_file
        stored = person.status_changes.get(to_status="departed").readiness["requirements"]
        consent_at_departure = next(r for r in stored if r["key"] == "consent-transfer")
        assert consent_at_departure["met"] is True


def test_one_participant_elsewhere_is_visibly_not_ready():
    call_command("seed_demo", "--demo-users")
    person = Participant.objects.get(cohort__number=5, portal_account__user__username="peserta1")
    result = readiness.check(person)
    assert not result.ready
    assert len(result.missing) >= 3


def test_three_participants_get_portal_accounts_two_of_them_in_batch_five():
    call_command("seed_demo", "--demo-users")
    accounts = PortalAccount.objects.select_related("participant__cohort", "user")
    assert sorted(a.user.username for a in accounts) == ["peserta1", "peserta2", "peserta3"]
    people = {a.user.username: a.participant for a in accounts}
    assert (people["peserta1"].cohort.number, people["peserta1"].status) == (5, "in_training")
    assert (people["peserta2"].cohort.number, people["peserta2"].status) == (4, "working")
    assert (people["peserta3"].cohort.number, people["peserta3"].status) == (5, "in_training")
    assert people["peserta3"] != people["peserta1"]
    assert Participant.objects.filter(cohort__number=5).count() == 2
    assert people["peserta3"].attendances.filter(status="present").exists()
    program = Program.objects.get()
    assert program.emergency_hotline and program.coordinator_phone
