from django.contrib import admin

from portal.models import (
    ApplicationDraft,
    DraftDocument,
    DuplicateReview,
    EmailVerification,
    Invitation,
    PortalAccount,
)


@admin.register(PortalAccount)
class PortalAccountAdmin(admin.ModelAdmin):
    list_display = ["participant", "user", "created_at"]
    search_fields = ["participant__full_name", "user__username"]
    list_select_related = ["participant", "user"]
    raw_id_fields = ["participant", "user"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Invitations are made from the profile page or the command; here they are read."""

    list_display = ["participant", "email", "created_at", "expires_at", "used_at", "emailed_at"]
    list_filter = ["used_at"]
    search_fields = ["participant__full_name", "email"]
    list_select_related = ["participant"]
    readonly_fields = ["token_digest", "created_by", "created_at", "used_at"]

    def has_add_permission(self, request):
        return False


@admin.register(EmailVerification)
class EmailVerificationAdmin(admin.ModelAdmin):
    """Links sent to self-registered applicants; read only (the token is never stored)."""

    list_display = ["user", "created_at", "expires_at", "used_at"]
    list_filter = ["used_at"]
    search_fields = ["user__username"]
    list_select_related = ["user"]
    readonly_fields = ["user", "token_digest", "created_at", "expires_at", "used_at"]

    def has_add_permission(self, request):
        return False


class DraftDocumentInline(admin.TabularInline):
    model = DraftDocument
    extra = 0
    readonly_fields = ["name", "file", "uploaded_at"]


@admin.register(ApplicationDraft)
class ApplicationDraftAdmin(admin.ModelAdmin):
    list_display = ["user", "call", "status", "updated_at", "submitted_at", "application"]
    list_filter = ["status", "call"]
    search_fields = ["user__username", "application__registration_number"]
    list_select_related = ["user", "call", "application"]
    raw_id_fields = ["user", "application"]
    readonly_fields = ["consent_version", "consented_at", "submitted_at"]
    inlines = [DraftDocumentInline]


@admin.register(DraftDocument)
class DraftDocumentAdmin(admin.ModelAdmin):
    list_display = ["draft", "name", "uploaded_at"]
    search_fields = ["draft__user__username", "name"]
    list_select_related = ["draft__user", "draft__call"]
    raw_id_fields = ["draft"]


@admin.register(DuplicateReview)
class DuplicateReviewAdmin(admin.ModelAdmin):
    """Decided on the staff's queue (/possible-duplicates/); here they are read."""

    list_display = ["draft", "status", "created_at", "decided_by", "decided_at"]
    list_filter = ["status"]
    search_fields = ["draft__user__username", "note"]
    list_select_related = ["draft__user", "draft__call", "decided_by"]
    raw_id_fields = ["draft", "same_call", "participant", "decided_by"]
    filter_horizontal = ["other_applications"]
    readonly_fields = ["decided_by", "decided_at"]
