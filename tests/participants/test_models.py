import datetime
import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import translation

from cohorts.models import DEFAULT_CONTRACT_YEARS
from participants.models import (
    TRAINEES,
    Contact,
    Document,
    DocumentType,
    Participant,
    Region,
    StatusChange,
)
from participants.phones import format_phone, normalise_phone
from tests.factories import (
    CohortFactory,
    ContactFactory,
    DocumentFactory,
    ParticipantFactory,
    make_nik,
)

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 27)


class TestRegions:
    def test_every_province_and_regency_is_loaded_with_its_code(self):
        assert Region.objects.provinces().count() == 38
        assert Region.objects.regencies().count() == 514
        banjarmasin = Region.objects.get(code="63.71")
        assert (banjarmasin.name, banjarmasin.province.name) == (
            "Kota Banjarmasin",
            "Kalimantan Selatan",
        )

    @pytest.mark.parametrize(
        "text", ["63.71", "6371", "Kota Banjarmasin", "banjarmasin", " Kota  Banjarmasin "]
    )
    def test_a_regency_is_found_by_code_or_unambiguous_name(self, text):
        assert Region.objects.resolve_regency(text).code == "63.71"

    def test_a_name_two_regencies_share_must_be_qualified(self):
        with pytest.raises(ValidationError, match="Kota Banjar \\(32.79\\) atau Kabupaten Banjar"):
            Region.objects.resolve_regency("Banjar")
        assert Region.objects.resolve_regency("Kabupaten Banjar").code == "63.03"

    @pytest.mark.parametrize("text", ["63.99", "Atlantis", ""])
    def test_an_unknown_regency_is_refused(self, text):
        with pytest.raises(ValidationError):
            Region.objects.resolve_regency(text)

    @pytest.mark.django_db(transaction=True)
    def test_a_flushed_database_gets_its_reference_data_back(self):
        call_command("flush", interactive=False, verbosity=0)
        assert Region.objects.count() == 552
        assert DocumentType.objects.filter(code="passport", expiry_lead_days=180).exists()


class TestIdentity:
    def test_the_database_refuses_the_same_nik_twice(self):
        first = ParticipantFactory()
        with pytest.raises(IntegrityError), transaction.atomic():
            ParticipantFactory(nik=first.nik)

    def test_the_same_name_and_birth_date_under_another_nik_is_a_possible_duplicate(self):
        first = ParticipantFactory(full_name="Siti Rahmah")
        second = ParticipantFactory(full_name="siti rahmah")
        other = ParticipantFactory(full_name="Siti Rahmah", birth_date=datetime.date(1999, 1, 1))
        assert list(second.possible_duplicates()) == [first]
        assert other not in second.possible_duplicates()

    @staticmethod
    def validation_errors(participant) -> dict:
        try:
            participant.full_clean(exclude=["origin", "nik"])
        except ValidationError as error:
            return error.message_dict
        return {}

    @pytest.mark.parametrize("name", ["ヤマダ・タロウ", "シティ ラフマー", "アフマド"])
    def test_katakana_names_are_accepted(self, name):
        participant = ParticipantFactory(name_katakana=name)
        assert self.validation_errors(participant) == {}
        participant.refresh_from_db()
        assert participant.name_katakana == name

    @pytest.mark.parametrize("name", ["Siti", "しとい", "山田"])
    def test_other_scripts_are_refused_in_the_katakana_field(self, name):
        errors = self.validation_errors(ParticipantFactory.build(name_katakana=name))
        assert list(errors) == ["name_katakana"]

    def test_changes_are_kept_in_the_history(self, hr):
        participant = ParticipantFactory(full_name="Siti")
        participant.full_name = "Hj. Siti"
        participant.save()
        assert [h.full_name for h in participant.history.all()] == ["Hj. Siti", "Siti"]


