"""Only the design's open URLs answer without login: every URL pattern is walked."""

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.exceptions import NoReverseMatch
from django.views.generic import RedirectView

from delegation.access import OPEN_URL_NAMES
from delegation.urls import moved_pages

# Values tried for each URL parameter until one fits the pattern.
SAMPLE_VALUES = ["1", "auth", "user", "MQ", "set-password", "x"]


def named_patterns(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from named_patterns(pattern, inner)
        elif isinstance(pattern, URLPattern):
            yield namespace, pattern


def sample_path(view_name: str) -> str:
    resolver = get_resolver()
    *namespaces, name = view_name.split(":")
    for namespace in namespaces:
        resolver = resolver.namespace_dict[namespace][1]
    possibilities = resolver.reverse_dict.getlist(name)
    params = possibilities[0][0][0][1] if possibilities else []
    kwargs = {}
    for param in params:
        for value in SAMPLE_VALUES:
            try:
                reverse(view_name, kwargs={**kwargs, param: value})
            except NoReverseMatch:
                continue
            kwargs[param] = value
            break
        else:
            kwargs[param] = SAMPLE_VALUES[0]
    return reverse(view_name, kwargs=kwargs)


ALL_PATTERNS = list(named_patterns())
NAMED = sorted({f"{ns}{p.name}" for ns, p in ALL_PATTERNS if p.name})


def test_every_url_outside_the_admin_has_a_name():
    """Except the old addresses of renamed pages, which only redirect to the new ones."""
    unnamed = [
        str(p.pattern)
        for ns, p in ALL_PATTERNS
        if not p.name and not ns.startswith("admin") and p not in moved_pages
    ]
    assert unnamed == []


def test_the_old_addresses_of_renamed_pages_only_redirect():
    assert moved_pages
    assert all(p.callback.view_class is RedirectView for p in moved_pages)


def test_every_open_url_exists():
    assert set(NAMED) >= OPEN_URL_NAMES


@pytest.mark.django_db
@pytest.mark.parametrize("view_name", NAMED)
def test_anonymous_users_are_sent_to_login_from_every_url_but_the_open_ones(client, view_name):
    path = sample_path(view_name)
    response = client.get(path)
    login = reverse(settings.LOGIN_URL)
    sent_to_login = response.status_code == 302 and response["Location"].startswith(login)
    if view_name in OPEN_URL_NAMES:
        assert not sent_to_login, f"{view_name} ({path}) is open but asks for a login"
        assert response.status_code < 500
    else:
        assert sent_to_login, f"{view_name} ({path}) answered {response.status_code} to anonymous"


def test_the_applicants_way_in_is_on_the_allow_list():
    """The open calls, registration, its e-mail check and verification link, the invitation:
    the pages of people who have no account yet."""
    assert {
        "portal:open_calls",
        "portal:register",
        "portal:register_done",
        "portal:verify_email",
        "portal:invitation_accept",
    } <= OPEN_URL_NAMES
    assert not {"portal:apply", "portal:applications", "portal:home"} & OPEN_URL_NAMES
