from django.urls import path

from recruitment import views

app_name = "recruitment"

urlpatterns = [
    path("selection/", views.call_list, name="call_list"),
    path("selection/calls/new/", views.call_create, name="call_create"),
    path("selection/calls/<int:pk>/", views.call_detail, name="call_detail"),
    path("selection/calls/<int:pk>/edit/", views.call_edit, name="call_edit"),
    path("selection/calls/<int:pk>/status/", views.call_move, name="call_move"),
    path("selection/calls/<int:pk>/stages/new/", views.stage_create, name="stage_create"),
    path("selection/calls/<int:pk>/committee/new/", views.member_create, name="member_create"),
    path("selection/calls/<int:pk>/applicants/", views.application_list, name="application_list"),
    path("selection/calls/<int:pk>/apply/", views.application_create, name="application_create"),
    path("selection/calls/<int:pk>/ranking/", views.ranking, name="ranking"),
    path("selection/calls/<int:pk>/ranking.xlsx", views.ranking_export, name="ranking_export"),
    path("selection/calls/<int:pk>/publish/", views.call_publish, name="call_publish"),
    path("selection/calls/<int:pk>/objections/", views.objections, name="objections"),
    path("selection/calls/<int:pk>/decision/", views.call_decide, name="call_decide"),
    path("selection/calls/<int:pk>/fairness/", views.fairness_page, name="fairness"),
    path("selection/stages/<int:pk>/edit/", views.stage_edit, name="stage_edit"),
    path("selection/stages/<int:pk>/scores/", views.stage_scores, name="stage_scores"),
    path("selection/stages/<int:pk>/lock/", views.stage_lock, name="stage_lock"),
    path("selection/members/<int:pk>/pact/", views.member_pact, name="member_pact"),
    path("selection/members/<int:pk>/conflicts/", views.member_conflicts, name="member_conflicts"),
    path("selection/applicants/<int:pk>/", views.application_detail, name="application_detail"),
    path(
        "selection/applicants/<int:pk>/reveal/", views.application_reveal, name="application_reveal"
    ),
    path(
        "selection/applicants/<int:pk>/receipt/",
        views.application_receipt,
        name="application_receipt",
    ),
    path("selection/applicants/<int:pk>/check/", views.application_check, name="application_check"),
    path("selection/applicants/<int:pk>/replace/", views.reserve_replace, name="reserve_replace"),
    path("selection/documents/<int:pk>/", views.application_document, name="application_document"),
    path("selection/objections/<int:pk>/answer/", views.objection_answer, name="objection_answer"),
]
