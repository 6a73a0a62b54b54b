"""The authentication backend: Django's ModelBackend, with fewer queries per request.

Every logged-in request loads its user; with the user comes their person record (one
join instead of a second query, which ``councils.selectors.viewer_person`` then
reads), and a permission check reads the user's own and their groups' permissions in
one query instead of two. The rules are ModelBackend's."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.db.models import Q


class PortalBackend(ModelBackend):
    def get_user(self, user_id: Any) -> Any:
        user_model = get_user_model()
        try:
            user: Any = user_model._default_manager.select_related("person").get(pk=user_id)
        except user_model.DoesNotExist:
            return None
        if not self.user_can_authenticate(user):
            return None
        try:
            user._samverkan_person = user.person
        except user_model.person.RelatedObjectDoesNotExist:
            user._samverkan_person = None
        return user

    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            permissions = Permission.objects.all()
            if not user_obj.is_superuser:
                permissions = permissions.filter(Q(user=user_obj) | Q(group__user=user_obj))
            user_obj._perm_cache = {
                f"{app}.{codename}"
                for app, codename in permissions.values_list(
                    "content_type__app_label", "codename"
                ).distinct()
            }
        return set(user_obj._perm_cache)
