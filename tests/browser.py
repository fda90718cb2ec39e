"""What the browser tests share: signing in as one of the ``seed_demo --demo-users`` people."""

from playwright.sync_api import Page

DEMO_PASSWORD = "demo-password"


def sign_in(page: Page, username: str) -> None:
    """Sign in through the login page, in Indonesian (the interface's default language)."""
    page.goto("/accounts/login/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Sandi").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
