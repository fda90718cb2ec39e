from django.urls import path

from portal import views, views_apply

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("undangan/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("lowongan/", views_apply.open_calls, name="open_calls"),
    path("daftar/", views_apply.register, name="register"),
    path("daftar/periksa-email/", views_apply.register_done, name="register_done"),
    path("daftar/verifikasi/<str:token>/", views_apply.verify_email, name="verify_email"),
    path("lowongan/<int:call_pk>/lamar/", views_apply.apply, name="apply"),
    path("lowongan/<int:call_pk>/lamar/<slug:step>/", views_apply.apply_step, name="apply_step"),
    path("lamaran/", views_apply.applications, name="applications"),
    path("lamaran/<int:pk>/", views_apply.application_detail, name="application_detail"),
    path(
        "lamaran/<int:pk>/tanda-terima/",
        views_apply.application_receipt,
        name="application_receipt",
    ),
    path("daftar-periksa/", views.checklist, name="checklist"),
    path("daftar-periksa/<slug:code>/unggah/", views.document_upload, name="document_upload"),
    path("pelatihan/", views.training, name="training"),
    path("pelatihan/sertifikat/<int:pk>/", views.certificate_download, name="certificate_download"),
    path("di-luar-negeri/", views.abroad, name="abroad"),
    path("di-luar-negeri/pemantauan/", views.check_in, name="check_in"),
    path("purna/", views.follow_ups, name="follow_ups"),
    path("purna/<int:pk>/", views.follow_up_answer, name="follow_up_answer"),
    path("data-saya/", views.my_data, name="my_data"),
    path("data-saya/koreksi/", views.identity_request, name="identity_request"),
    path(
        "data-saya/persetujuan/<int:pk>/tarik/",
        views.consent_withdrawal,
        name="consent_withdrawal",
    ),
]
