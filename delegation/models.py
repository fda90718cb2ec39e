"""The core's models: the organisation (letterhead), background jobs, the audit log, the
counters behind official numbers and the in-app notifications.

Nothing here imports an app: the apps build on these.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.validators import RegexValidator
from django.db import models, transaction
from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from delegation.roles import sees_everything

ORGANISATION_NAME_KEY = "organisation-name"


def _forget_organisation_name(**kwargs) -> None:
    # Now, and again once the change is committed (a page read in between kept the old).
    cache.delete(ORGANISATION_NAME_KEY)
    transaction.on_commit(lambda: cache.delete(ORGANISATION_NAME_KEY))


class Organisation(models.Model):
    """The office this deployment serves; its letterhead heads every official print.

    There is one row, edited by HR staff on the Letterhead page (or by an administrator in
    the admin); every change is kept in its history.
    """

    SINGLE_ROW_ID = 1

    name = models.CharField(
        _("name"),
        max_length=200,
        help_text=_('The government, first line of the letterhead: "Pemerintah Kota Banjarmasin".'),
    )
    unit = models.CharField(
        _("unit"),
        max_length=200,
        blank=True,
        help_text=_("The office within the government, second line of the letterhead."),
    )
    address = models.TextField(_("address"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    place = models.CharField(
        _("place of signing"),
        max_length=100,
        blank=True,
        help_text=_('Printed before the date, e.g. "Banjarmasin, 18 Februari 2026".'),
    )
    logo = models.ImageField(
        _("crest"),
        upload_to="organisation/",
        blank=True,
        help_text=_("The government's crest, printed left of the name: PNG or JPEG, at most 1 MB."),
    )
    province_code = models.CharField(
        _("province code"),
        max_length=2,
        blank=True,
        validators=[RegexValidator(r"^\d{2}$", _("A province code is two digits, e.g. 63."))],
        help_text=_(
            "The Kemendagri code of the office's province, e.g. 63 for Kalimantan Selatan:"
            " its regencies and cities are offered first wherever one is picked."
        ),
    )
    document_number_format = models.CharField(
        _("document number format"),
        max_length=200,
        default="{seq:03d}/{code}/{year}",
        help_text=_("Placeholders: {seq} running number, {code} document code, {year}, {month}."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisation")
        constraints = [
            models.CheckConstraint(condition=Q(id=1), name="organisation_single_row"),
        ]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def current(cls) -> Organisation | None:
        return cls.objects.filter(pk=cls.SINGLE_ROW_ID).first()

    @classmethod
    def current_province_code(cls) -> str:
        """The office's province code ("63"), or "" when none is set."""
        return (
            cls.objects.filter(pk=cls.SINGLE_ROW_ID).values_list("province_code", flat=True).first()
            or ""
        )

    @classmethod
    def current_name(cls) -> str:
        """The name every page's footer shows, read from the cache. Saving or deleting the
        organisation (in the admin, or by loading a backup) forgets it; without a shared
        cache (no Redis) another process may show the old name for up to a minute."""
        name = cache.get(ORGANISATION_NAME_KEY)
        if name is None:
            current = cls.current()
            name = current.name if current else ""
            cache.set(ORGANISATION_NAME_KEY, name, 60)
        return name


# Signals rather than save() and delete(): they also fire for the raw saves of loaddata.
post_save.connect(_forget_organisation_name, sender=Organisation)
post_delete.connect(_forget_organisation_name, sender=Organisation)


def _subjects_visible_to(user, jobs: models.QuerySet) -> Q:
    """Jobs whose subject the user can see now: asking for a document once is no lasting right.

    A subject's model says who sees it through its own ``visible_to(user)`` (the core imports
    no app): one subquery per kind of subject, none per job. A job with no subject stays its
    requester's; a subject whose model offers no ``visible_to`` (or no longer exists) is
    seen by nobody here.
    """
    condition = Q(subject_type__isnull=True)
    type_ids = (
        jobs.exclude(subject_type=None).order_by().values_list("subject_type", flat=True).distinct()
    )
    for type_id in type_ids:
        model = ContentType.objects.get_for_id(type_id).model_class()
        visible_to = getattr(model._default_manager, "visible_to", None) if model else None
        if visible_to is None:
            continue
        condition |= Q(subject_type_id=type_id, subject_id__in=visible_to(user).values("pk"))
    return condition


class JobQuerySet(models.QuerySet):
    def live(self) -> JobQuerySet:
        return self.filter(status__in=Job.LIVE_STATUSES)

    def for_subject(self, subject: models.Model) -> JobQuerySet:
        return self.filter(
            subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk
        )

    def visible_to(self, user) -> JobQuerySet:
        if not user.is_authenticated:
            return self.none()
        if sees_everything(user):
            return self
        if not user.has_perm("delegation.view_job"):
            return self.none()
        own = self.filter(requested_by=user)
        return own.filter(_subjects_visible_to(user, own))


