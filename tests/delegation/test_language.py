import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_interface_speaks_indonesian_whatever_the_browser_asks(client, hr):
    client.force_login(hr)
    response = client.get(reverse("dashboard"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "id"
    assert '<html lang="id">' in response.content.decode()
    assert "Dasbor" in response.content.decode()


def test_the_switcher_turns_the_interface_to_english_and_back(client, hr):
    client.force_login(hr)
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response["Location"] == "/"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    page = client.get(reverse("dashboard")).content.decode()
    assert '<html lang="en">' in page
    assert "Dashboard" in page

    client.post(reverse("set_language"), {"language": "id", "next": "/"})
    assert "Dasbor" in client.get(reverse("dashboard")).content.decode()


def test_an_unknown_language_cookie_falls_back_to_indonesian(client, hr):
    client.force_login(hr)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"
    assert client.get(reverse("dashboard"))["Content-Language"] == "id"


def test_the_login_page_offers_the_switcher_to_anonymous_users(client):
    page = client.get(reverse("login")).content.decode()
    assert reverse("set_language") in page
    assert "English" in page and "Bahasa Indonesia" in page
