from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import BadRequest, PermissionDenied
from django.shortcuts import redirect
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.translation import gettext as _

from delegation.access import is_open_view
from delegation.roles import is_portal_user


class LanguageMiddleware:
    """Activate the language chosen with the switcher, else Indonesian.

    Unlike Django's LocaleMiddleware this ignores the browser's Accept-Language: the
    interface speaks Indonesian first whatever language the office's browsers are set to.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.codes = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if code not in self.codes:
            code = settings.LANGUAGE_CODE
        translation.activate(code)
        request.LANGUAGE_CODE = code
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", code)
        return response


class SessionTimeoutMiddleware:
    """Sign the user out 12 hours after sign-in and after 30 minutes without a request."""

    STARTED = "_session_started"
    LAST_SEEN = "_session_last_seen"
    WRITE_EVERY = 60  # seconds: do not rewrite the session on every request

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            self._check(request)
        return self.get_response(request)

    def _check(self, request) -> None:
        now = int(time.time())
        session = request.session
        started = session.get(self.STARTED)
        last_seen = session.get(self.LAST_SEEN)
        if started is None:
            session[self.STARTED] = now
        elif now - started > settings.SESSION_MAX_AGE.total_seconds() or (
            last_seen is not None
            and now - last_seen > settings.SESSION_IDLE_TIMEOUT.total_seconds()
        ):
            logout(request)
            messages.info(request, _("Your session has ended. Please sign in again."))
            return
        if last_seen is None or now - last_seen >= self.WRITE_EVERY:
            session[self.LAST_SEEN] = now


class PrivateResponseMiddleware:
    """Every answer to a signed-in user says ``Cache-Control: no-store, private`` (with
    Django's other never-cache headers): pages show personal data and downloads are personal
    documents, so no browser or proxy cache keeps a copy. Set here, once, so a new view
    cannot forget it; static files are answered before this (whitenoise) and stay cached."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.user.is_authenticated:
            add_never_cache_headers(response)
        return response


class LoginRequiredMiddleware:
    """Every page needs a signed-in user, except those in ``access.OPEN_URL_NAMES``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.user.is_authenticated or is_open_view(request.resolver_match.view_name):
            return None
        return redirect_to_login(request.get_full_path())


class NulCharacterMiddleware:
    """Refuse (400) an address holding a NUL character: no page needs one, and PostgreSQL
    refuses them in a query, which would otherwise answer 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            raise BadRequest("NUL character in the address")
        return self.get_response(request)


# The pages of a participant's own account outside the portal's namespace: signing out, the
# password, the optional second factor, and the download of their own data (an overview of
# several apps' records, so it lives above the portal).
PORTAL_ACCOUNT_VIEW_NAMES = frozenset(
    {
        "portal_data_export",
        "portal_applications_export",
        "logout",
        "password_change",
        "password_change_done",
        "two_factor_manage",
        "two_factor_setup",
        "two_factor_verify",
    }
)
PORTAL_NAMESPACE = "portal"
PORTAL_HOME = "portal:home"


class PortalBoundaryMiddleware:
    """A participant's or applicant's account reaches its own pages (``/saya/``), its account
    pages and the open URLs, nothing else: every staff page answers 403, whatever its own
    checks would say, and the dashboard (where signing in leads) sends it home to the portal."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or user.is_superuser:
            return None
        # Reads the permissions and the roles in one query, kept for the rest of the request.
        user.get_all_permissions()
        if not is_portal_user(user):
            return None
        match = request.resolver_match
        if PORTAL_NAMESPACE in match.namespaces[:1] or is_open_view(match.view_name):
            return None
        if match.view_name in PORTAL_ACCOUNT_VIEW_NAMES:
            return None
        if match.view_name == "dashboard":
            return redirect(PORTAL_HOME)
        raise PermissionDenied
