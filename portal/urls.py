from django.urls import path

from portal.views import accounts, applying, check_ins, checklist, follow_ups, my_data, training

app_name = "portal"

urlpatterns = [
    path("", accounts.home, name="home"),
    path("undangan/<str:token>/", accounts.invitation_accept, name="invitation_accept"),
    path("lowongan/", applying.open_calls, name="open_calls"),
    path("daftar/", applying.register, name="register"),
    path("daftar/periksa-email/", applying.register_done, name="register_done"),
    path("daftar/verifikasi/<str:token>/", applying.verify_email, name="verify_email"),
    path("lowongan/<int:call_pk>/lamar/", applying.apply, name="apply"),
    path("lowongan/<int:call_pk>/lamar/<slug:step>/", applying.apply_step, name="apply_step"),
    path("lamaran/", applying.applications, name="applications"),
    path("lamaran/<int:pk>/", applying.application_detail, name="application_detail"),
    path(
        "lamaran/<int:pk>/tanda-terima/",
        applying.application_receipt,
        name="application_receipt",
    ),
    path("daftar-periksa/", checklist.checklist, name="checklist"),
    path("daftar-periksa/<slug:code>/unggah/", checklist.document_upload, name="document_upload"),
    path("pelatihan/", training.training, name="training"),
    path(
        "pelatihan/sertifikat/<int:pk>/", training.certificate_download, name="certificate_download"
    ),
    path("di-luar-negeri/", check_ins.abroad, name="abroad"),
    path("di-luar-negeri/pemantauan/", check_ins.check_in, name="check_in"),
    path("purna/", follow_ups.follow_ups, name="follow_ups"),
    path("purna/<int:pk>/", follow_ups.follow_up_answer, name="follow_up_answer"),
    path("data-saya/", my_data.my_data, name="my_data"),
    path("data-saya/koreksi/", my_data.identity_request, name="identity_request"),
    path(
        "data-saya/persetujuan/<int:pk>/tarik/",
        my_data.consent_withdrawal,
        name="consent_withdrawal",
    ),
]
