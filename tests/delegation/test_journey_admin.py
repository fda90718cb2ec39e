"""Journey: an administrator signs in with a second factor and corrects a region's name."""

import pytest

from participants.models import Region
from tests.factories import PASSWORD, UserFactory
from tests.signin import add_authenticator, current_code

pytestmark = pytest.mark.browser


@pytest.fixture
def administrator(transactional_db, settings):
    settings.TWO_FACTOR_REQUIRED = True
    user = UserFactory(username="admin", is_staff=True, is_superuser=True)
    return user, add_authenticator(user)


def test_an_admin_signs_in_with_a_second_factor_and_edits_a_region(page, administrator):
    _user, device = administrator
    page.goto("/admin/")
    assert "/accounts/login/" in page.url
    page.get_by_label("Nama pengguna").fill("admin")
    page.get_by_label("Sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()

    # The password alone does not open the admin: the second step asks for the app's code.
    assert page.get_by_role("heading", level=1).inner_text() == "Langkah kedua masuk"
    page.get_by_label("Kode").fill("000000" if current_code(device) != "000000" else "111111")
    page.get_by_role("button", name="Verifikasi").click()
    assert page.get_by_text("Kode itu salah").is_visible()
    device.refresh_from_db()
    device.throttle_reset()  # the wrong code slowed the next attempt down; the test does not wait
    page.get_by_label("Kode").fill(current_code(device))
    page.get_by_role("button", name="Verifikasi").click()
    assert page.url.endswith("/admin/")
    assert page.locator("#site-name").inner_text() == "Delegation"

    page.goto("/admin/participants/region/?q=63.71")
    page.get_by_role("link", name="63.71").click()
    name = page.locator("#id_name")
    assert name.input_value() == "Kota Banjarmasin"
    name.fill("Kota Banjarmasin (Ibu Kota Kalimantan Selatan)")
    page.locator("input[name=_save]").click()

    success = page.locator(".messagelist .success")
    assert "Kota Banjarmasin (Ibu Kota Kalimantan Selatan)" in success.inner_text()
    assert Region.objects.get(code="63.71").name == "Kota Banjarmasin (Ibu Kota Kalimantan Selatan)"
