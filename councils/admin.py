"""The back office. Daily work happens in the portal's own pages; the admin is for
setting up organisations, arenas, seats, people and memberships."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from councils.models import (
    Body,
    Case,
    Diarium,
    Document,
    Membership,
    Organisation,
    OrganisationRole,
    Person,
    SeatAllocation,
)


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ("name", "kind", "official_email", "self_registration")
    list_filter = ("kind", "self_registration")
    search_fields = ("name", "short_name")
    prepopulated_fields = {"slug": ("name",)}


class SeatAllocationInline(admin.TabularInline):
    model = SeatAllocation
    extra = 0


@admin.register(Body)
class BodyAdmin(SimpleHistoryAdmin):
    list_display = ("name", "kind", "organisation", "procedure", "meetings_per_year")
    list_filter = ("kind", "procedure", "organisation")
    search_fields = ("name", "short_name")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [SeatAllocationInline]


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ("last_name", "first_name", "title", "organisation", "user")
    search_fields = ("first_name", "last_name", "title")
    list_filter = ("organisation",)
    autocomplete_fields = ("user",)


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ("person", "body", "role", "represents", "start", "end")
    list_filter = ("body", "role")
    search_fields = ("person__first_name", "person__last_name", "body__name")
    autocomplete_fields = ("person", "substitute_for")


@admin.register(Diarium)
class DiariumAdmin(SimpleHistoryAdmin):
    list_display = ("prefix", "name", "body", "active")


@admin.register(Case)
class CaseAdmin(SimpleHistoryAdmin):
    list_display = ("diarienummer", "title", "status", "registered_on")
    list_filter = ("diarium", "status", "year")
    search_fields = ("diarienummer", "title", "public_title")
    readonly_fields = ("diarium", "year", "number", "diarienummer")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # New cases need a diarienummer from the service: register them in the portal.
        return False


@admin.register(Document)
class DocumentAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "kind", "direction", "document_date", "confidential")
    list_filter = ("kind", "direction", "confidential")
    search_fields = ("subject", "case__diarienummer")
    readonly_fields = ("case", "sequence", "file", "file_name", "content_type", "size", "sha256")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Documents are registered with their checked file in the portal.
        return False


@admin.register(OrganisationRole)
class OrganisationRoleAdmin(SimpleHistoryAdmin):
    list_display = ("person", "kind", "organisation")
    list_filter = ("kind", "organisation")
    autocomplete_fields = ("person",)
