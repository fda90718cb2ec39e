from django.urls import path

from portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("undangan/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("daftar-periksa/", views.checklist, name="checklist"),
    path("daftar-periksa/<slug:code>/unggah/", views.document_upload, name="document_upload"),
    path("pelatihan/", views.training, name="training"),
    path("pelatihan/sertifikat/<int:pk>/", views.certificate_download, name="certificate_download"),
    path("di-luar-negeri/", views.abroad, name="abroad"),
    path("di-luar-negeri/pemantauan/", views.check_in, name="check_in"),
    path("data-saya/", views.my_data, name="my_data"),
    path("data-saya/koreksi/", views.identity_request, name="identity_request"),
    path(
        "data-saya/persetujuan/<int:pk>/tarik/",
        views.consent_withdrawal,
        name="consent_withdrawal",
    ),
]
