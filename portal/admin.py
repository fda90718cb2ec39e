from django.contrib import admin

from portal.models import Invitation, PortalAccount


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
