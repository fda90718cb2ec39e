from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.views import redirect_to_login
from django.urls import include, path
from django.views.i18n import set_language

from delegation import twofactor, views
from delegation.documents import views as documents
from delegation.forms import LoginForm
from delegation.overviews import views as overviews
from training import views as training_views


def _admin_login(request, extra_context=None):
    """The admin signs in through the site's login page."""
    return redirect_to_login(request.GET.get("next") or "/admin/", settings.LOGIN_URL)


admin.site.login = _admin_login
admin.site.site_header = "Delegation"

account_urls = [
    path(
        "login/",
        auth_views.LoginView.as_view(authentication_form=LoginForm),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("two-factor/", twofactor.manage, name="two_factor_manage"),
    path("two-factor/setup/", twofactor.setup, name="two_factor_setup"),
    path("two-factor/verify/", twofactor.verify, name="two_factor_verify"),
    path("password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"
    ),
    path("password/reset/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]

urlpatterns = [
    path("", overviews.dashboard, name="dashboard"),
    path("documents/", documents.documents, name="documents"),
    path("notifications/", views.notifications, name="notifications"),
    path("help/", views.help_index, name="help_index"),
    path("help/<slug:slug>/", views.help_page, name="help_page"),
    path("letterhead/", views.letterhead_edit, name="letterhead_edit"),
    path("letterhead/crest/", views.letterhead_crest, name="letterhead_crest"),
    path("documents/rows/", documents.job_rows, name="job_rows"),
    path("documents/<int:pk>/download/", documents.document_download, name="document_download"),
    path(
        "documents/<int:pk>/regenerate/", documents.document_regenerate, name="document_regenerate"
    ),
    path(
        "batches/<int:pk>/ceremony-pack/",
        documents.ceremony_pack_create,
        name="ceremony_pack_create",
    ),
    path(
        "batches/<int:pk>/certificates/", documents.certificates_create, name="certificates_create"
    ),
    path("batches/<int:pk>/roster.xlsx", documents.roster_xlsx, name="roster_xlsx"),
    path("batches/<int:pk>/berita-acara.docx", documents.handover_docx, name="handover_docx"),
    path(
        "programmes/<slug:slug>/report/",
        documents.programme_report_create,
        name="programme_report_create",
    ),
    path(
        "programmes/<slug:slug>/report/latest/",
        documents.programme_report_latest,
        name="programme_report_latest",
    ),
    path(
        "selection/calls/<int:pk>/documents/<str:kind>/",
        documents.selection_document_create,
        name="selection_document_create",
    ),
    path("verify/<str:token>/", training_views.verify, name="verify"),
    path("", include("cohorts.urls")),
    path("", include("participants.urls")),
    path("", include("training.urls")),
    path("", include("welfare.urls")),
    path("", include("recruitment.urls")),
    path("", include("portal.urls_staff")),
    path("saya/data-saya/unduh/", overviews.own_data_export, name="portal_data_export"),
    path("saya/", include("portal.urls")),
    path("programmes/<slug:slug>/", overviews.program_overview, name="program_overview"),
    path("batches/<int:pk>/", overviews.cohort_overview, name="cohort_overview"),
    path("participants/<int:pk>/", overviews.participant_profile, name="participant_profile"),
    path("recap.xlsx", overviews.recap, name="recap"),
    path("programmes/<slug:slug>/recap.xlsx", overviews.recap, name="program_recap"),
    path("batches/<int:pk>/recap.xlsx", overviews.recap, name="cohort_recap"),
    path("batches/<int:pk>/readiness.xlsx", overviews.readiness_export, name="readiness_export"),
    path("participants/<int:pk>/reveal/", overviews.participant_reveal, name="participant_reveal"),
    path(
        "participants/<int:pk>/data-export/",
        overviews.participant_data_export,
        name="participant_data_export",
    ),
    path("healthz", views.healthz, name="healthz"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("accounts/", include(account_urls)),
    path("admin/", admin.site.urls),
]