class Job(models.Model):
    """Long work done in the background: a generated document, an import, a report."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")
        SUPERSEDED = "superseded", _("Superseded")

    LIVE_STATUSES = (Status.QUEUED, Status.RUNNING, Status.DONE)
    # The kinds a finished or failed job of which may be made again; filled by
    # ``delegation.jobs.register_kind`` when each app's tasks module is imported.
    MADE_AGAIN_KINDS: ClassVar[set[str]] = set()

    kind = models.CharField(_("kind"), max_length=50)
    subject_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("subject type")
    )
    subject_id = models.PositiveBigIntegerField(_("subject id"), null=True, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    checksum = models.CharField(
        _("data checksum"), max_length=64, blank=True, help_text=_("SHA-256 of the data printed.")
    )
    file = models.FileField(_("file"), upload_to="jobs/%Y/%m/", blank=True)
    sha256 = models.CharField(_("file SHA-256"), max_length=64, blank=True)
    error = models.TextField(_("error"), blank=True)
    worker = models.CharField(_("worker"), max_length=200, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="jobs",
        verbose_name=_("requested by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)
    sent_at = models.DateTimeField(
        _("sent at"), null=True, blank=True, help_text=_("When the broker took the job.")
    )
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        ordering = ["-created_at"]
        permissions = [
            ("generate_documents", _("Can generate documents")),
            ("download_documents", _("Can download generated documents")),
            ("download_reports", _("Can download the programme reports of their programmes")),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="job_progress_at_most_100"),
            models.UniqueConstraint(
                fields=["kind", "subject_type", "subject_id", "checksum"],
                condition=Q(status__in=["queued", "running", "done"]),
                name="job_one_live_per_kind_subject_checksum",
            ),
            # The same for jobs of no subject (NULLs never clash in the constraint above): an
            # import keyed by its preview runs once, however many confirm it at once.
            models.UniqueConstraint(
                fields=["kind", "checksum"],
                condition=Q(subject_type__isnull=True, status__in=["queued", "running", "done"])
                & ~Q(checksum=""),
                name="job_one_live_per_kind_checksum_without_subject",
            ),
        ]
        indexes = [models.Index(fields=["subject_type", "subject_id"], name="job_subject_idx")]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.get_status_display()})"

    def start(self, *, worker: str = "") -> None:
        self.status = self.Status.RUNNING
        self.attempts += 1
        self.started_at = timezone.now()
        self.error = ""
        self.worker = worker
        self.save(update_fields=["status", "attempts", "started_at", "error", "worker"])

    @property
    def can_be_made_again(self) -> bool:
        """A finished or failed job of a kind registered as one that may be made again."""
        return self.status in {self.Status.DONE, self.Status.FAILED} and (
            self.kind in self.MADE_AGAIN_KINDS
        )

    @property
    def progress_key(self) -> str:
        # The creation time makes the key this job's alone: ids are issued again after a
        # database is restored or rebuilt, while the cache may still hold an old job's figure.
        return f"job-progress:{self.pk}:{self.created_at.timestamp():.6f}"

    def set_progress(self, percent: int) -> None:
        """Kept in the cache, not the row: the work's own transaction would hide the row's
        change from every other connection (and, on SQLite, block the write)."""
        self.progress = max(0, min(100, percent))
        cache.set(self.progress_key, self.progress, settings.CELERY_TASK_HARD_TIME_LIMIT * 2)

    @property
    def current_progress(self) -> int:
        """The progress a page shows: the cache's figure while the job runs."""
        if self.status == self.Status.RUNNING:
            return cache.get(self.progress_key, self.progress)
        return self.progress

    def finish(self, *, file_name: str = "", sha256: str = "") -> None:
        self.status = self.Status.DONE
        self.progress = 100
        if file_name:
            self.file.name = file_name
        self.sha256 = sha256
        self.finished_at = timezone.now()
        self.save(update_fields=["status", "progress", "file", "sha256", "finished_at"])

    def fail(self, reason: str) -> None:
        self.status = self.Status.FAILED
        self.error = reason
        self.finished_at = timezone.now()
        self.save(update_fields=["status", "error", "finished_at"])

    def supersede(self) -> None:
        self.status = self.Status.SUPERSEDED
        self.save(update_fields=["status"])


class AuditEvent(models.Model):
    """Who did what to whom, and when: sensitive reads, exports, imports, downloads, deletions."""

    class Action(models.TextChoices):
        VIEW_SENSITIVE = "view_sensitive", _("Viewed sensitive data")
        EXPORT = "export", _("Exported")
        IMPORT = "import", _("Imported")
        DOWNLOAD = "download", _("Downloaded")
        DELETE = "delete", _("Deleted")
        SEARCH = "search", _("Searched by number")
        REPLACE = "replace", _("Replaced with a reserve")
        REVIEW = "review", _("Reviewed a possible duplicate")

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="audit_events",
        verbose_name=_("actor"),
    )
    actor_username = models.CharField(_("username"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=30, choices=Action.choices)
    subject_type = models.ForeignKey(
        ContentType,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("subject type"),
    )
    subject_id = models.CharField(_("subject id"), max_length=64, blank=True)
    subject_repr = models.CharField(_("subject"), max_length=300, blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    detail = models.TextField(_("detail"), blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at"]
        indexes = [models.Index(fields=["subject_type", "subject_id"], name="audit_subject_idx")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_username} {self.get_action_display()}"


class DocumentCounter(models.Model):
    """The last number issued for one document code in one year."""

    code = models.CharField(_("document code"), max_length=50)
    year = models.PositiveSmallIntegerField(_("year"))
    last = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("document counter")
        verbose_name_plural = _("document counters")
        constraints = [
            models.UniqueConstraint(fields=["code", "year"], name="document_counter_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.year}: {self.last}"


class NotificationQuerySet(models.QuerySet):
    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)

    def not_emailed(self) -> NotificationQuerySet:
        return self.filter(emailed_at__isnull=True)


class Notification(models.Model):
    """A reminder shown to one user in the app."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("user"),
    )
    text = models.CharField(_("text"), max_length=300)
    link = models.CharField(_("link"), max_length=300, blank=True)
    key = models.CharField(
        _("key"), max_length=100, blank=True, help_text=_("Keeps one reminder per subject.")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    # E-mail delivery (``delegation.notifications.notifications_deliver``): when it went out,
    # or why it did not.
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)
    email_error = models.CharField(_("e-mail failure"), max_length=300, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_user_read_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key"], condition=~Q(key=""), name="notification_once_per_key"
            ),
        ]

    def __str__(self) -> str:
        return self.text
