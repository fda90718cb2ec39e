import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from delegation.models import AuditEvent, Notification
from participants.models import CostItem, Status
from tests.factories import CohortFactory, ProgramFactory, UserFactory
from tests.welfare.conftest import working
from welfare import services
from welfare.models import Case, Event, EventMember, FollowUp, Return, TimelineEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(person, hr):
    return services.case_open(
        participant=person,
        kind=Case.Kind.WORKPLACE_DISPUTE,
        severity=Case.Severity.MEDIUM,
        reported_via=Case.Source.FAMILY,
        description="Jam kerja berlebihan",
        by=hr,
    )


class TestCaseList:
    def test_staff_search_and_filter_their_cases(self, client, hr, case, cohort):
        other = working(cohort)
        services.case_open(
            participant=other,
            kind="illness",
            severity="low",
            reported_via="employer",
            description="Flu",
            by=hr,
        )
        client.force_login(hr)
        page = client.get(reverse("welfare:case_list"), {"q": case.participant.full_name})
        assert list(page.context["page"].object_list) == [case]
        page = client.get(reverse("welfare:case_list"), {"kind": "illness"})
        assert [c.participant for c in page.context["page"].object_list] == [other]

    def test_an_empty_list_says_so(self, client, hr, db):
        client.force_login(hr)
        assert "Tidak ada kasus" in client.get(reverse("welfare:case_list")).content.decode()

    def test_the_coordinator_of_another_programme_sees_none_of_them(self, client, case):
        stranger = UserFactory(username="c2", role="coordinator")
        client.force_login(stranger)
        assert list(client.get(reverse("welfare:case_list")).context["page"].object_list) == []
        assert client.get(case.get_absolute_url()).status_code == 404

    def test_leadership_reads_counts_and_never_a_name(self, client, leadership, case):
        client.force_login(leadership)
        response = client.get(reverse("welfare:case_list"))
        text = response.content.decode()
        assert response.templates[0].name == "welfare/case_counts.html"
        assert case.participant.full_name not in text and "Jam kerja" not in text
        assert response.context["rows"] == [("Perselisihan di tempat kerja", [0, 1, 0, 0])]