class TestPhones:
    @pytest.mark.parametrize(
        ("raw", "stored", "shown"),
        [
            ("081234567890", "+6281234567890", "0812-3456-7890"),
            ("+62 812 3456 7890", "+6281234567890", "0812-3456-7890"),
            ("+81 90-1234-5678", "+819012345678", "+81 90-1234-5678"),
        ],
    )
    def test_phones_are_stored_in_e164_and_shown_in_local_form(self, raw, stored, shown):
        assert normalise_phone(raw) == stored
        assert format_phone(stored) == shown

    @pytest.mark.parametrize("raw", ["12", "not a phone", "0812"])
    def test_a_phone_that_is_not_a_phone_is_refused(self, raw):
        with pytest.raises(ValidationError):
            normalise_phone(raw)


class TestStatus:
    def test_a_move_records_who_when_from_which_date_and_why(self, hr):
        participant = ParticipantFactory()
        change = participant.move(
            Participant.Status.SELECTED, by=hr, effective_date=datetime.date(2026, 3, 1)
        )
        participant.refresh_from_db()
        assert participant.status == "selected"
        assert (change.from_status, change.to_status) == ("applicant", "selected")
        assert (change.recorded_by, change.effective_date) == (hr, datetime.date(2026, 3, 1))
        assert change.recorded_at is not None

    def test_a_move_outside_the_table_is_refused(self, hr):
        participant = ParticipantFactory()
        with pytest.raises(ValidationError, match="tidak dapat berpindah"):
            participant.move(Participant.Status.WORKING, by=hr, effective_date=TODAY)
        assert not StatusChange.objects.exists()

    @pytest.mark.parametrize("status", ["withdrawn"])
    def test_withdrawing_needs_a_reason(self, hr, status):
        participant = ParticipantFactory()
        with pytest.raises(ValidationError, match="alasan"):
            participant.move(status, by=hr, effective_date=TODAY, reason="  ")
        participant.move(status, by=hr, effective_date=TODAY, reason="Sakit keras")
        assert participant.status_changes.get().reason == "Sakit keras"

    def test_postponing_and_returning_early_need_a_reason(self, hr):
        participant = ParticipantFactory(status=Participant.Status.IN_TRAINING)
        with pytest.raises(ValidationError):
            participant.move(Participant.Status.POSTPONED, by=hr, effective_date=TODAY)
        departed = ParticipantFactory(status=Participant.Status.DEPARTED)
        with pytest.raises(ValidationError):
            departed.move(Participant.Status.RETURNED_EARLY, by=hr, effective_date=TODAY)

    def test_ready_and_departed_need_the_readiness_check(self, hr):
        participant = ParticipantFactory(status=Participant.Status.IN_TRAINING)
        with pytest.raises(ValidationError, match="pemeriksaan kesiapan"):
            participant.move(Participant.Status.READY, by=hr, effective_date=TODAY)
        assert participant.offered_moves() == ["postponed", "withdrawn"]

    def test_departing_records_the_date_and_flight(self, hr):
        participant = ParticipantFactory(status=Participant.Status.READY)
        change = participant.move(
            Participant.Status.DEPARTED,
            by=hr,
            effective_date=TODAY,
            departure_date=TODAY,
            flight="GA 880",
            readiness={"ready": True},
        )
        assert (change.departure_date, change.flight) == (TODAY, "GA 880")


