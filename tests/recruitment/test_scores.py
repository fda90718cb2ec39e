"""The score sheet: one submit for a stage, relations hidden, paper sheets entered."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from recruitment.models import Score
from tests.recruitment.pages import login

pytestmark = pytest.mark.django_db


def test_the_score_sheet_hides_the_applicant_of_a_declared_relation(client, world):
    language = world["stages"][0]
    response = login(client, world["users"]["member"]).get(
        reverse("recruitment:stage_scores", args=[language.pk])
    )
    page = response.content.decode()
    assert "Pendaftar 0" in page and "Keponakan Rina" not in page
    url = reverse("recruitment:application_detail", args=[world["relative"].pk])
    assert client.get(url).status_code == 404


def test_the_score_sheet_saves_every_applicant_in_one_submit(client, world):
    language = world["stages"][0]
    others = world["others"]
    login(client, world["users"]["member"])
    data = {f"a{a.pk}": "72,5" for a in others}
    data[f"a{others[0].pk}_note"] = "Lancar"
    response = client.post(reverse("recruitment:stage_scores", args=[language.pk]), data)
    assert response.status_code == 302
    assert sorted(Score.objects.values_list("value", flat=True)) == [Decimal("72.5")] * 3
    assert Score.objects.get(application=others[0]).note == "Lancar"


def test_a_score_out_of_range_is_refused_and_nothing_saved(client, world):
    language = world["stages"][0]
    login(client, world["users"]["member"])
    data = {f"a{a.pk}": "80" for a in world["others"]}
    data[f"a{world['others'][1].pk}"] = "180"
    response = client.post(reverse("recruitment:stage_scores", args=[language.pk]), data)
    assert response.status_code == 200
    assert not Score.objects.exists()


def test_the_secretary_enters_the_paper_sheet_of_an_assessor_without_account(client, world):
    interview = world["stages"][1]
    paper = world["members"][2]
    login(client, world["users"]["secretary"])
    url = reverse("recruitment:stage_scores", args=[interview.pk]) + f"?member={paper.pk}"
    assert "Tanaka Hiroshi" in client.get(url).content.decode()
    paper.pact_signed_at = None
    paper.save()
    client.post(reverse("recruitment:member_pact", args=[paper.pk]))
    paper.refresh_from_db()
    assert paper.pact_signed_at is not None
    data = {f"a{a.pk}": "65" for a in [world["relative"], *world["others"]]}
    response = client.post(url, data)
    assert response.status_code == 302
    score = Score.objects.filter(member=paper).first()
    assert score.entered_by == world["users"]["secretary"] and score.on_behalf


def test_a_member_cannot_score_for_someone_else(client, world):
    interview = world["stages"][1]
    login(client, world["users"]["member"])
    response = client.get(reverse("recruitment:stage_scores", args=[interview.pk]))
    assert response.status_code == 404
