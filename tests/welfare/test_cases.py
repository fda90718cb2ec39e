"""Cases: the list, a case's page and its actions, help now."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from delegation.models import AuditEvent, Notification
from participants.models import CostItem
from tests.factories import UserFactory
from tests.welfare.conftest import working
from welfare import services
from welfare.models import Case, TimelineEntry

pytestmark = pytest.mark.django_db


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
