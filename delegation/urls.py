from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.views import redirect_to_login
from django.urls import include, path
from django.views.generic import RedirectView
from django.views.i18n import set_language

from delegation import twofactor, views
from delegation.forms import LoginForm
from office.overviews import views as overviews
from office.prints import views as prints
from training.views import public as training_public


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

# Pages that moved: their old addresses, bookmarked or printed, lead to the new ones.
moved_pages = [
    path(
        "documents/", RedirectView.as_view(pattern_name="jobs", permanent=True, query_string=True)
    ),
    path("documents/rows/", RedirectView.as_view(pattern_name="job_rows", permanent=True)),
    path(
        "documents/<int:pk>/download/",
        RedirectView.as_view(pattern_name="job_download", permanent=True),
    ),
]

urlpatterns = [
    path("", overviews.dashboard, name="dashboard"),
    path("jobs/", prints.jobs, name="jobs"),
    path("notifications/", views.notifications, name="notifications"),
    path("help/", views.help_index, name="help_index"),
    path("help/<slug:slug>/", views.help_page, name="help_page"),
    path("letterhead/", views.letterhead_edit, name="letterhead_edit"),
    path("letterhead/crest/", views.letterhead_crest, name="letterhead_crest"),
    path("jobs/rows/", prints.job_rows, name="job_rows"),
    path("jobs/<int:pk>/download/", prints.job_download, name="job_download"),
    path("jobs/<int:pk>/regenerate/", prints.job_regenerate, name="job_regenerate"),
    path(
        "batches/<int:pk>/ceremony-pack/",
        prints.ceremony_pack_create,
        name="ceremony_pack_create",
    ),
    path("batches/<int:pk>/certificates/", prints.certificates_create, name="certificates_create"),
    path("batches/<int:pk>/roster.xlsx", prints.roster_xlsx, name="roster_xlsx"),
    path("batches/<int:pk>/berita-acara.docx", prints.handover_docx, name="handover_docx"),
    path(
        "programmes/<slug:slug>/report/",
        prints.programme_report_create,
        name="programme_report_create",
    ),
    path(
        "programmes/<slug:slug>/report/latest/",
        prints.programme_report_latest,
        name="programme_report_latest",
    ),
    path(
        "selection/calls/<int:pk>/documents/<str:kind>/",
        prints.selection_document_create,
        name="selection_document_create",
    ),
    path("verify/<str:token>/", training_public.verify, name="verify"),
    path("", include("cohorts.urls")),
    path("", include("participants.urls")),
    path("", include("training.urls")),
    path("", include("welfare.urls")),
    path("", include("recruitment.urls")),
    path("", include("portal.urls_staff")),
    path("saya/data-saya/unduh/", overviews.own_data_export, name="portal_data_export"),
    path(
        "saya/lamaran/unduh/",
        overviews.own_applications_export,
        name="portal_applications_export",
    ),
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
    *moved_pages,
    path("healthz", views.healthz, name="healthz"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("accounts/", include(account_urls)),
    path("admin/", admin.site.urls),
]
