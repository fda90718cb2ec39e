from django.contrib import admin

from delegation.audit import AuditedDeletionAdmin, AuditedReadAdmin
from recruitment.models import (
    Application,
    ApplicationDocument,
    Call,
    CommitteeMember,
    ConflictDeclaration,
    Objection,
    Replacement,
    Score,
    ScoreChange,
    Stage,
)


class StageInline(admin.TabularInline):
    model = Stage
    extra = 0


class CommitteeMemberInline(admin.TabularInline):
    model = CommitteeMember
    extra = 0
    raw_id_fields = ["user"]
    filter_horizontal = ["stages"]


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    list_display = ["title", "number", "program", "cohort", "opens_at", "closes_at", "status"]
    list_filter = ["status", "program"]
    search_fields = ["title", "number"]
    list_select_related = ["program", "cohort"]
    filter_horizontal = ["regions"]
    inlines = [StageInline, CommitteeMemberInline]


@admin.register(Stage)
class StageAdmin(admin.ModelAdmin):
    list_display = ["name", "call", "order", "kind", "scoring", "weight", "pass_mark", "locked_at"]
    list_filter = ["kind", "scoring", "call"]
    search_fields = ["name", "call__title"]
    list_select_related = ["call"]


@admin.register(CommitteeMember)
class CommitteeMemberAdmin(admin.ModelAdmin):
    list_display = ["name", "position", "call", "user", "pact_signed_at"]
    list_filter = ["position", "call"]
    search_fields = ["name", "institution", "call__title"]
    list_select_related = ["call", "user"]
    raw_id_fields = ["user"]


class ApplicationDocumentInline(admin.TabularInline):
    model = ApplicationDocument
    extra = 0


@admin.register(Application)
class ApplicationAdmin(AuditedReadAdmin, AuditedDeletionAdmin, admin.ModelAdmin):
    list_display = [
        "registration_number",
        "full_name",
        "call",
        "track",
        "channel",
        "admin_status",
        "outcome",
        "rank",
    ]
    list_filter = ["channel", "track", "admin_status", "outcome", "call"]
    search_fields = ["registration_number", "full_name"]
    list_select_related = ["call"]
    raw_id_fields = ["participant", "ktp_regency", "domicile_regency"]
    inlines = [ApplicationDocumentInline]


@admin.register(ApplicationDocument)
class ApplicationDocumentAdmin(AuditedDeletionAdmin, admin.ModelAdmin):
    list_display = ["name", "application", "uploaded_at"]
    search_fields = ["name", "application__full_name", "application__registration_number"]
    list_select_related = ["application"]
    raw_id_fields = ["application"]


@admin.register(ConflictDeclaration)
class ConflictDeclarationAdmin(admin.ModelAdmin):
    list_display = ["member", "application", "relation", "declared_at"]
    search_fields = ["member__name", "application__full_name", "relation"]
    list_select_related = ["member", "application"]
    raw_id_fields = ["member", "application"]


@admin.register(Score)
class ScoreAdmin(admin.ModelAdmin):
    list_display = ["application", "stage", "member", "value", "passed", "entered_by"]
    list_filter = ["stage__call", "stage"]
    search_fields = ["application__full_name", "member__name"]
    list_select_related = ["application", "stage", "member", "entered_by"]
    raw_id_fields = ["application", "stage", "member", "entered_by"]


@admin.register(ScoreChange)
class ScoreChangeAdmin(admin.ModelAdmin):
    list_display = ["score", "old_value", "new_value", "after_lock", "changed_by", "changed_at"]
    list_filter = ["after_lock"]
    search_fields = ["score__application__full_name", "reason"]
    raw_id_fields = ["score", "changed_by"]


@admin.register(Objection)
class ObjectionAdmin(admin.ModelAdmin):
    list_display = ["application", "call", "received_on", "verdict", "answered_on"]
    list_filter = ["verdict", "call"]
    search_fields = ["application__full_name", "text", "answer"]
    list_select_related = ["application", "call"]
    raw_id_fields = ["application", "recorded_by", "answered_by"]


@admin.register(Replacement)
class ReplacementAdmin(admin.ModelAdmin):
    list_display = ["call", "withdrawn", "reserve", "by", "at"]
    search_fields = ["withdrawn__full_name", "reserve__full_name", "reason"]
    raw_id_fields = ["withdrawn", "reserve", "by"]
