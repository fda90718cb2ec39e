from django.urls import path

from portal.views import staff

app_name = "portal_staff"

urlpatterns = [
    path(
        "participants/<int:pk>/portal-invite/",
        staff.participant_invite,
        name="participant_invite",
    ),
    path("verification/", staff.verification_queue, name="verification_queue"),
    path("verification/<int:pk>/accept/", staff.document_accept, name="document_accept"),
    path("verification/<int:pk>/refuse/", staff.document_refuse, name="document_refuse"),
    path("participant-requests/", staff.person_requests, name="person_requests"),
    path("possible-duplicates/", staff.duplicate_queue, name="duplicate_queue"),
    path(
        "possible-duplicates/<int:pk>/decide/",
        staff.duplicate_decide,
        name="duplicate_decide",
    ),
    path(
        "possible-duplicates/documents/<int:pk>/",
        staff.duplicate_document,
        name="duplicate_document",
    ),
    path(
        "participant-requests/<int:pk>/answer/",
        staff.person_request_answer,
        name="person_request_answer",
    ),
]
