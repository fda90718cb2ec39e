from django.urls import path

from portal import views_staff

app_name = "portal_staff"

urlpatterns = [
    path(
        "participants/<int:pk>/portal-invite/",
        views_staff.participant_invite,
        name="participant_invite",
    ),
    path("verification/", views_staff.verification_queue, name="verification_queue"),
    path("verification/<int:pk>/accept/", views_staff.document_accept, name="document_accept"),
    path("verification/<int:pk>/refuse/", views_staff.document_refuse, name="document_refuse"),
    path("participant-requests/", views_staff.person_requests, name="person_requests"),
    path("possible-duplicates/", views_staff.duplicate_queue, name="duplicate_queue"),
    path(
        "possible-duplicates/<int:pk>/decide/",
        views_staff.duplicate_decide,
        name="duplicate_decide",
    ),
    path(
        "possible-duplicates/documents/<int:pk>/",
        views_staff.duplicate_document,
        name="duplicate_document",
    ),
    path(
        "participant-requests/<int:pk>/answer/",
        views_staff.person_request_answer,
        name="person_request_answer",
    ),
]
