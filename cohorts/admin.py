from django.contrib import admin

from cohorts.models import (
    Agreement,
    CeremonyAttendee,
    Cohort,
    CohortAssignment,
    DepartureCeremony,
    Partner,
    Program,
    ProgramAssignment,
    ProgramSignatory,
)
from delegation.audit import AuditedDeletionAdmin


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "country", "sector", "city", "contact_person"]
    list_filter = ["country", "sector"]
    search_fields = ["name", "contact_person", "contact_email"]


class AgreementInline(admin.TabularInline):
    model = Agreement
    extra = 0
    fields = ["kind", "number", "signed_on", "valid_until", "file"]


class CohortInline(admin.TabularInline):
    model = Cohort
    extra = 0
    fields = ["number", "year", "planned_departure", "quota", "status"]
    show_change_link = True


class ProgramAssignmentInline(admin.TabularInline):
    model = ProgramAssignment
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Program)
class ProgramAdmin(AuditedDeletionAdmin, admin.ModelAdmin):
    list_display = ["name", "partner", "scheme", "destination_country", "status", "start_date"]
    list_filter = ["status", "scheme", "destination_country"]
    search_fields = ["name", "slug", "partner__name"]
    prepopulated_fields = {"slug": ["name"]}
    list_select_related = ["partner"]
    inlines = [AgreementInline, CohortInline, ProgramAssignmentInline]


@admin.register(Agreement)
class AgreementAdmin(AuditedDeletionAdmin, admin.ModelAdmin):
    list_display = ["number", "kind", "program", "signed_on", "valid_until"]
    list_filter = ["kind", "program"]
    search_fields = ["number", "program__name"]
    date_hierarchy = "signed_on"
    list_select_related = ["program"]


class CohortAssignmentInline(admin.TabularInline):
    model = CohortAssignment
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Cohort)
class CohortAdmin(AuditedDeletionAdmin, admin.ModelAdmin):
    list_display = ["__str__", "program", "year", "planned_departure", "quota", "status"]
    list_filter = ["status", "year", "program"]
    search_fields = ["program__name", "number", "year"]
    list_select_related = ["program"]
    inlines = [CohortAssignmentInline]


class CeremonyAttendeeInline(admin.TabularInline):
    model = CeremonyAttendee
    extra = 0
    fields = ["order", "name", "title", "organisation"]


@admin.register(DepartureCeremony)
class DepartureCeremonyAdmin(admin.ModelAdmin):
    list_display = ["cohort", "starts_at", "venue", "official_name", "official_position"]
    list_filter = ["cohort__program"]
    search_fields = ["venue", "official_name", "cohort__program__name"]
    date_hierarchy = "starts_at"
    list_select_related = ["cohort__program"]
    inlines = [CeremonyAttendeeInline]


@admin.register(ProgramAssignment)
class ProgramAssignmentAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "program"]
    list_filter = ["role", "program"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "program__name"]
    autocomplete_fields = ["user"]


@admin.register(CohortAssignment)
class CohortAssignmentAdmin(admin.ModelAdmin):
    list_display = ["user", "cohort"]
    list_filter = ["cohort__program"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    autocomplete_fields = ["user"]


@admin.register(CeremonyAttendee)
class CeremonyAttendeeAdmin(admin.ModelAdmin):
    list_display = ["name", "title", "organisation", "ceremony", "order"]
    list_filter = ["ceremony__cohort__program"]
    search_fields = ["name", "title", "organisation"]
    list_select_related = ["ceremony__cohort__program"]


@admin.register(ProgramSignatory)
class ProgramSignatoryAdmin(admin.ModelAdmin):
    list_display = ["program", "document", "order", "position", "name", "on_behalf_of"]
    list_filter = ["document", "program"]
    search_fields = ["name", "position"]
