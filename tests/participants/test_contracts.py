import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from participants import importer, services
from participants.models import Contract, Status, contract_end
from tests.factories import ParticipantFactory, make_nik

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 27)


def contract(participant, *, start=datetime.date(2026, 3, 2), years=5, status="active", **fields):
    return Contract.objects.create(
        participant=participant,
        employer=fields.pop("employer", "Kaikoukai Healthcare Corporation"),
        start_date=start,
        term_years=years,
        end_date=contract_end(start, years),
        status=status,
        **fields,
    )


class TestEndDate:
    @pytest.mark.parametrize(
        ("start", "years", "end"),
        [
            (datetime.date(2026, 3, 2), 5, datetime.date(2031, 3, 1)),
            (datetime.date(2026, 1, 1), 1, datetime.date(2026, 12, 31)),
            (datetime.date(2024, 2, 29), 5, datetime.date(2029, 2, 27)),
            (datetime.date(2024, 2, 29), 4, datetime.date(2028, 2, 28)),
        ],
    )
    def test_a_contract_ends_the_day_before_its_anniversary(self, start, years, end):
        assert contract_end(start, years) == end


def test_the_database_refuses_a_second_active_contract():
    person = ParticipantFactory(status=Status.WORKING)
    contract(person)
    with (
        pytest.raises(IntegrityError, match="(?i)unique|contract_one_active"),
        transaction.atomic(),
    ):
        contract(person, start=datetime.date(2027, 1, 1))
    contract(
        person, start=datetime.date(2027, 1, 1), status="draft"
    )  # a signed, waiting one is fine


class TestServices:
    def test_a_contract_signed_before_departure_waits_then_starts_with_the_work(self, hr):
        person = ParticipantFactory(status=Status.READY)
        signed = services.contract_create(
            participant=person,
            by=hr,
            today=datetime.date(2026, 1, 10),
            employer="Kaikoukai",
            start_date=datetime.date(2026, 3, 2),
            term_years=5,
        )
        assert signed.status == "draft" and signed.end_date == datetime.date(2031, 3, 1)
        person.status = Status.DEPARTED
        person.save()
        assert services.contracts_daily(today=datetime.date(2026, 3, 1)) == {
            "started": 0,
            "completed": 0,
        }
        assert services.contracts_daily(today=datetime.date(2026, 3, 2)) == {
            "started": 1,
            "completed": 0,
        }
        signed.refresh_from_db()
        person.refresh_from_db()
        assert (signed.status, person.status) == ("active", "working")
        assert person.status_changes.get().effective_date == datetime.date(2026, 3, 2)

    def test_the_term_defaults_to_the_programmes_contract_length(self, hr, cohort):
        cohort.program.contract_years = 3
        cohort.program.save()
        person = ParticipantFactory(cohort=cohort, status=Status.WORKING)
        made = services.contract_create(
            participant=person,
            by=hr,
            today=TODAY,
            employer="X",
            start_date=datetime.date(2026, 3, 2),
        )
        assert made.term_years == 3

    def test_an_extension_waits_for_the_running_contract_to_end(self, hr):
        person = ParticipantFactory(status=Status.WORKING)
        old = contract(person)
        new = services.contract_extend(contract=old, term_years=3, by=hr)
        old.refresh_from_db()
        person.refresh_from_db()
        assert (old.status, new.status) == ("active", "draft")
        assert (new.start_date, new.end_date, new.continues) == (
            datetime.date(2031, 3, 2),
            datetime.date(2034, 3, 1),
            old,
        )
        assert person.status == Status.WORKING
        assert not person.status_changes.exists()

    def test_the_status_follows_the_extension_on_its_first_day(self, hr):
        person = ParticipantFactory(status=Status.WORKING)
        old = contract(person)
        new = services.contract_extend(contract=old, term_years=3, by=hr)
        assert services.contracts_daily(today=datetime.date(2031, 3, 1)) == {
            "started": 0,
            "completed": 0,
        }
        assert services.contracts_daily(today=datetime.date(2031, 3, 2)) == {
            "started": 1,
            "completed": 1,
        }
        old.refresh_from_db()
        new.refresh_from_db()
        person.refresh_from_db()
        assert (old.status, old.ended_on, new.status) == (
            "extended",
            datetime.date(2031, 3, 1),
            "active",
        )
        assert person.status == Status.EXTENDED
        assert person.status_changes.get().effective_date == datetime.date(2031, 3, 2)

    def test_an_extended_contract_is_no_longer_listed_as_ending_soon(self, hr):
        running = contract(ParticipantFactory(status=Status.WORKING))
        soon = datetime.date(2030, 12, 1)
        assert list(Contract.objects.ending_within(today=soon, months=6)) == [running]
        services.contract_extend(contract=running, term_years=3, by=hr)
        assert not Contract.objects.ending_within(today=soon, months=6).exists()

    def test_a_contract_is_extended_only_once(self, hr):
        old = contract(ParticipantFactory(status=Status.WORKING))
        services.contract_extend(contract=old, term_years=3, by=hr)
        with pytest.raises(ValidationError):
            services.contract_extend(contract=old, term_years=3, by=hr)

    def test_a_change_of_employer_ends_one_contract_and_starts_another(self, hr):
        person = ParticipantFactory(status=Status.WORKING)
        old = contract(person)
        new = services.contract_change_employer(
            contract=old,
            by=hr,
            start_date=datetime.date(2027, 4, 1),
            today=datetime.date(2027, 4, 1),
            employer="Sakura Care",
            term_years=4,
        )
        old.refresh_from_db()
        assert (old.status, old.ended_on) == ("completed", datetime.date(2027, 3, 31))
        assert (new.status, new.employer, new.continues) == ("active", "Sakura Care", old)

    def test_terminating_needs_a_reason(self, hr):
        person = ParticipantFactory(status=Status.WORKING)
        running = contract(person)
        with pytest.raises(ValidationError):
            services.contract_terminate(contract=running, by=hr, on=TODAY, reason=" ")
        services.contract_terminate(contract=running, by=hr, on=TODAY, reason="Sakit, pulang")
        running.refresh_from_db()
        assert (running.status, running.ended_on, running.end_reason) == (
            "terminated",
            TODAY,
            "Sakit, pulang",
        )

    def test_the_last_contract_running_out_completes_the_participant(self):
        person = ParticipantFactory(status=Status.WORKING)
        ended = contract(person, start=datetime.date(2021, 3, 1))
        assert services.contracts_daily(today=TODAY) == {"started": 0, "completed": 1}
        ended.refresh_from_db()
        person.refresh_from_db()
        assert (ended.status, person.status) == ("completed", Status.COMPLETED)