class TestFirstDeparture:
    """``Participant.departed_on`` keeps the date of the first move to departed."""

    def depart(self, participant, day, by=None):
        return participant.move(
            Participant.Status.DEPARTED,
            by=by,
            effective_date=day,
            departure_date=day,
            readiness={"ready": True},
        )

    def test_departing_stores_the_date_and_later_moves_keep_it(self, hr):
        participant = ParticipantFactory(status=Participant.Status.READY)
        self.depart(participant, datetime.date(2026, 2, 18), by=hr)
        participant.refresh_from_db()
        assert participant.departed_on == datetime.date(2026, 2, 18)
        participant.move(
            Participant.Status.RETURNED_EARLY, by=hr, effective_date=TODAY, reason="Sakit"
        )
        participant.refresh_from_db()
        assert participant.departed_on == datetime.date(2026, 2, 18)
        assert Participant.objects.ever_departed().get() == participant

    def test_moves_before_departure_store_nothing(self, hr):
        participant = ParticipantFactory()
        participant.move(Participant.Status.SELECTED, by=hr, effective_date=TODAY)
        participant.move(Participant.Status.WITHDRAWN, by=hr, effective_date=TODAY, reason="x")
        participant.refresh_from_db()
        assert participant.departed_on is None
        assert not Participant.objects.ever_departed().exists()

    def test_a_move_on_a_stale_copy_does_not_erase_the_date(self, hr):
        participant = ParticipantFactory(status=Participant.Status.READY)
        stale = Participant.objects.get(pk=participant.pk)
        self.depart(participant, datetime.date(2026, 2, 18))
        stale.status = Participant.Status.DEPARTED
        stale.move(Participant.Status.WORKING, by=hr, effective_date=TODAY)
        stale.refresh_from_db()
        assert stale.departed_on == datetime.date(2026, 2, 18)

    def test_refreshing_takes_the_earliest_departure_and_clears_when_none_is_left(self):
        participant = ParticipantFactory(status=Participant.Status.WORKING)
        other = ParticipantFactory(status=Participant.Status.WORKING)
        for day in [datetime.date(2024, 5, 1), datetime.date(2023, 4, 2)]:
            StatusChange.objects.create(
                participant=participant,
                kind="status",
                from_status="ready",
                to_status="departed",
                effective_date=day,
            )
        Participant.objects.filter(pk=participant.pk).refresh_departed_on()
        participant.refresh_from_db()
        assert participant.departed_on == datetime.date(2023, 4, 2)
        participant.status_changes.all().delete()
        Participant.objects.filter(pk=participant.pk).refresh_departed_on()
        participant.refresh_from_db()
        other.refresh_from_db()
        assert (participant.departed_on, other.departed_on) == (None, None)

    def test_the_migration_copies_the_first_departure_of_everyone_already_sent(self):
        from importlib import import_module

        from django.apps import apps

        migration = import_module("participants.migrations.0005_participant_first_departure")
        sent = ParticipantFactory(status=Participant.Status.WORKING)
        waiting = ParticipantFactory(status=Participant.Status.IN_TRAINING)
        for day, to in [(datetime.date(2025, 2, 19), "departed"), (TODAY, "working")]:
            StatusChange.objects.create(
                participant=sent,
                kind="status",
                from_status="ready",
                to_status=to,
                effective_date=day,
            )
        Participant.objects.update(departed_on=None)
        migration.copy_first_departures(apps, None)
        assert dict(Participant.objects.values_list("pk", "departed_on")) == {
            sent.pk: datetime.date(2025, 2, 19),
            waiting.pk: None,
        }

    def test_an_administrators_edit_or_deletion_of_a_departure_follows(self, client, admin_user):
        participant = ParticipantFactory(status=Participant.Status.READY)
        other = ParticipantFactory(status=Participant.Status.READY)
        change = self.depart(participant, datetime.date(2026, 2, 18))
        client.force_login(admin_user)
        url = reverse("admin:participants_statuschange_change", args=[change.pk])
        form = {
            "participant": other.pk,
            "kind": "status",
            "from_status": "ready",
            "to_status": "departed",
            "effective_date": "2026-02-20",
            "reason": "",
            "departure_date": "2026-02-20",
            "flight": "",
            "readiness": "null",
            "recorded_at_0": "2026-02-18",
            "recorded_at_1": "08:00:00",
        }
        response = client.post(url, form)
        assert response.status_code == 302, response.context["adminform"].form.errors
        participant.refresh_from_db()
        other.refresh_from_db()
        assert (participant.departed_on, other.departed_on) == (None, datetime.date(2026, 2, 20))
        delete = reverse("admin:participants_statuschange_delete", args=[change.pk])
        assert client.post(delete, {"post": "yes"}).status_code == 302
        other.refresh_from_db()
        assert other.departed_on is None

    def test_deleting_departures_from_the_admin_list_follows(self, client, admin_user):
        people = [ParticipantFactory(status=Participant.Status.READY) for _ in range(2)]
        changes = [self.depart(p, TODAY) for p in people]
        client.force_login(admin_user)
        response = client.post(
            reverse("admin:participants_statuschange_changelist"),
            {
                "action": "delete_selected",
                "_selected_action": [c.pk for c in changes],
                "post": "yes",
            },
        )
        assert response.status_code == 302
        assert not Participant.objects.ever_departed().exists()


