from django.urls import path

from recruitment.views import applications, calls, committee, results, scores

app_name = "recruitment"

urlpatterns = [
    path("selection/", calls.call_list, name="call_list"),
    path("selection/calls/new/", calls.call_create, name="call_create"),
    path("selection/calls/<int:pk>/", calls.call_detail, name="call_detail"),
    path("selection/calls/<int:pk>/edit/", calls.call_edit, name="call_edit"),
    path("selection/calls/<int:pk>/status/", calls.call_move, name="call_move"),
    path("selection/calls/<int:pk>/stages/new/", calls.stage_create, name="stage_create"),
    path("selection/calls/<int:pk>/committee/new/", committee.member_create, name="member_create"),
    path(
        "selection/calls/<int:pk>/applicants/",
        applications.application_list,
        name="application_list",
    ),
    path(
        "selection/calls/<int:pk>/apply/",
        applications.application_create,
        name="application_create",
    ),
    path("selection/calls/<int:pk>/ranking/", results.ranking, name="ranking"),
    path("selection/calls/<int:pk>/ranking.xlsx", results.ranking_export, name="ranking_export"),
    path("selection/calls/<int:pk>/publish/", results.call_publish, name="call_publish"),
    path("selection/calls/<int:pk>/objections/", results.objections, name="objections"),
    path("selection/calls/<int:pk>/decision/", results.call_decide, name="call_decide"),
    path("selection/calls/<int:pk>/fairness/", results.fairness_page, name="fairness"),
    path("selection/stages/<int:pk>/edit/", calls.stage_edit, name="stage_edit"),
    path("selection/stages/<int:pk>/scores/", scores.stage_scores, name="stage_scores"),
    path("selection/stages/<int:pk>/lock/", scores.stage_lock, name="stage_lock"),
    path("selection/members/<int:pk>/pact/", committee.member_pact, name="member_pact"),
    path(
        "selection/members/<int:pk>/conflicts/", committee.member_conflicts, name="member_conflicts"
    ),
    path(
        "selection/applicants/<int:pk>/", applications.application_detail, name="application_detail"
    ),
    path(
        "selection/applicants/<int:pk>/reveal/",
        applications.application_reveal,
        name="application_reveal",
    ),
    path(
        "selection/applicants/<int:pk>/receipt/",
        applications.application_receipt,
        name="application_receipt",
    ),
    path(
        "selection/applicants/<int:pk>/check/",
        applications.application_check,
        name="application_check",
    ),
    path("selection/applicants/<int:pk>/replace/", results.reserve_replace, name="reserve_replace"),
    path(
        "selection/documents/<int:pk>/",
        applications.application_document,
        name="application_document",
    ),
    path(
        "selection/objections/<int:pk>/answer/", results.objection_answer, name="objection_answer"
    ),
]
