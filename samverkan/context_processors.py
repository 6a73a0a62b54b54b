from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from base.roles import is_secretariat


def portal(request: HttpRequest) -> dict[str, Any]:
    return {
        "site_name": settings.SAMVERKAN_SITE_NAME,
        "site_owner": settings.SAMVERKAN_OWNER,
        "user_is_secretariat": is_secretariat(getattr(request, "user", None)),
        "record_lang": record_lang(),
    }


def record_lang() -> SafeString:
    """The ``lang`` attribute of an element holding a record's text, written in the
    portal's language (Swedish), when the interface speaks another (WCAG 2.1 3.1.2,
    language of parts); nothing when they agree."""
    if get_language() == settings.LANGUAGE_CODE:
        return mark_safe("")
    return mark_safe(f' lang="{settings.LANGUAGE_CODE}"')  # noqa: S308 - from the settings
