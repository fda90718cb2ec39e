"""The Content Security Policy: its header, and pages that need nothing it forbids."""

import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from cohorts.models import Cohort, Program
from participants.models import Participant

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
STYLE_ATTRIBUTE = re.compile(r"<[^>]+\sstyle\s*=", re.I)
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
STYLE_ELEMENT = re.compile(r"<style[\s>]", re.I)


def policy(response) -> dict[str, list[str]]:
    directives = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


@pytest.mark.django_db
def test_every_answer_carries_the_policy_the_city_requires(client):
    directives = policy(client.get(reverse("login")))
    assert directives["default-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert "script-src" not in directives  # scripts fall back to 'self' only
    assert "style-src" not in directives  # so do styles: no inline style at all
    every_value = " ".join(value for values in directives.values() for value in values)
    assert "unsafe" not in every_value


@pytest.fixture
def demo(db):
    call_command("seed_demo", "--demo-users", verbosity=0)


def test_the_pages_hold_no_inline_script_style_or_event_handler(client, demo):
    from django.contrib.auth import get_user_model

    program = Program.objects.get(slug="kaikoukai")
    batch = Cohort.objects.get(program=program, number=4)
    person = Participant.objects.filter(cohort=batch).first()
    client.force_login(get_user_model().objects.get(username="admin"))
    pages = [
        reverse("dashboard"),
        reverse("jobs"),
        reverse("program_overview", args=[program.slug]),
        reverse("cohort_overview", args=[batch.pk]),
        reverse("participant_profile", args=[person.pk]),
        reverse("participants:participant_list"),
        reverse("participants:participant_edit", args=[person.pk]),
        reverse("two_factor_manage"),
        "/admin/",
        "/admin/participants/participant/",
        f"/admin/participants/participant/{person.pk}/change/",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        for pattern in (INLINE_SCRIPT, STYLE_ATTRIBUTE, EVENT_HANDLER, STYLE_ELEMENT):
            found = pattern.search(html)
            assert found is None, f"{url}: {found.group(0)[:120]}"


@pytest.mark.browser
def test_chromium_reports_no_policy_violation_on_the_main_pages(page, demo):
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.goto("/accounts/login/")
    page.get_by_label("Nama pengguna").fill("coordinator")
    page.get_by_label("Sandi").fill("demo-password")
    page.get_by_role("button", name="Masuk").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Dasbor"
    batch = Cohort.objects.get(program__slug="kaikoukai", number=4)
    for url in [reverse("cohort_overview", args=[batch.pk]), reverse("jobs"), "/"]:
        page.goto(url)
        page.wait_for_load_state("networkidle")
    page.locator("nav .dropdown-toggle").last.click()  # the account menu: Bootstrap's dropdown runs
    assert page.get_by_role("link", name="Ganti kata sandi").is_visible()
    assert violations == []
