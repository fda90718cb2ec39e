import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend

from delegation.models import Notification
from delegation.notifications import notifications_deliver
from delegation.notifications import notify as notify_once
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


class RefusingBackend(BaseEmailBackend):
    """A mail server that refuses every message."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPRecipientsRefused({"x@example.org": (550, b"No such user")})


@pytest.fixture
def user():
    return UserFactory(username="siti", email="siti@example.org")


def notify(user, *texts):
    return [
        Notification.objects.create(user=user, text=text, link="/participants/1/") for text in texts
    ]


def test_it_sends_the_notifications_in_one_message_and_records_when(user, settings):
    settings.SITE_URL = "https://kerjasama.example.org"
    rows = notify(user, "Paspor milik Siti berakhir.", "Kontrak Budi berakhir.")
    assert notifications_deliver(user=user, notifications=rows, subject="Pengingat") is True
    [message] = mail.outbox
    assert message.to == ["siti@example.org"] and message.subject == "Pengingat"
    assert "- Paspor milik Siti berakhir. https://kerjasama.example.org/participants/1/" in (
        message.body
    )
    assert "Kontrak Budi berakhir." in message.body
    assert Notification.objects.filter(emailed_at__isnull=False, email_error="").count() == 2


def test_a_refused_message_is_recorded_as_a_failure_and_does_not_raise(user, settings):
    settings.EMAIL_BACKEND = "tests.delegation.test_notifications.RefusingBackend"
    rows = notify(user, "Paspor milik Siti berakhir.")
    assert notifications_deliver(user=user, notifications=rows, subject="Pengingat") is False
    row = Notification.objects.get()
    assert row.emailed_at is None and "No such user" in row.email_error


def test_a_user_without_an_address_gets_the_notification_in_the_app_only(settings):
    user = UserFactory(username="tanpa-surel", email="")
    rows = notify(user, "Paspor milik Siti berakhir.")
    assert notifications_deliver(user=user, notifications=rows, subject="Pengingat") is False
    assert mail.outbox == []
    row = Notification.objects.get()
    assert row.emailed_at is None and row.email_error


def test_nothing_to_deliver_sends_nothing(user):
    assert notifications_deliver(user=user, notifications=[], subject="Pengingat") is False
    assert mail.outbox == []


def test_a_keyed_notification_is_made_and_mailed_once_after_the_commit(
    user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = notify_once(
            user=user, text="Hasil diumumkan", link="/saya/", subject="Kabar", key="k"
        )
        again = notify_once(
            user=user, text="Hasil diumumkan", link="/saya/", subject="Kabar", key="k"
        )
        assert mail.outbox == []  # nothing leaves before the commit
    assert first is not None and again is None
    assert Notification.objects.filter(user=user, key="k").count() == 1
    assert len(mail.outbox) == 1 and "Hasil diumumkan" in mail.outbox[0].body


def test_notifications_without_a_key_are_each_made(user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify_once(user=user, text="Satu", link="", subject="Kabar")
        notify_once(user=user, text="Dua", link="", subject="Kabar")
    assert Notification.objects.filter(user=user).count() == 2
    assert len(mail.outbox) == 2
