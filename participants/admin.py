from django.contrib import admin, messages
from django.db import transaction
from simple_history.admin import SimpleHistoryAdmin

from delegation.admin import ReadOnlyAdmin
from delegation.audit import AuditedDeletionAdmin, AuditedReadAdmin
from participants.forms import ParticipantForm
from participants.models import (
    CheckIn,
    ConsentRecord,
    Contact,
    Contract,
    ContractSpan,
    CostItem,
    DepartureCount,
    Document,
    DocumentRequirement,
    DocumentType,
    MessageTemplate,
    Participant,
    ParticipantMix,
    ParticipantTally,
    PersonRequest,
    Region,
    Residence,
    StatusChange,
)
from participants.sensitive import can_reveal
from participants.services import SearchLimitReached, nik_search_check, search_limit_message


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "province"]
    list_filter = ["level", "province"]
    search_fields = ["code", "name"]
    list_select_related = ["province"]


@admin.register(MessageTemplate)
class MessageTemplateAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "order"]
    list_editable = ["order"]
    search_fields = ["name", "code", "text"]


@admin.register(PersonRequest)
class PersonRequestAdmin(admin.ModelAdmin):
    list_display = ["participant", "kind", "field_name", "status", "created_at"]
    list_filter = ["kind", "status"]
    search_fields = ["participant__full_name"]
    list_select_related = ["participant"]
    readonly_fields = ["created_at", "reviewed_at"]


@admin.register(DocumentType)
class DocumentTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "expiry_lead_days", "order"]
    list_editable = ["expiry_lead_days", "order"]
    search_fields = ["name", "code"]


@admin.register(DocumentRequirement)
class DocumentRequirementAdmin(admin.ModelAdmin):
    list_display = ["program", "document_type"]
    list_filter = ["program"]
    search_fields = ["program__name", "document_type__name"]


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0


class DocumentInline(admin.TabularInline):
    model = Document
    extra = 0
    fields = ["document_type", "number", "issued_on", "expires_on", "file", "replaces"]
    raw_id_fields = ["replaces"]


