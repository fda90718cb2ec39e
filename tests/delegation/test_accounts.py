import re
import time

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from delegation.middleware import SessionTimeoutMiddleware
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_a_user_signs_in_and_lands_on_the_dashboard(client, hr):
    response = client.post(reverse("login"), {"username": "hr", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")
    assert client.get(reverse("dashboard")).status_code == 200


def test_a_wrong_password_is_refused_with_a_message(client, hr):
    response = client.post(reverse("login"), {"username": "hr", "password": "wrong"})
    assert response.status_code == 200
    assert response.context["form"].errors["__all__"]
    assert "_auth_user_id" not in client.session


def test_a_deactivated_account_cannot_sign_in(client, hr):
    hr.is_active = False
    hr.save()
    client.post(reverse("login"), {"username": "hr", "password": PASSWORD})
    assert "_auth_user_id" not in client.session


def test_signing_out_takes_a_post(client, hr):
    client.force_login(hr)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response["Location"] == reverse("login")
    assert "_auth_user_id" not in client.session


def test_a_user_changes_their_password(client, outsider):
    client.force_login(outsider)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a-new-long-password-42",
            "new_password2": "a-new-long-password-42",
        },
    )
    assert response["Location"] == reverse("password_change_done")
    outsider.refresh_from_db()
    assert outsider.check_password("a-new-long-password-42")


def test_a_mismatched_new_password_changes_nothing(client, outsider):
    client.force_login(outsider)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "one-long-pass-1", "new_password2": "other-2"},
    )
    assert response.status_code == 200
    outsider.refresh_from_db()
    assert outsider.check_password(PASSWORD)


def test_a_password_reset_mails_a_link_that_sets_a_new_password(client, hr):
    response = client.post(reverse("password_reset"), {"email": hr.email})
    assert response["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", mail.outbox[0].body)[1]

    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"] is True
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "reset-password-long-7", "new_password2": "reset-password-long-7"},
    )
    assert response["Location"] == reverse("password_reset_complete")
    hr.refresh_from_db()
    assert hr.check_password("reset-password-long-7")


def test_a_reset_for_an_unknown_address_sends_nothing_and_says_the_same(client):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.org"})
    assert response["Location"] == reverse("password_reset_done")
    assert mail.outbox == []


def test_the_admin_signs_in_through_the_sites_login_page(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_signed_in_user_without_admin_access_is_sent_to_the_sites_login(client, hr):
    client.force_login(hr)
    response = client.get("/admin/", follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("login") + "?next=/admin/"
    assert "tidak dapat membuka halaman itu" in response.content.decode()


def test_an_admin_deactivates_an_account_from_the_admin(client, admin_user, hr):
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "deactivate", "_selected_action": [hr.pk, admin_user.pk]},
        follow=True,
    )
    assert response.status_code == 200
    hr.refresh_from_db()
    admin_user.refresh_from_db()
    assert hr.is_active is False
    assert admin_user.is_active is True, "an admin cannot lock themselves out"


def _age_session(client, **seconds_ago):
    session = client.session
    now = int(time.time())
    if "started" in seconds_ago:
        session[SessionTimeoutMiddleware.STARTED] = now - seconds_ago["started"]
    if "last_seen" in seconds_ago:
        session[SessionTimeoutMiddleware.LAST_SEEN] = now - seconds_ago["last_seen"]
    session.save()


def test_a_session_idle_for_more_than_thirty_minutes_ends(client, hr):
    client.force_login(hr)
    client.get(reverse("dashboard"))
    _age_session(client, last_seen=31 * 60)
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert "_auth_user_id" not in client.session


def test_a_session_used_within_thirty_minutes_goes_on(client, hr):
    client.force_login(hr)
    client.get(reverse("dashboard"))
    _age_session(client, last_seen=29 * 60)
    assert client.get(reverse("dashboard")).status_code == 200


def test_a_session_ends_twelve_hours_after_sign_in_even_when_busy(client, hr):
    client.force_login(hr)
    client.get(reverse("dashboard"))
    _age_session(client, started=12 * 3600 + 1, last_seen=10)
    response = client.get(reverse("dashboard"))
    assert response["Location"].startswith(reverse("login"))


def test_the_user_model_is_djangos():
    assert get_user_model()._meta.label == "auth.User"
