import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend

from delegation.models import Notification
from delegation.notifications import notifications_deliver
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