class StatusChangeInline(admin.TabularInline):
    model = StatusChange
    extra = 0
    fk_name = "participant"
    fields = ["kind", "from_status", "to_status", "effective_date", "reason", "historical"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


NUMBER_SEARCH_FIELDS = {"nik", "documents__number"}


@admin.register(Participant)
class ParticipantAdmin(AuditedReadAdmin, AuditedDeletionAdmin, SimpleHistoryAdmin):
    # The same form as the site's: the NIK is checked by the same function.
    form = ParticipantForm
    list_display = ["full_name", "participant_number", "cohort", "status", "track", "origin"]
    list_filter = [
        "status",
        "track",
        "gender",
        "cohort__program",
        "cohort",
        ("anonymised_at", admin.EmptyFieldListFilter),
    ]
    # Name, NIK and passport number (the site's own search is faster: see the benchmarks).
    search_fields = [
        "full_name",
        "passport_surname",
        "participant_number",
        "nik",
        "documents__number",
    ]
    list_select_related = ["cohort__program", "origin"]
    readonly_fields = ["participant_number", "status", "cohort", "departed_on"]
    inlines = [ContactInline, DocumentInline, StatusChangeInline]

    def get_search_fields(self, request):
        """By NIK and passport number only for those who may reveal them (as the site)."""
        if can_reveal(request.user):
            return self.search_fields
        return [name for name in self.search_fields if name not in NUMBER_SEARCH_FIELDS]

    def get_search_results(self, request, queryset, search_term):
        """A search that looks like a NIK is counted and logged, as the site's list does."""
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        try:
            nik_search_check(
                user=request.user,
                text=search_term,
                found=found.distinct() if may_have_duplicates else found,
            )
        except SearchLimitReached:
            self.message_user(request, search_limit_message(), messages.ERROR)
            return queryset.none(), False
        return found, may_have_duplicates


@admin.register(Document)
class DocumentAdmin(AuditedReadAdmin, AuditedDeletionAdmin, SimpleHistoryAdmin):
    list_display = ["participant", "document_type", "issued_on", "expires_on", "handled_by"]
    list_filter = ["document_type", "expires_on"]
    search_fields = ["participant__full_name"]
    list_select_related = ["participant", "document_type", "handled_by"]
    raw_id_fields = ["participant", "replaces"]


@admin.register(StatusChange)
class StatusChangeAdmin(AuditedDeletionAdmin, admin.ModelAdmin):
    list_display = [
        "participant",
        "kind",
        "from_status",
        "to_status",
        "effective_date",
        "recorded_by",
    ]
    list_filter = ["kind", "to_status", "historical"]
    search_fields = ["participant__full_name", "reason"]
    date_hierarchy = "effective_date"
    list_select_related = ["participant", "recorded_by"]
    raw_id_fields = ["participant", "from_cohort", "to_cohort"]

    # Each participant's first departure date follows the history an administrator edits.
    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            ids = {obj.participant_id, form.initial.get("participant")} - {None}
            Participant.objects.filter(pk__in=ids).refresh_departed_on()

    def delete_model(self, request, obj):
        with transaction.atomic():
            super().delete_model(request, obj)
            Participant.objects.filter(pk=obj.participant_id).refresh_departed_on()

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            ids = set(queryset.values_list("participant_id", flat=True))
            super().delete_queryset(request, queryset)
            Participant.objects.filter(pk__in=ids).refresh_departed_on()


@admin.register(Contact)
class ContactAdmin(AuditedReadAdmin, AuditedDeletionAdmin, SimpleHistoryAdmin):
    list_display = ["name", "relation", "participant", "is_emergency", "is_heir"]
    list_filter = ["relation", "is_emergency", "is_heir"]
    search_fields = ["name", "participant__full_name"]
    raw_id_fields = ["participant"]


@admin.register(CostItem)
class CostItemAdmin(AuditedDeletionAdmin, admin.ModelAdmin):
    list_display = [
        "date",
        "description",
        "program",
        "cohort",
        "category",
        "payer",
        "amount",
        "currency",
        "amount_idr",
    ]
    list_filter = ["payer", "category", "program", "is_total"]
    search_fields = ["description", "reference"]
    date_hierarchy = "date"
    list_select_related = ["program", "cohort"]
    raw_id_fields = ["participant"]


@admin.register(Contract)
class ContractAdmin(AuditedDeletionAdmin, SimpleHistoryAdmin):
    list_display = ["participant", "employer", "start_date", "end_date", "status"]
    list_filter = ["status", "participant__cohort__program"]
    search_fields = ["participant__full_name", "employer", "facility"]
    date_hierarchy = "end_date"
    list_select_related = ["participant"]
    raw_id_fields = ["participant", "continues"]


@admin.register(Residence)
class ResidenceAdmin(AuditedReadAdmin, AuditedDeletionAdmin, admin.ModelAdmin):
    list_display = ["participant", "status", "embassy_report_date"]
    list_filter = ["status"]
    search_fields = ["participant__full_name", "address"]
    raw_id_fields = ["participant"]


@admin.register(CheckIn)
class CheckInAdmin(AuditedDeletionAdmin, admin.ModelAdmin):
    list_display = [
        "participant",
        "date",
        "channel",
        "wellbeing",
        "wants_to_extend",
        "wants_family",
        "follow_up_needed",
    ]
    list_filter = ["channel", "held_by", "wants_to_extend", "wants_family", "follow_up_needed"]
    search_fields = ["participant__full_name", "concerns"]
    date_hierarchy = "date"
    list_select_related = ["participant"]
    raw_id_fields = ["participant"]


@admin.register(ConsentRecord)
class ConsentRecordAdmin(AuditedDeletionAdmin, SimpleHistoryAdmin):
    list_display = [
        "participant",
        "kind",
        "form",
        "recipient",
        "given_on",
        "withdrawn_on",
        "recorded_by",
    ]
    list_filter = ["kind", "form", "recipient", ("withdrawn_on", admin.EmptyFieldListFilter)]
    search_fields = ["participant__full_name", "scope"]
    date_hierarchy = "given_on"
    list_select_related = ["participant", "recipient", "recorded_by"]
    raw_id_fields = ["participant"]


@admin.register(ParticipantTally)
class ParticipantTallyAdmin(ReadOnlyAdmin):
    """Rows that PostgreSQL's triggers write (participants/models/tally.py)."""

    list_display = ["id", "delta"]


@admin.register(ParticipantMix)
class ParticipantMixAdmin(ReadOnlyAdmin):
    list_display = ["id", "status", "track", "gender", "education_level", "origin_id", "n"]
    list_filter = ["status", "track", "gender"]


@admin.register(DepartureCount)
class DepartureCountAdmin(ReadOnlyAdmin):
    list_display = ["id", "cohort_id", "departed_on", "n"]
    list_filter = ["departed_on"]


@admin.register(ContractSpan)
class ContractSpanAdmin(ReadOnlyAdmin):
    list_display = ["id", "cohort_id", "start_date", "last_day", "n"]
    list_filter = ["start_date"]
