from django.contrib import admin

from delegation.audit import AuditedDeletionAdmin, AuditedReadAdmin
from welfare.models import (
    Case,
    CaseCost,
    ChecklistItem,
    Event,
    EventMember,
    FollowUp,
    Return,
    ReturnTask,
    TimelineEntry,
)


class TimelineInline(admin.TabularInline):
    model = TimelineEntry
    extra = 0
    raw_id_fields = ["by"]


class ChecklistInline(admin.TabularInline):
    model = ChecklistItem
    extra = 0


class CaseCostInline(admin.TabularInline):
    model = CaseCost
    extra = 0
    raw_id_fields = ["cost_item"]


@admin.register(Case)
class CaseAdmin(AuditedDeletionAdmin, AuditedReadAdmin, admin.ModelAdmin):
    list_display = ["participant", "kind", "severity", "status", "opened_at", "owner", "outcome"]
    list_filter = ["status", "severity", "kind", "outcome"]
    search_fields = ["participant__full_name", "participant__participant_number"]
    list_select_related = ["participant", "owner"]
    raw_id_fields = ["participant", "owner", "opened_by", "check_in"]
    date_hierarchy = "opened_at"
    inlines = [TimelineInline, ChecklistInline, CaseCostInline]


@admin.register(TimelineEntry)
class TimelineEntryAdmin(AuditedDeletionAdmin, admin.ModelAdmin):
    list_display = ["case", "at", "with_whom", "by", "next_due"]
    list_filter = ["with_whom"]
    search_fields = ["case__participant__full_name", "action"]
    list_select_related = ["case__participant", "by"]
    raw_id_fields = ["case", "by"]


@admin.register(CaseCost)
class CaseCostAdmin(AuditedDeletionAdmin, admin.ModelAdmin):
    list_display = ["case", "cost_item"]
    search_fields = ["case__participant__full_name", "cost_item__description"]
    list_select_related = ["case__participant", "cost_item"]
    raw_id_fields = ["case", "cost_item"]


@admin.register(ChecklistItem)
class ChecklistItemAdmin(admin.ModelAdmin):
    list_display = ["case", "kind", "done_on"]
    list_filter = ["kind"]
    search_fields = ["case__participant__full_name"]
    list_select_related = ["case__participant"]
    raw_id_fields = ["case"]


class EventMemberInline(admin.TabularInline):
    model = EventMember
    extra = 0
    raw_id_fields = ["participant", "recorded_by", "case"]


@admin.register(Event)
class EventAdmin(AuditedDeletionAdmin, admin.ModelAdmin):
    list_display = ["name", "occurred_on", "country", "status"]
    list_filter = ["status", "country"]
    search_fields = ["name"]
    inlines = [EventMemberInline]


@admin.register(EventMember)
class EventMemberAdmin(admin.ModelAdmin):
    list_display = ["event", "participant", "group", "result", "checked_at"]
    list_filter = ["group", "result", "event"]
    search_fields = ["participant__full_name"]
    list_select_related = ["event", "participant"]
    raw_id_fields = ["event", "participant", "recorded_by", "case"]


@admin.register(Return)
class ReturnAdmin(AuditedDeletionAdmin, admin.ModelAdmin):
    list_display = ["participant", "kind", "returned_on", "journey_paid_by"]
    list_filter = ["kind", "journey_paid_by"]
    search_fields = ["participant__full_name"]
    list_select_related = ["participant"]
    raw_id_fields = ["participant", "case", "recorded_by"]


@admin.register(ReturnTask)
class ReturnTaskAdmin(admin.ModelAdmin):
    list_display = ["participant", "kind", "due_on", "done_on"]
    list_filter = ["kind"]
    search_fields = ["participant__full_name"]
    list_select_related = ["participant"]
    raw_id_fields = ["participant", "contract"]


@admin.register(FollowUp)
class FollowUpAdmin(admin.ModelAdmin):
    list_display = ["participant", "months", "due_on", "filled_on", "activity"]
    list_filter = ["months", "activity", "willing_to_mentor"]
    search_fields = ["participant__full_name"]
    list_select_related = ["participant"]
    raw_id_fields = ["participant", "filled_by"]
