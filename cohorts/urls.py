from django.urls import path

from cohorts.views import agreements, batches, partners, programmes, staff

app_name = "cohorts"

urlpatterns = [
    path("partners/", partners.partner_list, name="partner_list"),
    path("partners/new/", partners.partner_create, name="partner_create"),
    path("partners/<int:pk>/edit/", partners.partner_edit, name="partner_edit"),
    path("programmes/", programmes.program_list, name="program_list"),
    path("programmes/new/", programmes.program_create, name="program_create"),
    path("programmes/<slug:slug>/edit/", programmes.program_edit, name="program_edit"),
    path("programmes/<slug:slug>/staff/", staff.program_staff, name="program_staff"),
    path("programmes/<slug:slug>/signatories/", programmes.signatories, name="signatories"),
    path(
        "programmes/<slug:slug>/agreements/new/",
        agreements.agreement_create,
        name="agreement_create",
    ),
    path("agreements/<int:pk>/edit/", agreements.agreement_edit, name="agreement_edit"),
    path("agreements/<int:pk>/delete/", agreements.agreement_delete, name="agreement_delete"),
    path("agreements/<int:pk>/file/", agreements.agreement_file, name="agreement_file"),
    path("batches/", batches.cohort_list, name="cohort_list"),
    path("batches/new/", batches.cohort_create, name="cohort_create"),
    path("batches/<int:pk>/edit/", batches.cohort_edit, name="cohort_edit"),
    path("batches/<int:pk>/delete/", batches.cohort_delete, name="cohort_delete"),
    path("batches/<int:pk>/ceremony/", batches.ceremony_edit, name="ceremony_edit"),
    path(
        "assignments/programme/<int:pk>/remove/",
        staff.program_assignment_delete,
        name="program_assignment_delete",
    ),
    path(
        "assignments/batch/<int:pk>/remove/",
        staff.cohort_assignment_delete,
        name="cohort_assignment_delete",
    ),
]