class TestLeavingWorkAbroad:
    def test_returning_early_ends_the_active_contract_on_that_date_with_the_reason(self, hr):
        person = ParticipantFactory(status=Status.WORKING)
        running = contract(person)
        change = services.participant_leave_abroad(
            participant=person,
            status=Status.RETURNED_EARLY,
            on=TODAY,
            reason="Sakit, pulang",
            by=hr,
        )
        running.refresh_from_db()
        person.refresh_from_db()
        assert person.status == Status.RETURNED_EARLY
        assert (change.effective_date, change.reason) == (TODAY, "Sakit, pulang")
        assert (running.status, running.ended_on, running.end_reason) == (
            "terminated",
            TODAY,
            "Sakit, pulang",
        )
        assert not person.contracts.active().exists()

    def test_a_waiting_extension_ends_too(self, hr):
        person = ParticipantFactory(status=Status.WORKING)
        old = contract(person)
        waiting = services.contract_extend(contract=old, term_years=3, by=hr)
        services.participant_leave_abroad(
            participant=person, status=Status.RETURNED_EARLY, on=TODAY, reason="Pulang", by=hr
        )
        waiting.refresh_from_db()
        assert waiting.status == "terminated"

    def test_without_a_reason_nothing_changes(self, hr):
        person = ParticipantFactory(status=Status.WORKING)
        running = contract(person)
        with pytest.raises(ValidationError):
            services.participant_leave_abroad(
                participant=person, status=Status.RETURNED_EARLY, on=TODAY, reason=" ", by=hr
            )
        running.refresh_from_db()
        person.refresh_from_db()
        assert (running.status, person.status) == ("active", Status.WORKING)

    def test_only_the_ways_out_go_through_it(self, hr):
        person = ParticipantFactory(status=Status.WORKING)
        with pytest.raises(ValidationError):
            services.participant_leave_abroad(
                participant=person, status=Status.EXTENDED, on=TODAY, reason="", by=hr
            )

    @pytest.mark.parametrize("target", ["returned_early", "completed", "deceased", "missing"])
    def test_the_status_form_does_not_make_the_moves_of_the_duty_of_care(self, client, hr, target):
        # Leaving abroad goes through the way home (its follow-ups), a death or a
        # disappearance through a case: the status page does not offer them.
        person = ParticipantFactory(status=Status.WORKING)
        running = contract(person)
        client.force_login(hr)
        url = reverse("participants:participant_move", args=[person.pk])
        choices = client.get(url).context["form"].fields["to_status"].choices
        assert [value for value, _label in choices] == ["extended"]
        response = client.post(
            url, {"to_status": target, "effective_date": "2026-11-01", "reason": "Sakit"}
        )
        assert response.status_code == 200
        assert "to_status" in response.context["form"].errors
        running.refresh_from_db()
        person.refresh_from_db()
        assert (person.status, running.status) == (Status.WORKING, "active")
        assert not person.status_changes.exists()