class TestCase:
    def test_opening_a_case_is_in_the_audit_log(self, client, coordinator, case):
        client.force_login(coordinator)
        response = client.get(case.get_absolute_url())
        assert response.status_code == 200
        event = AuditEvent.objects.get(action=AuditEvent.Action.VIEW_SENSITIVE)
        assert (event.actor, event.subject_id) == (coordinator, str(case.pk))

    def test_the_case_shows_emergency_contacts_masked_for_a_coordinator(
        self, client, coordinator, hr, case
    ):
        client.force_login(coordinator)
        text = client.get(case.get_absolute_url()).content.decode()
        assert "0812-3456-7890" not in text and "7890" in text
        client.force_login(hr)
        assert "0812-3456-7890" in client.get(case.get_absolute_url()).content.decode()

    def test_a_new_case_is_opened_from_the_form(self, client, coordinator, person):
        client.force_login(coordinator)
        url = reverse("welfare:case_create", args=[person.pk])
        response = client.post(
            url,
            {
                "kind": "illness",
                "severity": "high",
                "reported_via": "employer",
                "description": "Demam",
                "owner": coordinator.pk,
            },
        )
        case = Case.objects.get()
        assert response.url == case.get_absolute_url()
        assert (case.owner, case.opened_by) == (coordinator, coordinator)

    def test_an_invalid_case_changes_nothing(self, client, coordinator, person):
        client.force_login(coordinator)
        url = reverse("welfare:case_create", args=[person.pk])
        response = client.post(url, {"kind": "nonsense", "severity": "high"})
        assert response.status_code == 200 and response.context["form"].errors
        assert not Case.objects.exists()

    def test_leadership_may_not_open_a_case(self, client, leadership, person):
        client.force_login(leadership)
        url = reverse("welfare:case_create", args=[person.pk])
        assert client.post(url, {"kind": "illness"}).status_code == 403

    def test_acknowledge_is_post_only_and_for_the_owner(self, client, coordinator, hr, case):
        url = reverse("welfare:case_acknowledge", args=[case.pk])
        client.force_login(coordinator)
        assert client.get(url).status_code == 405
        client.force_login(hr)
        client.post(url)
        case.refresh_from_db()
        assert case.acknowledged_at is None
        client.force_login(coordinator)
        client.post(url)
        case.refresh_from_db()
        assert case.acknowledged_at and case.status == Case.Status.IN_PROGRESS

    def test_a_timeline_entry_keeps_its_attachment_privately(self, client, coordinator, case):
        client.force_login(coordinator)
        pdf = SimpleUploadedFile("surat.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")
        at = timezone.localtime().replace(second=0, microsecond=0) - datetime.timedelta(hours=1)
        client.post(
            reverse("welfare:entry_create", args=[case.pk]),
            {
                "at": at.strftime("%Y-%m-%dT%H:%M"),
                "action": "Menelepon KBRI",
                "with_whom": "kbri_tokyo",
                "attachment": pdf,
                "next_step": "Kunjungan",
                "next_due": "2026-12-10",
            },
        )
        entry = TimelineEntry.objects.get(action="Menelepon KBRI")
        download = client.get(reverse("welfare:entry_attachment", args=[entry.pk]))
        assert download.status_code == 200 and download["Content-Disposition"].startswith(
            "attachment"
        )

    def test_a_disguised_attachment_is_refused(self, client, coordinator, case):
        client.force_login(coordinator)
        fake = SimpleUploadedFile("surat.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
        response = client.post(
            reverse("welfare:entry_create", args=[case.pk]),
            {"at": "2026-01-01T10:00", "action": "x", "attachment": fake},
        )
        assert response.context["form"].errors["attachment"]
        assert not TimelineEntry.objects.filter(action="x").exists()

    def test_closing_without_outcome_is_refused_with_a_message(self, client, hr, case):
        client.force_login(hr)
        url = reverse("welfare:case_close", args=[case.pk])
        response = client.post(url, {"status": "closed", "outcome": ""})
        assert response.status_code == 200 and response.context["form"].non_field_errors()
        case.refresh_from_db()
        assert case.status == Case.Status.OPEN
        client.post(url, {"status": "closed", "outcome": "resolved_in_place"})
        case.refresh_from_db()
        assert case.status == Case.Status.CLOSED

    def test_a_case_cost_is_recorded_by_hr_with_its_payer(self, client, hr, case):
        client.force_login(hr)
        client.post(
            reverse("welfare:cost_create", args=[case.pk]),
            {
                "category": "repatriation",
                "payer": "sponsor",
                "amount": "150000",
                "currency": "JPY",
                "rate_to_idr": "105",
                "date": "2026-05-01",
                "description": "Tiket pulang",
            },
        )
        item = CostItem.objects.get()
        assert (item.payer, item.participant, item.welfare_case.case) == (
            "sponsor",
            case.participant,
            case,
        )


class TestHelpNow:
    def test_help_now_opens_a_draft_and_tells_the_coordinator(
        self, client, hr, coordinator, person
    ):
        client.force_login(hr)
        response = client.post(
            reverse("welfare:help_now", args=[person.pk]),
            {
                "concerns": "Tolong, saya sakit",
                "channel": "phone",
                "wellbeing": 1,
                "work_satisfaction": 2,
            },
        )
        case = Case.objects.get()
        assert response.url == case.get_absolute_url()
        assert case.status == Case.Status.DRAFT
        assert Notification.objects.filter(user=coordinator).exists()


class TestEvents:
    def test_hr_opens_an_event_for_a_prefecture(self, client, hr, person, cohort):
        working(cohort, subdivision="JP-01")
        client.force_login(hr)
        response = client.post(
            reverse("welfare:event_create"),
            {"name": "Gempa Noto", "occurred_on": "2026-01-01", "subdivisions": ["JP-17"]},
        )
        event = Event.objects.get()
        assert response.url == event.get_absolute_url()
        assert [m.participant for m in event.members.all()] == [person]

    def test_an_event_without_a_prefecture_is_refused(self, client, hr, person):
        client.force_login(hr)
        response = client.post(
            reverse("welfare:event_create"), {"name": "x", "occurred_on": "2026-01-01"}
        )
        assert response.status_code == 200 and not Event.objects.exists()

    def test_the_contact_list_and_the_dashboard_banner(self, client, hr, leadership, person):
        event = services.event_open(
            name="Gempa Noto",
            country="JP",
            subdivisions=["JP-17"],
            occurred_on=datetime.date(2026, 1, 1),
            by=hr,
        )
        client.force_login(hr)
        page = client.get(event.get_absolute_url())
        assert person.full_name in page.content.decode()
        client.force_login(leadership)
        banner = client.get(reverse("dashboard")).content.decode()
        assert "Gempa Noto" in banner and "1 orang belum dihubungi" in banner
        member = event.members.get()
        services.event_record(member=member, result="safe", source="phone", by=hr)
        services.event_close(event=event, by=hr)
        assert "Gempa Noto" not in client.get(reverse("dashboard")).content.decode()

    def test_recording_needs_help_opens_a_case(self, client, coordinator, hr, person):
        event = services.event_open(
            name="Banjir",
            country="JP",
            subdivisions=["JP-17"],
            occurred_on=datetime.date(2026, 1, 1),
            by=hr,
        )
        member = event.members.get()
        client.force_login(coordinator)
        client.post(
            reverse("welfare:member_record", args=[member.pk]),
            {"result": "needs_help", "source": "family", "note": "Rumah rusak"},
        )
        member.refresh_from_db()
        assert member.result == EventMember.Result.NEEDS_HELP and member.case.kind == "disaster"

    def test_closing_with_people_not_reached_needs_a_reason(self, client, hr, person):
        event = services.event_open(
            name="Banjir",
            country="JP",
            subdivisions=["JP-17"],
            occurred_on=datetime.date(2026, 1, 1),
            by=hr,
        )
        client.force_login(hr)
        url = reverse("welfare:event_close", args=[event.pk])
        client.post(url, {"reason": ""})
        event.refresh_from_db()
        assert event.status == Event.Status.OPEN
        client.post(url, {"reason": "Nomor tidak aktif"})
        event.refresh_from_db()
        assert event.status == Event.Status.CLOSED


class TestReturnAndAlumni:
    def test_the_return_form_ends_the_contract_and_schedules_follow_ups(
        self, client, hr, person, case
    ):
        client.force_login(hr)
        client.post(
            reverse("welfare:return_home", args=[person.pk]),
            {
                "kind": "early",
                "on": "2026-03-01",
                "case": case.pk,
                "journey_paid_by": "sponsor",
                "reason": "Sengketa",
            },
        )
        person.refresh_from_db()
        assert person.status == Status.RETURNED_EARLY
        assert FollowUp.objects.filter(participant=person).count() == 3

    def test_an_early_return_without_case_is_refused_and_changes_nothing(self, client, hr, person):
        client.force_login(hr)
        response = client.post(
            reverse("welfare:return_home", args=[person.pk]),
            {"kind": "early", "on": "2026-03-01", "journey_paid_by": "sponsor"},
        )
        assert response.context["form"].errors["case"]
        person.refresh_from_db()
        assert person.status == Status.WORKING and not Return.objects.exists()

    def test_the_alumni_directory_filters_by_mentoring_and_exports(
        self, client, hr, coordinator, person, cohort
    ):
        other = working(cohort)
        for who in (person, other):
            services.return_home(
                participant=who,
                kind="end_of_contract",
                on=datetime.date(2025, 1, 5),
                reason="",
                by=hr,
            )
        follow_up = FollowUp.objects.get(participant=person, months=1)
        services.follow_up_fill(
            follow_up=follow_up,
            by=hr,
            via="staff",
            on=datetime.date(2025, 2, 5),
            activity="own_business",
            willing_to_mentor=True,
            phone="+6281299887766",
        )
        client.force_login(coordinator)
        page = client.get(reverse("welfare:alumni"), {"mentor": "on"})
        assert [row["person"] for row in page.context["rows"]] == [person]
        export = client.get(reverse("welfare:alumni_export"), {"mentor": "on"})
        assert export.status_code == 200
        assert AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).exists()

    def test_another_programmes_returnee_is_not_in_the_directory(self, client, coordinator, hr):
        stranger = working(CohortFactory(program=ProgramFactory()))
        services.return_home(
            participant=stranger,
            kind="end_of_contract",
            on=datetime.date(2025, 1, 5),
            reason="",
            by=hr,
        )
        client.force_login(coordinator)
        assert client.get(reverse("welfare:alumni")).context["rows"] == []