class TestPlacement:
    def test_a_placed_participant_gets_the_batchs_next_number(self, cohort):
        first, second = ParticipantFactory(), ParticipantFactory()
        first.place(cohort)
        second.place(cohort)
        assert (first.participant_number, second.participant_number) == ("KAI-04-001", "KAI-04-002")

    def test_a_transfer_is_kept_in_the_history_with_a_new_number(self, hr, cohort):
        participant = ParticipantFactory()
        participant.place(cohort)
        later = CohortFactory(program=cohort.program, number=5)
        change = participant.transfer(later, by=hr, effective_date=TODAY, reason="Sakit")
        participant.refresh_from_db()
        assert participant.cohort == later
        assert participant.participant_number == "KAI-05-001"
        assert (change.kind, change.from_cohort, change.to_cohort) == ("transfer", cohort, later)

    def test_no_transfer_after_departure(self, hr, cohort):
        participant = ParticipantFactory(status=Participant.Status.WORKING)
        with pytest.raises(ValidationError):
            participant.transfer(cohort, by=hr, effective_date=TODAY)

    def test_the_database_refuses_a_participant_number_twice(self, cohort):
        ParticipantFactory(participant_number="KAI-04-001")
        with pytest.raises(IntegrityError), transaction.atomic():
            ParticipantFactory(participant_number="KAI-04-001")

    def test_a_batch_with_participants_cannot_be_deleted(self, cohort):
        ParticipantFactory(cohort=cohort)
        from django.db.models import ProtectedError

        with pytest.raises(ProtectedError):
            cohort.delete()


class TestQuota:
    def full(self, cohort, quota=2):
        cohort.quota = quota
        cohort.save()
        for _ in range(quota):
            ParticipantFactory().place(cohort)

    def test_a_full_batch_takes_nobody_more_and_names_its_quota(self, cohort):
        self.full(cohort)
        extra = ParticipantFactory()
        with translation.override("id"), pytest.raises(ValidationError) as error:
            extra.place(cohort)
        assert error.value.messages == ["Angkatan IV sudah penuh: kuota 2 peserta."]
        extra.refresh_from_db()
        assert extra.cohort is None

    def test_those_who_withdrew_leave_their_place(self, cohort):
        self.full(cohort)
        cohort.participants.first().move("withdrawn", by=None, effective_date=TODAY, reason="X")
        ParticipantFactory().place(cohort)
        assert cohort.participants.count() == 3

    def test_a_batch_without_a_quota_takes_anyone(self, cohort):
        for _ in range(3):
            ParticipantFactory().place(cohort)
        assert cohort.participants.count() == 3

    def test_a_transfer_into_a_full_batch_is_refused_and_not_recorded(self, hr, cohort):
        later = CohortFactory(program=cohort.program, number=5)
        self.full(later, quota=1)
        person = ParticipantFactory(status="in_training")
        person.place(cohort)
        with pytest.raises(ValidationError):
            person.transfer(later, by=hr, effective_date=TODAY)
        person.refresh_from_db()
        assert person.cohort == cohort
        assert not person.status_changes.exists()


