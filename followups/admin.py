"""The back office for follow-up: themes and corrections. Daily work, and everything
about a verksamhetsberättelse, happens in the portal's own pages (a fastställd version
cannot change at all: the database refuses it)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from followups.models import Assessment, Assignment, Dialogue, FollowUp, Theme


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    search_fields = ("name",)


@admin.register(FollowUp)
class FollowUpAdmin(SimpleHistoryAdmin):
    list_display = ("title", "year", "agreement", "body")
    list_filter = ("year",)
    raw_id_fields = ("case",)


@admin.register(Dialogue)
class DialogueAdmin(SimpleHistoryAdmin):
    list_display = ("followup", "organisation", "planned_on", "held_on")
    list_filter = ("followup__year",)


@admin.register(Assessment)
class AssessmentAdmin(SimpleHistoryAdmin):
    list_display = ("area", "organisation", "year", "score", "updated_at")
    list_filter = ("year", "organisation")


@admin.register(Assignment)
class AssignmentAdmin(SimpleHistoryAdmin):
    list_display = ("title", "owner", "due_on", "status", "given_by")
    list_filter = ("status", "given_by")
    raw_id_fields = ("paragraph", "case", "report_item")
