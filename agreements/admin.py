"""The back office for agreements. Daily work happens in the portal's own pages."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from agreements.models import Activity, Agreement, Area, Extension, Perspective, Purpose


class AreaInline(admin.TabularInline):
    model = Area
    extra = 0
    fields = ("position", "kind", "name", "goals_from", "goals_until")


class PurposeInline(admin.TabularInline):
    model = Purpose
    extra = 0


class PerspectiveInline(admin.TabularInline):
    model = Perspective
    extra = 0


class ExtensionInline(admin.TabularInline):
    model = Extension
    extra = 0


@admin.register(Agreement)
class AgreementAdmin(SimpleHistoryAdmin):
    list_display = ("title", "kind", "valid_from", "valid_until", "responsible_body")
    list_filter = ("kind", "responsible_body")
    search_fields = ("title", "short_name")
    filter_horizontal = ("parties",)
    raw_id_fields = ("case", "adopted_in")
    inlines = [PurposeInline, AreaInline, PerspectiveInline, ExtensionInline]


@admin.register(Activity)
class ActivityAdmin(SimpleHistoryAdmin):
    list_display = ("title", "agreement", "year", "due_on", "status")
    list_filter = ("year", "status", "kind")
    raw_id_fields = ("meeting",)