class TestDocuments:
    def test_a_passport_expiring_within_180_days_is_flagged(self):
        passport = DocumentFactory(expires_on=TODAY + datetime.timedelta(days=170))
        assert passport.is_expiring(TODAY) and not passport.is_expired(TODAY)
        assert not passport.is_expiring(TODAY - datetime.timedelta(days=30))

    def test_a_medical_check_uses_its_own_lead_time(self):
        medical = DocumentFactory(
            document_type=DocumentType.objects.get(code="medical"),
            expires_on=TODAY + datetime.timedelta(days=40),
        )
        assert not medical.is_expiring(TODAY)

    def test_the_database_finds_exactly_the_documents_that_are_expiring(self):
        documents = [
            DocumentFactory(
                document_type=DocumentType.objects.get(code=code),
                expires_on=TODAY + datetime.timedelta(days=days),
            )
            for code in ("passport", "medical", "visa")
            for days in (-1, 0, 29, 31, 89, 91, 179, 181, 400)
        ]
        DocumentFactory(expires_on=None)
        expected = {d.pk for d in documents if d.is_expiring(TODAY)}
        assert expected  # each type has documents on both sides of its lead time
        assert set(Document.objects.expiring(TODAY).values_list("pk", flat=True)) == expected

    def test_a_renewal_keeps_the_old_document(self):
        old = DocumentFactory()
        new = DocumentFactory(participant=old.participant, replaces=old)
        assert list(Document.objects.current()) == [new]
        assert Document.objects.count() == 2

    def test_the_database_refuses_a_document_expiring_before_issue(self):
        with pytest.raises(IntegrityError), transaction.atomic():
            DocumentFactory(issued_on=TODAY, expires_on=TODAY - datetime.timedelta(days=1))


