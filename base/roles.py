"""Who a user is to the portal. The single source of the role rules.

Roles: the public (anonymous), a logged-in user, a kommun user (their person belongs
to a kommun), a council member (active membership of a body), secretariat staff
(the ``councils.manage_records`` permission, given by the Sekretariat group) and
administrators (superusers).
"""

from __future__ import annotations

from django.db.models import Q

from base.actors import Viewer

SECRETARIAT_PERMISSION = "councils.manage_records"
SECRETARIAT_GROUP = "Sekretariat"


def is_secretariat(user: Viewer) -> bool:
    """Secretariat staff and administrators keep the records and see everything."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and (user.is_superuser or user.has_perm(SECRETARIAT_PERMISSION))
    )


def secretariat_q() -> Q:
    """``is_secretariat`` in the database, for user rows: active, and a superuser or
    holding the permission directly or through a group. Use with ``.distinct()``."""
    app_label, codename = SECRETARIAT_PERMISSION.split(".")
    return Q(is_active=True) & (
        Q(is_superuser=True)
        | Q(
            groups__permissions__content_type__app_label=app_label,
            groups__permissions__codename=codename,
        )
        | Q(
            user_permissions__content_type__app_label=app_label,
            user_permissions__codename=codename,
        )
    )
