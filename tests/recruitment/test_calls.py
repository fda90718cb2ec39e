"""The calls' list and page: who sees which call, stage and button."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from tests.factories import (
    ApplicationFactory,
    CallFactory,
    UserFactory,
)
from tests.recruitment.pages import login

pytestmark = pytest.mark.django_db


def test_the_calls_list_shows_each_user_the_calls_they_may_see(client, world):
    url = reverse("recruitment:call_list")
    for who, sees in [
        ("hr", True),
        ("coordinator", True),
        ("leadership", True),
        ("member", True),
        ("stranger", False),
        ("outsider", False),
    ]:
        response = login(client, world["users"][who]).get(url)
        assert response.status_code == 200, who
        assert (world["call"].title in response.content.decode()) is sees, who


def test_the_calls_list_is_refused_to_a_user_without_a_role(client, world):
    response = login(client, UserFactory()).get(reverse("recruitment:call_list"))
    assert response.status_code == 403


def test_a_call_of_another_programme_does_not_exist_for_its_outsiders(client, world):
    url = reverse("recruitment:call_detail", args=[world["call"].pk])
    assert login(client, world["users"]["outsider"]).get(url).status_code == 404
    assert login(client, world["users"]["stranger"]).get(url).status_code == 404
    assert login(client, world["users"]["hr"]).get(url).status_code == 200


def test_a_committee_member_sees_only_their_stages(client, world):
    response = login(client, world["users"]["member"]).get(
        reverse("recruitment:call_detail", args=[world["call"].pk])
    )
    page = response.content.decode()
    language, interview = world["stages"]
    assert reverse("recruitment:stage_scores", args=[language.pk]) in page
    assert reverse("recruitment:stage_scores", args=[interview.pk]) not in page
    scores = reverse("recruitment:stage_scores", args=[interview.pk])
    assert client.get(scores).status_code == 404


def test_every_page_of_a_call_answers_hr(client, world):
    call = world["call"]
    login(client, world["users"]["hr"])
    for name in [
        "call_detail",
        "call_edit",
        "stage_create",
        "member_create",
        "application_list",
        "ranking",
        "objections",
        "call_decide",
        "fairness",
    ]:
        response = client.get(reverse(f"recruitment:{name}", args=[call.pk]))
        assert response.status_code in (200, 302), name
    assert client.get(reverse("recruitment:call_create")).status_code == 200


def test_the_lists_keep_to_a_query_budget(client, world, django_assert_max_num_queries):
    call = world["call"]
    for n in range(20):
        ApplicationFactory(call=call, full_name=f"Tambahan {n}")
    CallFactory(program=call.program, cohort=call.cohort)
    login(client, world["users"]["coordinator"])
    with django_assert_max_num_queries(20):
        assert client.get(reverse("recruitment:call_list")).status_code == 200
    with django_assert_max_num_queries(20):
        response = client.get(reverse("recruitment:application_list", args=[call.pk]))
    assert response.status_code == 200 and "Tambahan 19" in response.content.decode()


def test_the_scores_button_shows_only_on_the_sheets_the_user_fills(client, world):
    """HR staff enter the paper sheets of assessors without an account (the interview here),
    not the language stage, whose assessor scores for themselves."""
    language, interview = world["stages"]
    page = login(client, world["users"]["hr"]).get(
        reverse("recruitment:call_detail", args=[world["call"].pk])
    )
    html = page.content.decode()
    assert reverse("recruitment:stage_scores", args=[interview.pk]) in html
    assert reverse("recruitment:stage_scores", args=[language.pk]) not in html
    member_page = (
        login(client, world["users"]["member"])
        .get(reverse("recruitment:call_detail", args=[world["call"].pk]))
        .content.decode()
    )
    assert reverse("recruitment:stage_scores", args=[language.pk]) in member_page
    assert reverse("recruitment:stage_scores", args=[interview.pk]) not in member_page


def test_the_edit_buttons_of_a_call_read_as_a_verb(client, world):
    """ "Ubah" (edit), not "Perubahan" (a change), on the buttons that open the forms."""
    language, _interview = world["stages"]
    world["call"].status = "open"
    world["call"].save(update_fields=["status"])
    with translation.override("id"):
        html = (
            login(client, world["users"]["hr"])
            .get(
                reverse("recruitment:call_detail", args=[world["call"].pk]),
                HTTP_ACCEPT_LANGUAGE="id",
            )
            .content.decode()
        )
    assert f'href="{reverse("recruitment:stage_edit", args=[language.pk])}">Ubah</a>' in html
    assert f'href="{reverse("recruitment:call_edit", args=[world["call"].pk])}">Ubah</a>' in html
    assert "Perubahan</a>" not in html
