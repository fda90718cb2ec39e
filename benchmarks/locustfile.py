"""Simulated staff for `make loadtest` (benchmarks/loadtest.py starts the server and locust).

Each user signs in once with a bench account, then browses and searches with think time: the
dashboard, the participant list and its pages, participant profiles, a name or NIK search.
Requests go to gunicorn on the loopback as plain HTTP marked ``X-Forwarded-Proto: https``,
as a TLS-terminating proxy would send them, so the production settings' secure cookies work.
Every page is checked to be the signed-in page, not the login form.

The users are locust's ``FastHttpUser`` (geventhttpclient), which costs the shared processor
several times less per request than the ``requests``-based client: the load generator runs on
the machine it measures.
"""

from __future__ import annotations

import itertools
import os
import random
import threading
from http.cookiejar import DefaultCookiePolicy

from locust import FastHttpUser, between, task

LOGIN = "/accounts/login/"
LIST = "/participants/"
PASSWORD = os.environ.get("LOADTEST_PASSWORD", "bench-password")
FIRST_ID = int(os.environ.get("LOADTEST_FIRST_ID", "1"))
LAST_ID = int(os.environ.get("LOADTEST_LAST_ID", "100000"))
PAGES = int(os.environ.get("LOADTEST_PAGES", "4000"))
# A coordinator sees the people of one programme: their ids and pages.
COORDINATOR_FIRST_ID = int(os.environ.get("LOADTEST_COORDINATOR_FIRST_ID", str(FIRST_ID)))
COORDINATOR_LAST_ID = int(os.environ.get("LOADTEST_COORDINATOR_LAST_ID", str(LAST_ID)))
COORDINATOR_PAGES = int(os.environ.get("LOADTEST_COORDINATOR_PAGES", str(PAGES)))
NAME_FRAGMENTS = ["rahma", "siti", "hidayat", "nur", "wijaya", "fauzan", "intan", "kadir"]
NIK_PREFIXES = ["637101", "63710245", "6371034", "637105"]
SIGNED_IN = 'action="/accounts/logout/"'  # the sign-out button of every signed-in page
# LOADTEST_DASHBOARD=0 leaves the dashboard out (users then land on the participant list).
DASHBOARD = os.environ.get("LOADTEST_DASHBOARD", "1") != "0"

_numbers = itertools.count(1)
_lock = threading.Lock()


def _send_secure_cookies_over_the_loopback(policy, cookie, request) -> bool:
    return True


# The load generator speaks plain HTTP to gunicorn on the loopback, where a real proxy would
# have ended TLS: send the server's Secure cookies back all the same (patched on the policy
# class, which every cookie jar of the client uses).
DefaultCookiePolicy.return_ok_secure = _send_secure_cookies_over_the_loopback


class Staff(FastHttpUser):
    wait_time = between(1, 4)  # think time, in seconds
    # Marked as a TLS-terminating proxy marks it.
    default_headers = {"X-Forwarded-Proto": "https"}

    def on_start(self) -> None:
        with _lock:
            number = next(_numbers)
        # Alternately an HR officer (sees everything) and a programme coordinator.
        role = "hr" if number % 2 else "coordinator"
        self.username = f"bench-{role}-{(number + 1) // 2}"
        if role == "hr":
            self.ids, self.pages = (FIRST_ID, LAST_ID), PAGES
        else:
            self.ids = (COORDINATOR_FIRST_ID, COORDINATOR_LAST_ID)
            self.pages = COORDINATOR_PAGES
        self.client.get(LOGIN, name="login form")
        with self.client.post(
            LOGIN,
            {
                "username": self.username,
                "password": PASSWORD,
                "csrfmiddlewaretoken": self.csrf_token(),
                "next": "/" if DASHBOARD else LIST,
            },
            headers={"Referer": self.absolute(LOGIN)},
            name="sign in",
            catch_response=True,
        ) as response:
            self.check(response)

    def csrf_token(self) -> str:
        return next((c.value for c in self.client.cookiejar if c.name == "csrftoken"), "")

    def absolute(self, path: str) -> str:
        return "https://" + self.host.split("://", 1)[1].rstrip("/") + path

    def check(self, response) -> None:
        if response.status_code != 200:
            response.failure(f"status {response.status_code}")
        elif SIGNED_IN not in response.text or 'name="password"' in response.text:
            response.failure("not the signed-in page")
        else:
            response.success()

    def page(self, path: str, name: str) -> None:
        with self.client.get(path, name=name, catch_response=True) as response:
            self.check(response)

    @task(3)
    def dashboard(self) -> None:
        if DASHBOARD:
            self.page("/", "dashboard")
        else:
            self.participant_list()

    @task(4)
    def participant_list(self) -> None:
        self.page(LIST, "participant list")

    @task(3)
    def list_page(self) -> None:
        self.page(f"{LIST}?page={random.randint(2, self.pages)}", "participant list, page n")

    @task(3)
    def profile(self) -> None:
        self.page(f"/participants/{random.randint(*self.ids)}/", "participant profile")

    @task(2)
    def search(self) -> None:
        text = random.choice(NAME_FRAGMENTS if random.random() < 0.6 else NIK_PREFIXES)
        with self.client.post(
            LIST,
            {"q": text, "csrfmiddlewaretoken": self.csrf_token()},
            headers={"Referer": self.absolute(LIST)},
            name="search (post, then the list)",
            catch_response=True,
        ) as response:
            self.check(response)
