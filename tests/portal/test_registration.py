"""An applicant registers with an e-mail address and a password; the account opens only
through the one-time, expiring link sent to that address. Registration never tells whether
an address is known: the page answers the same, and only the mailbox learns more."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from delegation.roles import Role, user_has_role
from portal import applicants
from portal.models import EmailVerification
from tests.factories import PASSWORD, UserFactory
from tests.signin import sign_in

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Pendaftar-Baru-2026"
FORM = {"email": "Rina@Example.org", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
LINK = re.compile(r"https?://\S+/saya/daftar/verifikasi/[^/\s]+/")


def told_already() -> str:
    """The subject of the message to an address that already has an account (the page is
    in the default language, Indonesian)."""
    with translation.override("id"):
        return translation.gettext("You already have an account")


@pytest.fixture
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def register(client, data=FORM, *, capture):
    with capture(execute=True):
        return client.post(reverse("portal:register"), data)


def confirm(client, path: str, password: str):
    """Follow a confirmation link and give the password chosen when registering."""
    return client.post(path, {"password": password})


def link_in(message) -> str:
    return LINK.search(message.body).group(0)


class TestRegistration:
    def test_it_makes_an_inactive_account_and_mails_the_link(
        self, client, django_capture_on_commit_callbacks
    ):
        response = register(client, capture=django_capture_on_commit_callbacks)
        assert response.status_code == 302
        assert response.url == reverse("portal:register_done")
        user = get_user_model().objects.get(username="rina@example.org")
        assert not user.is_active and user.email == "rina@example.org"
        assert user_has_role(user, Role.PARTICIPANT)
        assert [m.to for m in mail.outbox] == [["rina@example.org"]]
        assert link_in(mail.outbox[0])
        assert NEW_PASSWORD not in mail.outbox[0].body

    def test_the_account_cannot_sign_in_before_verification(
        self, client, django_capture_on_commit_callbacks
    ):
        register(client, capture=django_capture_on_commit_callbacks)
        client.post(reverse("login"), {"username": "rina@example.org", "password": NEW_PASSWORD})
        assert "_auth_user_id" not in client.session

    def test_the_link_opens_the_account_once(self, client, django_capture_on_commit_callbacks):
        register(client, capture=django_capture_on_commit_callbacks)
        link = link_in(mail.outbox[0])
        path = link[link.index("/saya/") :]
        response = confirm(client, path, NEW_PASSWORD)
        assert response.status_code == 302 and response.url == reverse("portal:open_calls")
        assert get_user_model().objects.get(username="rina@example.org").is_active
        assert "_auth_user_id" in client.session
        assert Client().get(path).status_code == 404  # one time only
        assert confirm(Client(), path, NEW_PASSWORD).status_code == 404
        fresh = Client()
        sign_in(fresh, "rina@example.org", NEW_PASSWORD)

    def test_an_expired_link_opens_nothing(self, client, django_capture_on_commit_callbacks):
        register(client, capture=django_capture_on_commit_callbacks)
        path = link_in(mail.outbox[0])
        path = path[path.index("/saya/") :]
        EmailVerification.objects.update(
            created_at=timezone.now() - datetime.timedelta(days=3),
            expires_at=timezone.now() - datetime.timedelta(seconds=1),
        )
        assert client.get(path).status_code == 404
        assert not get_user_model().objects.get(username="rina@example.org").is_active

    def test_an_unknown_token_opens_nothing(self, client):
        response = client.get(reverse("portal:verify_email", args=["not-a-token"]))
        assert response.status_code == 404

    def test_a_known_address_gets_the_same_page_and_a_reset_mail(
        self, client, django_capture_on_commit_callbacks, english
    ):
        first = register(client, capture=django_capture_on_commit_callbacks)
        mail.outbox.clear()
        EmailVerification.objects.update(used_at=timezone.now())
        get_user_model().objects.filter(username="rina@example.org").update(is_active=True)
        again = register(Client(), capture=django_capture_on_commit_callbacks)
        assert (again.status_code, again.url) == (first.status_code, first.url)
        assert get_user_model().objects.filter(email__iexact="rina@example.org").count() == 1
        assert len(mail.outbox) == 1
        assert mail.outbox[0].subject == told_already()
        assert reverse("password_reset") in mail.outbox[0].body
        assert not LINK.search(mail.outbox[0].body)
        # The password did not change: the known account keeps its own.
        user = get_user_model().objects.get(username="rina@example.org")
        assert not user.check_password("Someone-Else-2026") and user.check_password(NEW_PASSWORD)

    def test_a_staff_address_is_told_the_same_and_nothing_changes(
        self, client, django_capture_on_commit_callbacks
    ):
        staff = UserFactory(username="hr-office", email="hr@example.org", role=Role.HR_STAFF)
        data = {**FORM, "email": "HR@example.org"}
        response = register(client, data, capture=django_capture_on_commit_callbacks)
        assert response.url == reverse("portal:register_done")
        staff.refresh_from_db()
        assert staff.check_password(PASSWORD) and staff.is_active
        assert not user_has_role(staff, Role.PARTICIPANT)
        assert mail.outbox[0].subject == told_already()

    def test_the_page_after_is_the_same_for_every_address(
        self, client, django_capture_on_commit_callbacks
    ):
        UserFactory(username="known@example.org", email="known@example.org")
        pages = []
        for email in ("new@example.org", "known@example.org"):
            c = Client()
            register(c, {**FORM, "email": email}, capture=django_capture_on_commit_callbacks)
            html = c.get(reverse("portal:register_done")).content.decode()
            pages.append(re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html))
        assert pages[0] == pages[1]

    def test_registering_again_before_verifying_sends_a_new_link(
        self, client, django_capture_on_commit_callbacks
    ):
        register(client, capture=django_capture_on_commit_callbacks)
        first = link_in(mail.outbox[0])
        register(Client(), capture=django_capture_on_commit_callbacks)
        second = link_in(mail.outbox[1])
        assert first != second
        assert Client().get(first[first.index("/saya/") :]).status_code == 404
        assert confirm(Client(), second[second.index("/saya/") :], NEW_PASSWORD).status_code == 302

    def test_following_the_link_alone_opens_nothing(
        self, client, django_capture_on_commit_callbacks
    ):
        """A mail filter that opens every link in a message neither opens the account nor
        spends the link: the account opens when its password is given on the link's page."""
        register(client, capture=django_capture_on_commit_callbacks)
        path = _path(mail.outbox[0])
        response = Client().get(path)
        assert response.status_code == 200
        assert not get_user_model().objects.get(username="rina@example.org").is_active
        assert "_auth_user_id" not in Client().session
        assert confirm(client, path, NEW_PASSWORD).status_code == 302

    def test_someone_registering_the_address_again_cannot_open_it_with_their_password(
        self, client, django_capture_on_commit_callbacks, english
    ):
        """Rina registered and has not confirmed yet; someone else registers her address with
        a password of their own. The link Rina then receives does not open the account with
        a password she does not know, so nobody can sign in as her with it."""
        register(client, capture=django_capture_on_commit_callbacks)
        theirs = {**FORM, "password1": "Bukan-Punya-Rina-1", "password2": "Bukan-Punya-Rina-1"}
        register(Client(), theirs, capture=django_capture_on_commit_callbacks)
        path = _path(mail.outbox[-1])
        response = confirm(client, path, NEW_PASSWORD)
        assert response.status_code == 400
        assert "password you chose" in response.content.decode()
        user = get_user_model().objects.get(username="rina@example.org")
        assert not user.is_active and "_auth_user_id" not in client.session
        # Registering again with her own password sends her a link that opens it.
        register(client, capture=django_capture_on_commit_callbacks)
        assert confirm(client, _path(mail.outbox[-1]), NEW_PASSWORD).status_code == 302
        fresh = Client()
        fresh.post(
            reverse("login"), {"username": "rina@example.org", "password": "Bukan-Punya-Rina-1"}
        )
        assert "_auth_user_id" not in fresh.session

    def test_bad_input_saves_nothing(self, client, english):
        response = client.post(
            reverse("portal:register"),
            {"email": "not-an-address", "password1": "12345678", "password2": "123"},
        )
        assert response.status_code == 400
        assert "Enter a valid email address." in response.content.decode()
        assert not get_user_model().objects.filter(username="not-an-address").exists()
        assert mail.outbox == []

    def test_a_verified_applicants_sign_in_is_throttled_like_staff(
        self, client, django_capture_on_commit_callbacks
    ):
        register(client, capture=django_capture_on_commit_callbacks)
        applicants.registration_verify(token=_token(mail.outbox[0]), password=NEW_PASSWORD)
        for _ in range(5):
            client.post(reverse("login"), {"username": "rina@example.org", "password": "wrong"})
        response = client.post(
            reverse("login"), {"username": "rina@example.org", "password": NEW_PASSWORD}
        )
        assert response.status_code == 429
        assert "_auth_user_id" not in client.session

    def test_an_applicant_reaches_no_staff_page(self, client, django_capture_on_commit_callbacks):
        register(client, capture=django_capture_on_commit_callbacks)
        confirm(client, _path(mail.outbox[0]), NEW_PASSWORD)
        assert client.get(reverse("participants:participant_list")).status_code == 403
        assert client.get(reverse("portal:home")).url == reverse("portal:applications")
        assert client.get(reverse("portal:checklist")).status_code == 302

    def test_the_open_calls_page_keeps_a_signed_in_applicants_tabs(
        self, client, django_capture_on_commit_callbacks
    ):
        register(client, capture=django_capture_on_commit_callbacks)
        confirm(client, _path(mail.outbox[0]), NEW_PASSWORD)
        response = client.get(reverse("portal:open_calls"))
        assert [tab["url"] for tab in response.context["portal_tabs"]] == [
            reverse("portal:applications"),
            reverse("portal:open_calls"),
        ]
        assert Client().get(reverse("portal:open_calls")).context.get("portal_tabs") is None


def _path(message) -> str:
    link = link_in(message)
    return link[link.index("/saya/") :]


def _token(message) -> str:
    return _path(message).rstrip("/").rsplit("/", 1)[-1]


def test_the_public_pages_answer_without_signing_in(client):
    for name in ("portal:open_calls", "portal:register", "portal:register_done"):
        assert client.get(reverse(name)).status_code == 200, name