def test_only_one_contact_is_the_heir():
    heir = ContactFactory(is_heir=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        ContactFactory(participant=heir.participant, is_heir=True)
    assert Contact.objects.count() == 1


class TestSearchAndScope:
    def test_it_finds_by_name_nik_or_passport_number(self, hr):
        siti = ParticipantFactory(full_name="Siti Rahmah")
        other = ParticipantFactory(full_name="Budi", gender="M")
        DocumentFactory(participant=other, number="C7654321")
        assert list(Participant.objects.search("rahmah", user=hr)) == [siti]
        assert list(Participant.objects.search(siti.nik, user=hr)) == [siti]
        assert list(Participant.objects.search("c7654321", user=hr)) == [other]

    def test_a_coordinator_sees_only_participants_of_assigned_programmes(
        self, assigned, coordinator, cohort, other_program
    ):
        mine = ParticipantFactory(cohort=cohort)
        ParticipantFactory(cohort=CohortFactory(program=other_program))
        ParticipantFactory()
        assert list(Participant.objects.visible_to(coordinator)) == [mine]

    def test_rows_of_narrows_related_rows_to_these_participants(
        self, assigned, coordinator, cohort
    ):
        mine = DocumentFactory(participant=ParticipantFactory(cohort=cohort))
        theirs = DocumentFactory()
        everyone = Participant.objects.all()
        # Everyone: the documents as they are, with no subquery over the participants.
        whole = everyone.rows_of(Document.objects.all())
        assert set(whole) == {mine, theirs}
        assert "participants_participant" not in str(whole.query)
        assert list(
            Participant.objects.visible_to(coordinator).rows_of(Document.objects.all())
        ) == [mine]
        assert list(everyone.filter(cohort=cohort).rows_of(Document.objects.all())) == [mine]
        assert list(everyone.none().rows_of(Document.objects.all())) == []
        assert list(everyone[:1].rows_of(Document.objects.all())) in ([mine], [theirs])
        assert list(Document.objects.visible_to(coordinator)) == [mine]
        assert list(Document.objects.visible_to(AnonymousUser())) == []

    def test_sent_counts_everyone_who_ever_departed(self):
        for status in ["applicant", "ready", "departed", "working", "completed", "returned_early"]:
            ParticipantFactory(status=status)
        assert Participant.objects.sent().count() == 4


def test_make_nik_builds_a_consistent_number():
    assert make_nik(datetime.date(1998, 2, 18), "F") == "6371015802980001"


class TestFastSearch:
    def test_a_fragment_a_nik_prefix_and_a_passport_number_in_any_case(self, hr):
        siti = ParticipantFactory(full_name="Siti Rahmah Hidayat", passport_surname="HIDAYAT")
        budi = ParticipantFactory(full_name="Budi Santoso", gender="M")
        DocumentFactory(participant=budi, number="C7654321")
        assert list(Participant.objects.search("AHMAH HID", user=hr)) == [siti]
        assert list(Participant.objects.search("hidayat", user=hr)) == [siti]
        assert list(Participant.objects.search(budi.nik[:8], user=hr)) == [budi]
        assert (
            list(Participant.objects.search(budi.nik[2:10], user=hr)) == []
        )  # a prefix, not a middle
        assert list(Participant.objects.search("c7654321", user=hr)) == [budi]
        assert list(Participant.objects.search("C765", user=hr)) == []

    def test_only_a_passport_number_finds_by_document_and_each_person_once(self, hr):
        budi = ParticipantFactory(full_name="Budi Santoso", gender="M")
        old = DocumentFactory(participant=budi, number="C1111111")
        DocumentFactory(participant=budi, number="C1111111", replaces=old)  # renewed, same no.
        visa = DocumentType.objects.get(code="visa")
        DocumentFactory(participant=ParticipantFactory(), document_type=visa, number="V2222222")
        assert list(Participant.objects.search("C1111111", user=hr)) == [budi]
        assert list(Participant.objects.search("V2222222", user=hr)) == []

    def test_the_search_joins_no_table_and_needs_no_distinct(self, hr):
        DocumentFactory(number="C7654321")
        sql = str(Participant.objects.search("C7654321", user=hr).query).upper()
        assert "JOIN" not in sql
        assert "DISTINCT" not in sql


class TestSearchByNumberNeedsTheSensitivePermission:
    """A number matches only for users who may reveal personal data: for anyone else, whether
    a person stays in the results must tell nothing about their NIK or passport number."""

    @pytest.mark.parametrize("role", ["coordinator", "leadership", "instructor"])
    def test_a_nik_or_passport_number_finds_nobody_for_a_role_without_it(
        self, request, assigned, cohort, role
    ):
        user = request.getfixturevalue(role)
        siti = ParticipantFactory(full_name="Siti Rahmah", cohort=cohort)
        DocumentFactory(participant=siti, number="C7654321")
        visible = Participant.objects.visible_to(user)
        assert list(visible) == [siti]
        for text in [siti.nik[:6], siti.nik[:12], siti.nik, "C7654321", "c7654321"]:
            assert list(visible.search(text, user=user)) == [], text
        assert list(visible.search("rahmah", user=user)) == [siti]

    def test_a_user_who_may_reveal_finds_by_nik_prefix_whole_nik_and_passport(self, hr, admin_user):
        siti = ParticipantFactory(full_name="Siti Rahmah")
        DocumentFactory(participant=siti, number="C7654321")
        for user in (hr, admin_user):
            for text in [siti.nik[:6], siti.nik, "C7654321"]:
                assert list(Participant.objects.search(text, user=user)) == [siti], text


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the trigram and pattern indexes are PostgreSQL's"
)
class TestSearchIndexesOnPostgreSQL:
    """With only bitmap scans allowed (a few rows would be read whole otherwise), the plan
    shows that every branch of the search can use an index: a branch without one would need
    a sequential scan."""

    def plan(self, text: str, hr) -> str:
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_indexscan = off")
        plan = Participant.objects.search(text, user=hr).order_by().explain()
        assert "Seq Scan" not in plan, plan
        return plan

    def test_a_name_fragment_uses_the_trigram_indexes(self, hr):
        ParticipantFactory(full_name="Siti Rahmah")
        plan = self.plan("rahma", hr)
        assert "participant_name_trgm_idx" in plan
        assert "participant_passport_surname_trgm_idx" in plan

    def test_a_nik_prefix_uses_the_nik_pattern_index(self, hr):
        siti = ParticipantFactory()
        plan = self.plan(siti.nik[:8], hr)
        assert re.search(r"Index Scan on participants_participant_nik_\w+_like", plan), plan


