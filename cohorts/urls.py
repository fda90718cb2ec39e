from django.urls import path

from cohorts import views

app_name = "cohorts"

urlpatterns = [
    path("partners/", views.partner_list, name="partner_list"),
    path("partners/new/", views.partner_create, name="partner_create"),
    path("partners/<int:pk>/edit/", views.partner_edit, name="partner_edit"),
    path("programmes/", views.program_list, name="program_list"),
    path("programmes/new/", views.program_create, name="program_create"),
    path("programmes/<slug:slug>/edit/", views.program_edit, name="program_edit"),
    path("programmes/<slug:slug>/staff/", views.program_staff, name="program_staff"),
    path("programmes/<slug:slug>/signatories/", views.signatories, name="signatories"),
    path("programmes/<slug:slug>/agreements/new/", views.agreement_create, name="agreement_create"),
    path("agreements/<int:pk>/edit/", views.agreement_edit, name="agreement_edit"),
    path("agreements/<int:pk>/delete/", views.agreement_delete, name="agreement_delete"),
    path("agreements/<int:pk>/file/", views.agreement_file, name="agreement_file"),
    path("batches/", views.cohort_list, name="cohort_list"),
    path("batches/new/", views.cohort_create, name="cohort_create"),
    path("batches/<int:pk>/edit/", views.cohort_edit, name="cohort_edit"),
    path("batches/<int:pk>/delete/", views.cohort_delete, name="cohort_delete"),
    path("batches/<int:pk>/ceremony/", views.ceremony_edit, name="ceremony_edit"),
    path(
        "assignments/programme/<int:pk>/remove/",
        views.program_assignment_delete,
        name="program_assignment_delete",
    ),
    path(
        "assignments/batch/<int:pk>/remove/",
        views.cohort_assignment_delete,
        name="cohort_assignment_delete",
    ),
]
