"""The committee's pages: adding a member, the integrity pact, declaring a relation."""

from __future__ import annotations

import pytest
from django.urls import reverse

from recruitment.models import Call, CommitteeMember, ConflictDeclaration
from tests.recruitment.pages import login

pytestmark = pytest.mark.django_db


def test_hr_adds_a_member_with_the_stages_they_assess(client, world):
    call, interview = world["call"], world["stages"][1]
    response = login(client, world["users"]["hr"]).post(
        reverse("recruitment:member_create", args=[call.pk]),
        {
            "user": world["users"]["stranger"].pk,
            "name": "Ir. Sari Dewi",
            "position": "member",
            "institution": "Dinas Kesehatan",
            "nip": "",
            "stages": [interview.pk],
        },
        follow=True,
    )
    member = CommitteeMember.objects.get(call=call, name="Ir. Sari Dewi")
    assert list(member.stages.all()) == [interview]
    assert [m.level_tag for m in response.context["messages"]] == ["success"]


def test_an_account_already_on_the_committee_is_refused_and_nothing_saved(client, world):
    call = world["call"]
    before = CommitteeMember.objects.filter(call=call).count()
    response = login(client, world["users"]["hr"]).post(
        reverse("recruitment:member_create", args=[call.pk]),
        {"user": world["users"]["member"].pk, "name": "Dr. Rina lagi", "position": "member"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["user"]
    assert CommitteeMember.objects.filter(call=call).count() == before


def test_the_committee_of_a_decided_call_is_closed(client, world):
    call = world["call"]
    Call.objects.filter(pk=call.pk).update(status=Call.Status.DECIDED)
    before = CommitteeMember.objects.filter(call=call).count()
    login(client, world["users"]["hr"]).post(
        reverse("recruitment:member_create", args=[call.pk]),
        {"user": world["users"]["stranger"].pk, "name": "Terlambat", "position": "member"},
    )
    assert CommitteeMember.objects.filter(call=call).count() == before


def test_a_member_signs_their_integrity_pact(client, world):
    member = world["members"][0]
    login(client, world["users"]["member"]).post(
        reverse("recruitment:member_pact", args=[member.pk])
    )
    member.refresh_from_db()
    assert member.pact_signed_at is not None


def test_a_member_declares_a_relation_and_no_longer_sees_that_applicant(client, world):
    member, language = world["members"][0], world["stages"][0]
    applicant = world["others"][1]
    login(client, world["users"]["member"])
    client.post(
        reverse("recruitment:member_conflicts", args=[member.pk]),
        {"application": applicant.pk, "relation": "Tetangga"},
    )
    assert ConflictDeclaration.objects.filter(member=member, application=applicant).exists()
    sheet = client.get(reverse("recruitment:stage_scores", args=[language.pk])).content.decode()
    assert applicant.full_name not in sheet


def test_nobody_declares_a_relation_for_another_member(client, world):
    member = world["members"][0]
    response = login(client, world["users"]["stranger"]).post(
        reverse("recruitment:member_conflicts", args=[member.pk]),
        {"application": world["others"][1].pk, "relation": "Tetangga"},
    )
    assert response.status_code == 404  # not on this call: the member does not exist for them
    assert not ConflictDeclaration.objects.filter(application=world["others"][1]).exists()