class TestTheStatusPageSendsTheDutyOfCareToItsPages:
    """The participant's status page no longer makes the moves of the duty of care: it says
    where each is made and links there (``welfare.routes``, registered with participants)."""

    def test_a_worker_is_sent_home_through_the_return_and_to_a_case_for_a_death(
        self, client, hr, person
    ):
        client.force_login(hr)
        response = client.get(reverse("participants:participant_move", args=[person.pk]))
        page = response.content.decode()
        choices = [value for value, _label in response.context["form"].fields["to_status"].choices]
        assert choices == ["extended"]
        assert "Perubahan status di halaman lain" in page
        assert reverse("welfare:return_home", args=[person.pk]) in page
        assert "tindak lanjut 1, 6, dan 12 bulan" in page
        assert reverse("welfare:case_create", args=[person.pk]) in page

    def test_an_open_case_is_where_a_death_is_recorded(self, client, hr, person, case):
        client.force_login(hr)
        page = client.get(reverse("participants:participant_move", args=[person.pk]))
        page = page.content.decode()
        assert case.get_absolute_url() in page
        assert reverse("welfare:case_create", args=[person.pk]) not in page

    def test_the_return_page_followed_from_there_schedules_the_follow_ups(self, client, hr, person):
        client.force_login(hr)
        client.post(
            reverse("welfare:return_home", args=[person.pk]),
            {"kind": "end_of_contract", "on": "2026-03-01", "journey_paid_by": "sponsor"},
        )
        person.refresh_from_db()
        assert person.status == Status.COMPLETED
        assert FollowUp.objects.filter(participant=person).count() == 3

    def test_before_departure_the_page_names_no_other_page(self, client, hr, cohort):
        trainee = working(cohort)
        trainee.status = Status.IN_TRAINING
        trainee.save(update_fields=["status"])
        client.force_login(hr)
        page = client.get(reverse("participants:participant_move", args=[trainee.pk]))
        assert "Perubahan status di halaman lain" not in page.content.decode()
