from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from delegation.audit import AuditedDeletionAdmin
from training.models import (
    Attendance,
    Certificate,
    ExamRequirement,
    ExamResult,
    ExamType,
    Module,
    NonTeachingDay,
    Session,
    TrainingPlan,
)


class ModuleInline(admin.TabularInline):
    model = Module
    extra = 0


@admin.register(TrainingPlan)
class TrainingPlanAdmin(admin.ModelAdmin):
    list_display = ["cohort", "start_date", "end_date", "location", "attendance_threshold"]
    list_filter = ["cohort__program", "location"]
    search_fields = ["cohort__program__name", "location"]
    list_select_related = ["cohort__program"]
    inlines = [ModuleInline]


@admin.register(Module)
class ModuleAdmin(admin.ModelAdmin):
    list_display = ["name", "plan", "kind", "planned_hours", "required", "order"]
    list_filter = ["kind", "required", "plan__cohort__program"]
    search_fields = ["name"]
    list_select_related = ["plan__cohort__program"]


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["date", "start_time", "end_time", "module", "instructor", "cancelled"]
    list_filter = ["cancelled", "module__kind", "module__plan__cohort"]
    search_fields = ["topic", "module__name", "guest_instructor"]
    date_hierarchy = "date"
    list_select_related = ["module", "instructor"]
    raw_id_fields = ["module"]


@admin.register(Attendance)
class AttendanceAdmin(AuditedDeletionAdmin, SimpleHistoryAdmin):
    list_display = ["session", "participant", "status", "note"]
    list_filter = ["status", "session__module__plan__cohort"]
    search_fields = ["participant__full_name", "note"]
    list_select_related = ["session__module", "participant"]
    raw_id_fields = ["session", "participant"]


@admin.register(NonTeachingDay)
class NonTeachingDayAdmin(admin.ModelAdmin):
    list_display = ["date", "name", "estimated"]
    list_filter = ["estimated"]
    search_fields = ["name"]
    date_hierarchy = "date"


@admin.register(ExamType)
class ExamTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "level", "rule", "pass_score", "max_score", "order"]
    list_filter = ["kind", "rule"]
    search_fields = ["name", "code", "provider"]


@admin.register(ExamRequirement)
class ExamRequirementAdmin(admin.ModelAdmin):
    list_display = ["name", "program", "order"]
    list_filter = ["program"]
    search_fields = ["name", "program__name"]
    filter_horizontal = ["exam_types"]


@admin.register(ExamResult)
class ExamResultAdmin(AuditedDeletionAdmin, SimpleHistoryAdmin):
    list_display = ["participant", "exam_type", "date", "score", "passed"]
    list_filter = ["passed", "exam_type"]
    search_fields = ["participant__full_name", "note"]
    date_hierarchy = "date"
    list_select_related = ["participant", "exam_type"]
    raw_id_fields = ["participant"]


@admin.register(Certificate)
class CertificateAdmin(AuditedDeletionAdmin, admin.ModelAdmin):
    list_display = ["number", "kind", "participant", "issued_on", "revoked_at"]
    list_filter = ["kind", "revoked_at"]
    search_fields = ["number", "participant__full_name"]
    list_select_related = ["participant"]
    readonly_fields = ["token"]
    raw_id_fields = ["participant"]
