import pytest
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from delegation import roles
from delegation.roles import ROLE_PERMISSIONS, Role


def group_permissions() -> dict[str, set[str]]:
    return {
        group.name: {
            f"{p.content_type.app_label}.{p.codename}"
            for p in group.permissions.select_related("content_type")
        }
        for group in Group.objects.prefetch_related("permissions")
    }


@pytest.mark.django_db
def test_each_role_group_holds_exactly_its_permissions_after_a_fresh_migrate():
    assert group_permissions() == {role: set(perms) for role, perms in ROLE_PERMISSIONS.items()}


@pytest.mark.django_db(transaction=True)
def test_a_second_migrate_restores_exactly_the_role_permissions():
    hr_group = Group.objects.get(name=Role.HR_STAFF)
    hr_group.permissions.add(Permission.objects.get(codename="delete_user"))
    Group.objects.get(name=Role.INSTRUCTOR).delete()

    call_command("migrate", verbosity=0)

    assert group_permissions() == {role: set(perms) for role, perms in ROLE_PERMISSIONS.items()}


@pytest.mark.django_db
def test_a_role_naming_a_permission_that_does_not_exist_fails_loudly(monkeypatch):
    monkeypatch.setitem(roles.ROLE_PERMISSIONS, Role.LEADERSHIP, frozenset({"delegation.fly"}))
    with pytest.raises(ImproperlyConfigured, match="delegation.fly"):
        roles.sync_role_groups()


@pytest.mark.django_db
def test_user_has_role_reads_the_group(hr, outsider):
    assert roles.user_has_role(hr, Role.HR_STAFF)
    assert not roles.user_has_role(outsider, Role.HR_STAFF)


@pytest.mark.django_db
def test_a_users_roles_are_read_once_per_user_object(hr, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert roles.sees_everything(hr)
        assert roles.user_has_role(hr, Role.HR_STAFF)
        assert not roles.user_has_role(hr, Role.COORDINATOR)


@pytest.mark.django_db
def test_own_and_group_permissions_and_roles_come_in_one_query(hr, django_assert_num_queries):
    from django.contrib.auth import get_user_model

    own = Permission.objects.get(codename="view_auditevent")
    hr.user_permissions.add(own)
    hr = get_user_model().objects.get(pk=hr.pk)  # nothing read yet
    with django_assert_num_queries(1):
        assert hr.has_perm("delegation.view_auditevent")  # their own
        assert hr.has_perm("participants.view_participant")  # their group's
        assert not hr.has_perm("auth.delete_group")
        assert roles.sees_everything(hr)
        assert not roles.user_has_role(hr, Role.COORDINATOR)
    group_permissions = {
        f"{p.content_type.app_label}.{p.codename}"
        for p in Permission.objects.filter(group__user=hr).select_related("content_type")
    }
    assert hr.get_all_permissions() == group_permissions | {"delegation.view_auditevent"}


@pytest.mark.django_db
def test_an_inactive_user_holds_no_permission(hr):
    hr.is_active = False
    hr.save()
    assert hr.get_all_permissions() == set()
    assert not hr.has_perm("participants.view_participant")
