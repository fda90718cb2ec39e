from django.urls import path

from participants import views

app_name = "participants"

urlpatterns = [
    path("participants/", views.participant_list, name="participant_list"),
    path("participants/search/clear/", views.search_clear, name="search_clear"),
    path("participants/export.<str:fmt>", views.participant_export, name="participant_export"),
    path("participants/new/", views.participant_create, name="participant_create"),
    path("participants/import/", views.import_upload, name="import_upload"),
    path("participants/import/preview/", views.import_preview, name="import_preview"),
    path("participants/import/template.csv", views.import_template, name="import_template"),
    path("participants/<int:pk>/photo/", views.participant_photo, name="participant_photo"),
    path("participants/<int:pk>/edit/", views.participant_edit, name="participant_edit"),
    path("participants/<int:pk>/status/", views.participant_move, name="participant_move"),
    path("participants/<int:pk>/batch/", views.participant_transfer, name="participant_transfer"),
    path(
        "participants/<int:pk>/contacts/", views.participant_contacts, name="participant_contacts"
    ),
    path("participants/<int:pk>/documents/new/", views.document_create, name="document_create"),
    path("documents/<int:pk>/renew/", views.document_renew, name="document_renew"),
    path("documents/<int:pk>/file/", views.document_file, name="document_file"),
    path("programmes/<slug:slug>/documents/", views.requirements, name="requirements"),
]
