"""Factories for test data, in one place for every app."""

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from delegation.models import Job

PASSWORD = "a-test-password-1234"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"User {n}")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def role(self, create, role_name, **kwargs):
        if create and role_name:
            self.groups.add(Group.objects.get(name=role_name))


class JobFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Job

    kind = "test_document"
    requested_by = factory.SubFactory(UserFactory)
