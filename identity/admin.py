from __future__ import annotations

from typing import Any

from django.contrib import admin

from identity.models import ExternalIdentity


@admin.register(ExternalIdentity)
class ExternalIdentityAdmin(admin.ModelAdmin):
    """The links between accounts and identity providers: removing one makes the next
    sign-in through that provider link again by the rules (or be refused)."""

    list_display = ("user", "provider", "subject", "linked_by", "last_login_at", "last_assurance")
    list_filter = ("provider",)
    search_fields = ("user__username", "subject")
    readonly_fields = (
        "user",
        "provider",
        "subject",
        "linked_at",
        "linked_by",
        "last_login_at",
        "last_assurance",
    )

    def has_add_permission(self, request: Any) -> bool:
        return False
