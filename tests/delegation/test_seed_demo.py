import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from delegation.management.commands.seed_demo import DEMO_PASSWORD
from delegation.models import Organisation

pytestmark = pytest.mark.django_db
User = get_user_model()


def test_it_creates_the_demo_accounts_with_their_roles(capsys):
    call_command("seed_demo", "--demo-users")
    roles = {u.username: list(u.groups.values_list("name", flat=True)) for u in User.objects.all()}
    assert roles == {
        "admin": [],
        "hr": ["hr_staff"],
        "coordinator": ["coordinator"],
        "leadership": ["leadership"],
        "instructor": ["instructor"],
    }
    assert User.objects.get(username="admin").is_superuser
    assert all(u.check_password(DEMO_PASSWORD) for u in User.objects.all())
    out = capsys.readouterr().out
    assert "demo-password" in out and "coordinator" in out


def test_running_it_twice_creates_no_duplicates():
    call_command("seed_demo", "--demo-users")
    call_command("seed_demo", "--demo-users")
    assert User.objects.count() == 5
    assert Organisation.objects.count() == 1


def test_it_leaves_a_changed_demo_password_alone():
    call_command("seed_demo", "--demo-users")
    hr = User.objects.get(username="hr")
    hr.set_password("changed-by-the-user-9")
    hr.save()
    call_command("seed_demo", "--demo-users")
    hr.refresh_from_db()
    assert hr.check_password("changed-by-the-user-9")


def test_with_debug_off_it_creates_no_accounts_unless_asked(settings, capsys):
    settings.DEBUG = False
    call_command("seed_demo")
    assert not User.objects.exists()
    assert "no demo accounts" in capsys.readouterr().out


def test_it_sets_up_the_citys_letterhead():
    call_command("seed_demo")
    organisation = Organisation.current()
    assert organisation.name == "Pemerintah Kota Banjarmasin"
    assert organisation.place == "Banjarmasin"
