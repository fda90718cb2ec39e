from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from delegation.forms import LetterheadForm
from delegation.models import AuditEvent, DocumentCounter, Job, Notification, Organisation
from delegation.twofactor import reset_devices

User = get_user_model()


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    """The same checks as the Letterhead page; "History" lists every change."""

    form = LetterheadForm
    list_display = ["name", "unit", "place", "document_number_format"]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not Organisation.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        obj.pk = Organisation.SINGLE_ROW_ID
        super().save_model(request, obj, form, change)


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["id", "kind", "status", "progress", "attempts", "requested_by", "created_at"]
    list_filter = ["status", "kind", "created_at"]
    search_fields = ["kind", "error", "requested_by__username"]
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in Job._meta.fields]

    def has_add_permission(self, request):
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows the application writes itself: administrators read them, nobody edits them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor_username", "action", "subject_type", "subject_repr", "detail"]
    list_filter = [
        "action",
        ("actor", admin.RelatedOnlyFieldListFilter),
        ("subject_type", admin.RelatedOnlyFieldListFilter),
        "at",
    ]
    search_fields = ["actor_username", "subject_repr", "subject_id", "detail"]
    date_hierarchy = "at"
    list_select_related = ["subject_type"]
    readonly_fields = [field.name for field in AuditEvent._meta.fields]


admin.site.unregister(User)


@admin.register(User)
class AccountAdmin(UserAdmin):
    list_display = ["username", "first_name", "last_name", "email", "is_active", "is_superuser"]
    list_filter = ["is_active", "is_superuser", "groups"]
    actions = ["deactivate", "activate", "reset_two_factor"]

    @admin.action(description=_("Deactivate the selected accounts"), permissions=["change"])
    def deactivate(self, request, queryset):
        count = queryset.exclude(pk=request.user.pk).update(is_active=False)
        self.message_user(
            request,
            ngettext("%(count)d account deactivated.", "%(count)d accounts deactivated.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Activate the selected accounts"), permissions=["change"])
    def activate(self, request, queryset):
        count = queryset.update(is_active=True)
        self.message_user(
            request,
            ngettext("%(count)d account activated.", "%(count)d accounts activated.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Reset two-factor sign-in"), permissions=["change"])
    def reset_two_factor(self, request, queryset):
        """For a lost phone: the user sets up a new authenticator at the next sign-in."""
        reset_devices(queryset)
        count = queryset.count()
        self.message_user(
            request,
            ngettext(
                "Two-factor sign-in reset for %(count)d account.",
                "Two-factor sign-in reset for %(count)d accounts.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(DocumentCounter)
class DocumentCounterAdmin(admin.ModelAdmin):
    list_display = ["code", "year", "last"]
    list_filter = ["year"]
    search_fields = ["code"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["user", "text", "created_at", "read_at"]
    list_filter = ["read_at", "created_at"]
    search_fields = ["user__username", "text"]
