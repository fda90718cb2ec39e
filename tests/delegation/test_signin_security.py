"""Signing in safely: throttling by username and address, and the second factor."""

from datetime import timedelta

import pytest
from axes.helpers import get_client_str
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.test import override_settings
from django.urls import reverse
from django.utils import translation
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from delegation.network import client_ip
from tests.factories import PASSWORD, UserFactory
from tests.signin import add_authenticator, current_code, sign_in

pytestmark = pytest.mark.django_db

LOCKED = "Too many failed sign-ins for this account from this address"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def english_client(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def attempt(client, username, password, address="10.0.0.1"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def fail_five_times(client, username="hr", address="10.0.0.1"):
    for _ in range(5):
        response = attempt(client, username, "wrong-password", address)
    return response


class TestThrottling:
    def test_five_failures_lock_the_username_at_that_address_with_a_clear_message(
        self, english_client, hr
    ):
        fail_five_times(english_client)
        response = attempt(english_client, "hr", PASSWORD)
        assert response.status_code == 429
        page = response.content.decode()
        assert LOCKED in page
        assert "15 minutes" in page
        assert 'name="username"' in page  # still the login page, with its form
        assert "_auth_user_id" not in english_client.session

    def test_four_failures_do_not_lock(self, english_client, hr):
        for _ in range(4):
            attempt(english_client, "hr", "wrong-password")
        assert attempt(english_client, "hr", PASSWORD).status_code == 302

    def test_a_colleague_at_the_same_address_still_signs_in(self, english_client, hr, coordinator):
        fail_five_times(english_client, "hr")
        assert attempt(english_client, "coordinator", PASSWORD).status_code == 302

    def test_the_same_username_from_another_address_still_signs_in(self, english_client, hr):
        fail_five_times(english_client, "hr", "10.0.0.1")
        assert attempt(english_client, "hr", PASSWORD, "10.0.0.2").status_code == 302

    def test_the_lock_ends_after_fifteen_minutes(self, english_client, hr):
        fail_five_times(english_client)
        assert attempt(english_client, "hr", PASSWORD).status_code == 429
        AccessAttempt.objects.update(
            attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(minutes=16)
        )
        assert attempt(english_client, "hr", PASSWORD).status_code == 302

    def test_a_successful_sign_in_clears_the_failures(self, english_client, hr):
        for _ in range(4):
            attempt(english_client, "hr", "wrong-password")
        assert attempt(english_client, "hr", PASSWORD).status_code == 302
        english_client.post(reverse("logout"))
        for _ in range(4):
            attempt(english_client, "hr", "wrong-password")
        assert attempt(english_client, "hr", PASSWORD).status_code == 302

    def test_the_address_behind_trusted_proxies_is_the_one_they_saw(self, rf, settings):
        request = rf.get("/", REMOTE_ADDR="172.18.0.5", HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.9")
        settings.TRUSTED_PROXY_COUNT = 0
        assert client_ip(request) == "172.18.0.5"
        settings.TRUSTED_PROXY_COUNT = 1
        assert client_ip(request) == "203.0.113.9"  # the client-written 1.1.1.1 is not believed


@pytest.fixture
def required(settings):
    settings.TWO_FACTOR_REQUIRED = True


class TestSecondFactor:
    def test_hr_staff_without_a_device_must_set_one_up_before_any_page(
        self, english_client, hr, required
    ):
        sign_in(english_client, "hr")
        response = english_client.get(reverse("participants:participant_list"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("two_factor_setup"))
        page = english_client.get(response["Location"]).content.decode()
        assert "<svg" in page  # the QR code
        device = TOTPDevice.objects.get(user=hr, confirmed=False)
        assert device.key  # the key shown for typing in is this device's
        assert "Set up two-factor sign-in" in page

    def test_the_second_step_pages_show_no_menus_that_lead_nowhere(
        self, english_client, hr, required
    ):
        sign_in(english_client, "hr")
        page = english_client.get(reverse("two_factor_setup")).content.decode()
        assert reverse("participants:participant_list") not in page
        assert "Reminders" not in page
        add_authenticator(hr)
        page = english_client.get(reverse("two_factor_verify")).content.decode()
        assert reverse("participants:participant_list") not in page
        assert reverse("logout") in page  # signing out stays possible

    def test_setting_up_with_the_right_code_shows_ten_recovery_codes_once(
        self, english_client, hr, required
    ):
        sign_in(english_client, "hr")
        english_client.get(reverse("two_factor_setup"))
        device = TOTPDevice.objects.get(user=hr)
        response = english_client.post(
            reverse("two_factor_setup"), {"token": current_code(device), "next": "/participants/"}
        )
        assert response.status_code == 200
        codes = list(StaticToken.objects.filter(device__user=hr).values_list("token", flat=True))
        assert len(codes) == 10
        page = response.content.decode()
        assert all(code in page for code in codes)
        device.refresh_from_db()
        assert device.confirmed
        assert english_client.get(reverse("participants:participant_list")).status_code == 200

    def test_a_wrong_code_during_setup_pairs_nothing(self, english_client, hr, required):
        sign_in(english_client, "hr")
        english_client.get(reverse("two_factor_setup"))
        response = english_client.post(reverse("two_factor_setup"), {"token": "000000x"})
        assert "That code is not right" in response.content.decode()
        assert not TOTPDevice.objects.filter(user=hr, confirmed=True).exists()
        assert not StaticDevice.objects.filter(user=hr).exists()
        assert english_client.get(reverse("dashboard")).status_code == 302

    def test_with_a_device_the_second_step_asks_for_the_code(self, english_client, hr, required):
        device = add_authenticator(hr)
        sign_in(english_client, "hr")
        response = english_client.get(reverse("dashboard"))
        assert response["Location"].startswith(reverse("two_factor_verify"))
        response = english_client.post(
            reverse("two_factor_verify"), {"token": current_code(device), "next": "/jobs/"}
        )
        assert response["Location"] == "/jobs/"
        assert english_client.get(reverse("dashboard")).status_code == 200

    def test_wrong_codes_are_refused_and_then_slowed_down(self, english_client, hr, required):
        device = add_authenticator(hr)
        sign_in(english_client, "hr")
        code = current_code(device)
        wrong = f"{(int(code) + 1) % 1_000_000:06d}"
        response = english_client.post(reverse("two_factor_verify"), {"token": wrong})
        assert "That code is not right" in response.content.decode()
        response = english_client.post(reverse("two_factor_verify"), {"token": code})
        assert "Too many wrong codes" in response.content.decode()  # even the right one waits
        assert english_client.get(reverse("dashboard")).status_code == 302
        device.refresh_from_db()
        device.throttle_reset()
        response = english_client.post(reverse("two_factor_verify"), {"token": code})
        assert response.status_code == 302
        assert english_client.get(reverse("dashboard")).status_code == 200

    def test_a_recovery_code_works_once(self, english_client, hr, required):
        add_authenticator(hr)
        recovery = StaticDevice.objects.create(user=hr, name="recovery")
        recovery.token_set.create(token="abcd1234")
        sign_in(english_client, "hr")
        response = english_client.post(reverse("two_factor_verify"), {"token": "ABCD 1234"})
        assert response.status_code == 302
        assert english_client.get(reverse("dashboard")).status_code == 200
        english_client.post(reverse("logout"))
        sign_in(english_client, "hr")
        again = english_client.post(reverse("two_factor_verify"), {"token": "abcd1234"})
        assert again.status_code == 200
        assert "used already" in again.content.decode()

    def test_the_shared_helper_passes_both_steps(self, client, hr, required):
        sign_in(client, "hr", device=add_authenticator(hr))
        assert client.get(reverse("participants:participant_list")).status_code == 200

    def test_an_administrator_needs_it_for_the_admin_too(self, client, admin_user, required):
        sign_in(client, "admin")
        response = client.get("/admin/")
        assert response["Location"].startswith(reverse("two_factor_setup"))

    @pytest.mark.parametrize("fixture", ["coordinator", "leadership", "instructor"])
    def test_roles_that_see_no_personal_data_sign_in_with_a_password(
        self, request, client, required, fixture
    ):
        request.getfixturevalue(fixture)
        sign_in(client, fixture)
        assert client.get(reverse("dashboard")).status_code == 200

    def test_when_the_rule_is_off_hr_signs_in_with_a_password(self, client, hr, settings):
        settings.TWO_FACTOR_REQUIRED = False
        sign_in(client, "hr")
        assert client.get(reverse("participants:participant_list")).status_code == 200

    def test_new_recovery_codes_replace_the_old(self, english_client, hr, required):
        device = add_authenticator(hr)
        old = StaticDevice.objects.create(user=hr, name="recovery")
        old.token_set.create(token="oldcode1")
        sign_in(english_client, "hr", device=device)
        page = english_client.get(reverse("two_factor_manage")).content.decode()
        assert "You have 1 unused recovery code." in page
        response = english_client.post(reverse("two_factor_manage"))
        new = set(StaticToken.objects.filter(device__user=hr).values_list("token", flat=True))
        assert len(new) == 10 and "oldcode1" not in new
        assert all(code in response.content.decode() for code in new)

    def test_an_admin_resets_a_lost_phone_from_the_admin(self, client, admin_user, hr, settings):
        add_authenticator(hr)
        StaticDevice.objects.create(user=hr, name="recovery").token_set.create(token="x1y2z3w4")
        client.force_login(admin_user)
        response = client.post(
            reverse("admin:auth_user_changelist"),
            {"action": "reset_two_factor", "_selected_action": [hr.pk]},
            follow=True,
        )
        assert response.status_code == 200
        assert not TOTPDevice.objects.filter(user=hr).exists()
        assert not StaticDevice.objects.filter(user=hr).exists()
        settings.TWO_FACTOR_REQUIRED = True
        client.post(reverse("logout"))
        sign_in(client, "hr")
        assert client.get(reverse("dashboard"))["Location"].startswith(reverse("two_factor_setup"))


@override_settings(TWO_FACTOR_REQUIRED=True)
def test_an_unverified_user_can_still_sign_out_and_switch_language(client):
    UserFactory(username="hr2", role="hr_staff")
    sign_in(client, "hr2")
    assert client.post(reverse("set_language"), {"language": "en", "next": "/"}).status_code == 302
    client.post(reverse("logout"))
    assert "_auth_user_id" not in client.session
    assert get_user_model().objects.filter(username="hr2").exists()


def test_the_sign_in_guards_log_lines_name_the_page_not_its_token_or_the_person():
    """django-axes writes a line per sign-in; a confirmation link's path holds its token."""

    token = "Zq3-one-time-token-value"
    path = reverse("portal:verify_email", args=[token])
    text = get_client_str("siti@example.org", "10.1.2.3", "Android", path, None)
    assert text == "{page: portal:verify_email}"
    assert token not in text and "siti" not in text and "10.1.2.3" not in text
