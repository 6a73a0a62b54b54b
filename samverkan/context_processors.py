from typing import Any

from django.conf import settings
from django.http import HttpRequest

from samverkan.roles import is_secretariat


def portal(request: HttpRequest) -> dict[str, Any]:
    return {
        "site_name": settings.SAMVERKAN_SITE_NAME,
        "site_owner": settings.SAMVERKAN_OWNER,
        "user_is_secretariat": is_secretariat(getattr(request, "user", None)),
    }
