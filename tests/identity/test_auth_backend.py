"""The authentication backend loads a request's user with their person record, and a
permission check costs one query: the rules stay ModelBackend's."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Permission

from base.roles import is_secretariat
from councils.selectors import viewer_person
from samverkan.auth import PortalBackend
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_user_person_and_permissions_in_two_queries(
    world: dict[str, Any], django_assert_num_queries: Any
) -> None:
    backend = PortalBackend()
    member = world["member_a"]
    with django_assert_num_queries(1):
        user = backend.get_user(member.pk)
        assert viewer_person(user) == member.person
    with django_assert_num_queries(1):
        assert not is_secretariat(user)
        assert not is_secretariat(user)
    secretariat = backend.get_user(world["secretariat"].pk)
    with django_assert_num_queries(1):
        assert is_secretariat(secretariat)
        assert viewer_person(secretariat) is None


def test_permissions_from_the_user_and_from_groups_both_count(world: dict[str, Any]) -> None:
    backend = PortalBackend()
    user = UserFactory()
    assert viewer_person(backend.get_user(user.pk)) is None
    user.user_permissions.add(Permission.objects.get(codename="manage_records"))
    assert is_secretariat(backend.get_user(user.pk))
    user.is_active = False
    user.save()
    assert backend.get_user(user.pk) is None
