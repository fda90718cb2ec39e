from django.urls import path

from participants.views import abroad, consent, costs, documents, imports, lists, people

app_name = "participants"

urlpatterns = [
    path("participants/", lists.participant_list, name="participant_list"),
    path("participants/search/clear/", lists.search_clear, name="search_clear"),
    path("participants/filters/", lists.participant_filters, name="participant_filters"),
    path("participants/export.<str:fmt>", lists.participant_export, name="participant_export"),
    path("participants/new/", people.participant_create, name="participant_create"),
    path("regencies/", people.regency_search, name="regency_search"),
    path("participants/import/", imports.import_upload, name="import_upload"),
    path("participants/import/preview/", imports.import_preview, name="import_preview"),
    path("participants/import/template.csv", imports.import_template, name="import_template"),
    path(
        "participants/import/template.xlsx",
        imports.import_template_xlsx,
        name="import_template_xlsx",
    ),
    path("participants/<int:pk>/photo/", people.participant_photo, name="participant_photo"),
    path("participants/<int:pk>/edit/", people.participant_edit, name="participant_edit"),
    path("participants/<int:pk>/status/", people.participant_move, name="participant_move"),
    path("participants/<int:pk>/batch/", people.participant_transfer, name="participant_transfer"),
    path(
        "participants/<int:pk>/contacts/", people.participant_contacts, name="participant_contacts"
    ),
    path("participants/<int:pk>/whatsapp/", people.whatsapp, name="whatsapp"),
    path("participants/<int:pk>/documents/new/", documents.document_create, name="document_create"),
    path("documents/<int:pk>/renew/", documents.document_renew, name="document_renew"),
    path("documents/<int:pk>/file/", documents.document_file, name="document_file"),
    path("programmes/<slug:slug>/documents/", documents.requirements, name="requirements"),
]

urlpatterns += [  # costs, contracts, life abroad and monitoring
    path("programmes/<slug:slug>/costs/", costs.cost_list, name="program_costs"),
    path("programmes/<slug:slug>/costs.xlsx", costs.cost_export, name="cost_export"),
    path("programmes/<slug:slug>/costs/new/", costs.cost_create, name="cost_create"),
    path("batches/<int:pk>/costs/", costs.cost_list, name="cohort_costs"),
    path("batches/<int:pk>/costs.xlsx", costs.cost_export, name="cohort_cost_export"),
    path("costs/<int:pk>/edit/", costs.cost_edit, name="cost_edit"),
    path("costs/<int:pk>/delete/", costs.cost_delete, name="cost_delete"),
    path("costs/<int:pk>/receipt/", costs.cost_receipt, name="cost_receipt"),
    path("contracts/", abroad.contract_list, name="contract_list"),
    path("participants/<int:pk>/contracts/new/", abroad.contract_create, name="contract_create"),
    path("contracts/<int:pk>/extend/", abroad.contract_extend, name="contract_extend"),
    path(
        "contracts/<int:pk>/employer/",
        abroad.contract_change_employer,
        name="contract_employer",
    ),
    path("contracts/<int:pk>/terminate/", abroad.contract_terminate, name="contract_terminate"),
    path("contracts/<int:pk>/file/", abroad.contract_file, name="contract_file"),
    path("participants/<int:pk>/abroad/", abroad.residence_edit, name="residence_edit"),
    path("participants/<int:pk>/check-ins/new/", abroad.check_in_create, name="check_in_create"),
    path("check-ins/<int:pk>/edit/", abroad.check_in_edit, name="check_in_edit"),
    path("monitoring/", abroad.monitoring, name="monitoring"),
]

urlpatterns += [  # consent to processing and to transfer abroad
    path("participants/<int:pk>/consents/new/", consent.consent_create, name="consent_create"),
    path("consents/<int:pk>/withdraw/", consent.consent_withdraw, name="consent_withdraw"),
    path("consents/<int:pk>/file/", consent.consent_file, name="consent_file"),
]