class TestPages:
    def test_a_coordinator_lists_contracts_ending_in_six_months(
        self, client, assigned, coordinator, cohort, monkeypatch
    ):
        soon = contract(
            ParticipantFactory(cohort=cohort, status="working"), start=datetime.date(2022, 3, 2)
        )
        contract(ParticipantFactory(cohort=cohort, status="working"))
        monkeypatch.setattr("participants.views.abroad.timezone.localdate", lambda: TODAY)
        client.force_login(coordinator)
        response = client.get(reverse("participants:contract_list"), {"ending": "6"})
        assert list(response.context["page"].object_list) == [soon]

    def test_hr_staff_record_a_contract_and_a_termination(self, client, hr):
        person = ParticipantFactory(status=Status.WORKING)
        client.force_login(hr)
        client.post(
            reverse("participants:contract_create", args=[person.pk]),
            {
                "employer": "Kaikoukai",
                "start_date": "2026-03-02",
                "term_years": "5",
                "salary_currency": "jpy",
            },
        )
        made = Contract.objects.get()
        assert (made.status, made.salary_currency) == ("active", "JPY")
        response = client.post(
            reverse("participants:contract_terminate", args=[made.pk]), {"ended_on": "2026-11-01"}
        )
        assert "reason" in response.context["form"].errors
        made.refresh_from_db()
        assert made.status == "active"

    def test_a_coordinator_may_not_change_contracts(self, client, assigned, coordinator, cohort):
        running = contract(ParticipantFactory(cohort=cohort, status="working"))
        client.force_login(coordinator)
        assert (
            client.get(reverse("participants:contract_extend", args=[running.pk])).status_code
            == 403
        )

    def test_instructors_see_no_contracts(self, client, instructor):
        client.force_login(instructor)
        assert client.get(reverse("participants:contract_list")).status_code == 403


class TestHistoricalImportWithContracts:
    header = (
        "full_name,nik,gender,birth_date,origin_regency,track,"
        "status,departed_on,contract_start,contract_years,employer"
    )

    def row(self, serial, status, start="2023-04-03", employer="Kaikoukai"):
        nik = make_nik(datetime.date(1998, 2, 18), "F", serial=serial)
        person = f"Siti {serial},{nik},P,1998-02-18,63.71,worker"
        return f"{person},{status},2023-03-15,{start},5,{employer}"

    def check(self, *rows):
        content = "\n".join([self.header, *rows]) + "\n"
        return importer.check_file(io.BytesIO(content.encode()), "lama.csv", historical=True)

    def test_people_already_abroad_come_in_with_their_contracts(self, cohort):
        result = self.check(self.row(1, "working"), self.row(2, "returned_early"))
        assert result.ok, result.errors
        working, returned = importer.save_rows(result.rows, cohort=cohort, by=None, historical=True)
        active = working.contracts.get()
        assert (active.status, active.end_date) == ("active", datetime.date(2028, 4, 2))
        assert returned.contracts.get().status == "terminated"

    def test_a_contract_needs_its_employer_and_cannot_start_before_departure(self):
        result = self.check(
            self.row(1, "working", employer=""), self.row(2, "working", start="2023-01-01")
        )
        assert [(e.line, e.column) for e in result.errors] == [
            (2, "employer"),
            (3, "contract_start"),
        ]


def test_a_start_date_whose_end_is_no_date_is_refused_not_a_500(client, hr):
    """9999-12-31 plus five years is past the calendar: the form says so, nothing is saved."""
    person = ParticipantFactory(status=Status.WORKING)
    client.force_login(hr)
    response = client.post(
        reverse("participants:contract_create", args=[person.pk]),
        {"employer": "Kaikoukai", "start_date": "9999-12-31", "term_years": "5"},
    )
    assert response.status_code == 200
    assert "start_date" in response.context["form"].errors
    assert not Contract.objects.exists()
