"""Portal accounts: invitations, the participant role's isolation, signing in."""

import datetime
import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from delegation.roles import Role, user_has_role
from portal.models import Invitation, PortalAccount
from portal.services import invitation_create
from tests.factories import PASSWORD, ParticipantFactory
from tests.signin import sign_in

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "kalimantan-selatan-2026"


def token_of(link: str) -> str:
    return re.search(r"/saya/undangan/([^/]+)/", link).group(1)


def accept(client, token, password=NEW_PASSWORD):
    return client.post(
        reverse("portal:invitation_accept", args=[token]),
        {"password1": password, "password2": password},
    )


class TestInviteCommand:
    def test_it_prints_a_one_time_link_valid_seven_days(self, person, settings):
        settings.SITE_URL = "https://delegasi.example.go.id"
        out = io.StringIO()
        call_command(
            "invite_participant", str(person.pk), "--email", "Siti@Example.org", stdout=out
        )
        link = out.getvalue().strip()
        assert link.startswith("https://delegasi.example.go.id/saya/undangan/")
        invitation = Invitation.objects.get(participant=person)
        assert invitation.email == "siti@example.org"
        assert invitation.expires_at - invitation.created_at == datetime.timedelta(days=7)
        assert token_of(link) not in invitation.token_digest  # only the digest is stored

    def test_it_refuses_an_unknown_participant_and_a_bad_address(self, person):
        with pytest.raises(CommandError, match="No participant"):
            call_command("invite_participant", "999999", "--email", "a@example.org")
        with pytest.raises(CommandError, match="not an e-mail"):
            call_command("invite_participant", str(person.pk), "--email", "not-an-address")
        assert not Invitation.objects.exists()

    def test_it_refuses_someone_who_has_an_account(self, person, portal_user):
        with (
            translation.override("en"),
            pytest.raises(CommandError, match="already has a portal account"),
        ):
            call_command("invite_participant", str(person.pk), "--email", "x@example.org")


class TestInvitationLink:
    def test_the_link_opens_an_account_linked_to_the_person_once(self, client, person):
        _invitation, link = invitation_create(participant=person, email="siti@example.org")
        token = token_of(link)
        page = client.get(reverse("portal:invitation_accept", args=[token]))
        assert page.status_code == 200
        assert "siti@example.org" in page.content.decode()

        response = accept(client, token)
        assert response.status_code == 302
        assert response["Location"] == reverse("portal:home")
        user = get_user_model().objects.get(username="siti@example.org")
        assert user_has_role(user, Role.PARTICIPANT)
        assert not user.is_staff
        assert PortalAccount.objects.get(user=user).participant == person

        again = Client().get(reverse("portal:invitation_accept", args=[token]))
        assert again.status_code == 404
        assert accept(Client(), token).status_code == 404
        assert get_user_model().objects.filter(username="siti@example.org").count() == 1

    def test_an_expired_link_opens_nothing(self, client, person):
        eight_days_ago = timezone.now() - datetime.timedelta(days=8)
        _invitation, link = invitation_create(
            participant=person, email="siti@example.org", now=eight_days_ago
        )
        response = accept(client, token_of(link))
        assert response.status_code == 404
        assert not PortalAccount.objects.exists()

    def test_a_new_invitation_voids_the_earlier_link(self, client, person):
        _first, old = invitation_create(participant=person, email="siti@example.org")
        _second, new = invitation_create(participant=person, email="siti@example.org")
        assert accept(client, token_of(old)).status_code == 404
        assert accept(client, token_of(new)).status_code == 302

    def test_a_weak_or_mismatched_password_opens_nothing(self, client, person, settings):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        _invitation, link = invitation_create(participant=person, email="siti@example.org")
        token = token_of(link)
        assert accept(client, token, "12345678").status_code == 200
        response = client.post(
            reverse("portal:invitation_accept", args=[token]),
            {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD + "x"},
        )
        assert "The two passwords differ." in response.content.decode()
        assert not PortalAccount.objects.exists()
        assert Invitation.objects.get().used_at is None


class TestInviteButton:
    def test_hr_staff_send_the_invitation_by_e_mail(self, client, hr, person):
        client.force_login(hr)
        response = client.post(
            reverse("portal_staff:participant_invite", args=[person.pk]),
            {"email": "siti@example.org"},
        )
        assert response.status_code == 302
        assert len(mail.outbox) == 1
        message = mail.outbox[0]
        assert message.to == ["siti@example.org"]
        token = token_of(message.body)
        invitation = Invitation.objects.get(participant=person)
        assert invitation.emailed_at is not None and invitation.email_error == ""
        assert accept(Client(), token).status_code == 302

    def test_the_profile_offers_the_button_to_hr_staff_only(
        self, client, hr, coordinator, person, assigned
    ):
        client.force_login(hr)
        page = client.get(person.get_absolute_url()).content.decode()
        assert reverse("portal_staff:participant_invite", args=[person.pk]) in page
        client.force_login(coordinator)
        page = client.get(person.get_absolute_url()).content.decode()
        assert reverse("portal_staff:participant_invite", args=[person.pk]) not in page

    def test_a_coordinator_cannot_invite(self, client, coordinator, person, assigned):
        client.force_login(coordinator)
        response = client.post(
            reverse("portal_staff:participant_invite", args=[person.pk]),
            {"email": "siti@example.org"},
        )
        assert response.status_code == 403
        assert not Invitation.objects.exists() and mail.outbox == []

    def test_a_bad_address_is_refused_with_a_message(self, client, hr, person, settings):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        client.force_login(hr)
        response = client.post(
            reverse("portal_staff:participant_invite", args=[person.pk]),
            {"email": "nope"},
            follow=True,
        )
        assert "Give a valid e-mail address" in response.content.decode()
        assert not Invitation.objects.exists()


class TestParticipantRole:
    def test_signing_in_leads_to_the_portal(self, client, portal_user):
        response = sign_in(client, "siti@example.org")
        assert client.get(response["Location"]).url == reverse("portal:home")
        assert client.get(reverse("portal:home")).status_code == 200

    def test_staff_pages_answer_403_even_about_their_own_record(self, portal_client, person):
        for path in (
            person.get_absolute_url(),
            reverse("participants:participant_list"),
            reverse("notifications"),
            reverse("help_index"),
            reverse("admin:index"),
        ):
            assert portal_client.get(path).status_code == 403, path

    def test_staff_do_not_reach_the_portal(self, client, hr):
        client.force_login(hr)
        assert client.get(reverse("portal:home")).status_code == 403

    def test_two_factor_is_optional_for_the_role(self, client, portal_user, settings):
        settings.TWO_FACTOR_REQUIRED = True
        sign_in(client, "siti@example.org")
        assert client.get(reverse("portal:home")).status_code == 200
        assert client.get(reverse("two_factor_manage")).status_code == 200

    def test_sign_in_is_throttled_like_staff_sign_in(self, client, portal_user):
        for _ in range(5):
            client.post(reverse("login"), {"username": "siti@example.org", "password": "wrong"})
        response = client.post(
            reverse("login"), {"username": "siti@example.org", "password": PASSWORD}
        )
        assert response.status_code == 429
        assert "_auth_user_id" not in client.session

    def test_another_persons_account_is_separate(self, client, person, cohort):
        other = ParticipantFactory(cohort=cohort, status="in_training", full_name="Budi Santoso")
        _invitation, link = invitation_create(participant=other, email="budi@example.org")
        accept(client, token_of(link))
        page = client.get(reverse("portal:home")).content.decode()
        assert "Budi Santoso" in page and "Siti Rahmah" not in page