class TestSearchByParticipantNumber:
    """A participant number is printed on rosters and badges: everyone finds people by it."""

    @pytest.mark.parametrize(
        "text", ["KAI-04-001", "kai-04-001", "KAI04001", "kai 04 001", " Kai-04-001 "]
    )
    def test_the_number_is_found_in_any_case_with_or_without_dashes(self, hr, cohort, text):
        aulia = ParticipantFactory(full_name="Aulia Rahman", cohort=cohort)
        ParticipantFactory(full_name="Aulia Rahman", cohort=cohort)
        aulia.participant_number = "KAI-04-001"
        aulia.save()
        assert list(Participant.objects.search(text, user=hr)) == [aulia]

    def test_the_start_of_a_number_finds_the_whole_batch(self, hr, cohort):
        first = ParticipantFactory(cohort=cohort, participant_number="KAI-04-001")
        second = ParticipantFactory(cohort=cohort, participant_number="KAI-04-002")
        ParticipantFactory(participant_number="KAI-05-001")
        for text in ["KAI-04", "kai04"]:
            assert set(Participant.objects.search(text, user=hr)) == {first, second}

    @pytest.mark.parametrize("role", ["coordinator", "leadership", "instructor"])
    def test_a_role_without_the_sensitive_permission_finds_by_number_too(
        self, request, assigned, cohort, role
    ):
        person = ParticipantFactory(cohort=cohort, participant_number="KAI-04-007")
        user = request.getfixturevalue(role)
        assert list(Participant.objects.search("kai04007", user=user)) == [person]

    def test_a_name_is_not_read_as_a_number(self):
        from participants.models.people import participant_number_prefix

        assert participant_number_prefix("Budi Santoso") is None
        assert participant_number_prefix("6371015802980001") is None
        assert participant_number_prefix("KAI04001") == "KAI-04-001"


def test_a_participant_is_labelled_with_number_and_batch_to_tell_namesakes_apart(cohort):
    person = ParticipantFactory(
        full_name="Aulia Rahman", cohort=cohort, participant_number="KAI-04-001"
    )
    assert person.label == f"Aulia Rahman — KAI-04-001, {cohort}"
    assert ParticipantFactory(full_name="Budi", cohort=None).label == "Budi"


class TestTraineesAndContractLength:
    def test_the_trainees_are_those_in_training_and_waiting_to_depart(self, cohort):
        waiting = {
            status: ParticipantFactory(cohort=cohort, status=status)
            for status in ["selected", "in_training", "ready", "postponed"]
        }
        for status in ["applicant", "withdrawn", "departed", "working"]:
            ParticipantFactory(cohort=cohort, status=status)
        trainees = Participant.objects.in_cohort(cohort).trainees()
        assert set(trainees) == set(waiting.values())
        assert {p.status for p in trainees} == set(TRAINEES)

    def test_a_contract_runs_for_the_programmes_length_or_the_default(self, program, cohort):
        program.contract_years = 3
        program.save()
        assert ParticipantFactory(cohort=cohort).contract_years == 3
        assert ParticipantFactory(cohort=None).contract_years == DEFAULT_CONTRACT_YEARS
