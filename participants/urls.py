from django.urls import path

from participants import views, views_abroad, views_consent, views_costs

app_name = "participants"

urlpatterns = [
    path("participants/", views.participant_list, name="participant_list"),
    path("participants/search/clear/", views.search_clear, name="search_clear"),
    path("participants/filters/", views.participant_filters, name="participant_filters"),
    path("participants/export.<str:fmt>", views.participant_export, name="participant_export"),
    path("participants/new/", views.participant_create, name="participant_create"),
    path("regencies/", views.regency_search, name="regency_search"),
    path("participants/import/", views.import_upload, name="import_upload"),
    path("participants/import/preview/", views.import_preview, name="import_preview"),
    path("participants/import/template.csv", views.import_template, name="import_template"),
    path(
        "participants/import/template.xlsx",
        views.import_template_xlsx,
        name="import_template_xlsx",
    ),
    path("participants/<int:pk>/photo/", views.participant_photo, name="participant_photo"),
    path("participants/<int:pk>/edit/", views.participant_edit, name="participant_edit"),
    path("participants/<int:pk>/status/", views.participant_move, name="participant_move"),
    path("participants/<int:pk>/batch/", views.participant_transfer, name="participant_transfer"),
    path(
        "participants/<int:pk>/contacts/", views.participant_contacts, name="participant_contacts"
    ),
    path("participants/<int:pk>/whatsapp/", views.whatsapp, name="whatsapp"),
    path("participants/<int:pk>/documents/new/", views.document_create, name="document_create"),
    path("documents/<int:pk>/renew/", views.document_renew, name="document_renew"),
    path("documents/<int:pk>/file/", views.document_file, name="document_file"),
    path("programmes/<slug:slug>/documents/", views.requirements, name="requirements"),
]

urlpatterns += [  # costs, contracts, life abroad and monitoring
    path("programmes/<slug:slug>/costs/", views_costs.cost_list, name="program_costs"),
    path("programmes/<slug:slug>/costs.xlsx", views_costs.cost_export, name="cost_export"),
    path("programmes/<slug:slug>/costs/new/", views_costs.cost_create, name="cost_create"),
    path("batches/<int:pk>/costs/", views_costs.cost_list, name="cohort_costs"),
    path("batches/<int:pk>/costs.xlsx", views_costs.cost_export, name="cohort_cost_export"),
    path("costs/<int:pk>/edit/", views_costs.cost_edit, name="cost_edit"),
    path("costs/<int:pk>/delete/", views_costs.cost_delete, name="cost_delete"),
    path("costs/<int:pk>/receipt/", views_costs.cost_receipt, name="cost_receipt"),
    path("contracts/", views_abroad.contract_list, name="contract_list"),
    path(
        "participants/<int:pk>/contracts/new/", views_abroad.contract_create, name="contract_create"
    ),
    path("contracts/<int:pk>/extend/", views_abroad.contract_extend, name="contract_extend"),
    path(
        "contracts/<int:pk>/employer/",
        views_abroad.contract_change_employer,
        name="contract_employer",
    ),
    path(
        "contracts/<int:pk>/terminate/", views_abroad.contract_terminate, name="contract_terminate"
    ),
    path("contracts/<int:pk>/file/", views_abroad.contract_file, name="contract_file"),
    path("participants/<int:pk>/abroad/", views_abroad.residence_edit, name="residence_edit"),
    path(
        "participants/<int:pk>/check-ins/new/", views_abroad.check_in_create, name="check_in_create"
    ),
    path("check-ins/<int:pk>/edit/", views_abroad.check_in_edit, name="check_in_edit"),
    path("monitoring/", views_abroad.monitoring, name="monitoring"),
]

urlpatterns += [  # consent to processing and to transfer abroad
    path(
        "participants/<int:pk>/consents/new/", views_consent.consent_create, name="consent_create"
    ),
    path("consents/<int:pk>/withdraw/", views_consent.consent_withdraw, name="consent_withdraw"),
    path("consents/<int:pk>/file/", views_consent.consent_file, name="consent_file"),
]
