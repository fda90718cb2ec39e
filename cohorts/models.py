"""Partners, programmes and their agreements, batches (angkatan), departure ceremonies,
and the assignments that limit staff to their programmes and batches."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, router
from django.db.models import ProtectedError, Q, RestrictedError
from django.db.models.deletion import Collector
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from delegation.formatting import person_name, roman
from delegation.roles import Role, sees_everything

# A programme's contract length unless it says otherwise, and that of a contract signed by
# someone in no batch.
DEFAULT_CONTRACT_YEARS = 5


class CostCategory(models.TextChoices):
    """The one list of cost categories; ceremony, monitoring and staff are the city's own."""

    LANGUAGE_TRAINING = "language_training", _("Language training")
    EXAMS = "exams", _("Exams")
    AIRFARE = "airfare", _("Airfare")
    VISA_AND_DOCUMENTS = "visa_documents", _("Visa and documents")
    MEDICAL = "medical", _("Medical")
    ACCOMMODATION = "accommodation", _("Accommodation")
    ALLOWANCE = "allowance", _("Allowance")
    DEPARTURE = "departure", _("Departure")
    CEREMONY = "ceremony", _("Ceremony")
    MONITORING = "monitoring", _("Monitoring")
    STAFF = "staff", _("Staff")
    TREATMENT_ABROAD = "treatment_abroad", _("Treatment abroad")
    REPATRIATION = "repatriation", _("Repatriation")
    FAMILY_TRAVEL = "family_travel", _("Family travel")
    OTHER = "other", _("Other")


OPERATING_CATEGORIES = frozenset(
    {CostCategory.CEREMONY, CostCategory.MONITORING, CostCategory.STAFF}
)


class PartnerQuerySet(models.QuerySet):
    def visible_to(self, user) -> PartnerQuerySet:
        if not user.is_authenticated:
            return self.none()
        if sees_everything(user):
            return self
        return self.filter(pk__in=Program.objects.visible_to(user).values("partner_id"))


class Partner(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    country = models.CharField(_("country"), max_length=100)
    sector = models.CharField(_("sector"), max_length=100, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    contact_person = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    notes = models.TextField(_("notes"), blank=True)

    objects = PartnerQuerySet.as_manager()

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ProgramQuerySet(models.QuerySet):
    def visible_to(self, user) -> ProgramQuerySet:
        if not user.is_authenticated:
            return self.none()
        if sees_everything(user):
            return self
        # Subqueries rather than joins: no DISTINCT, and plans that stay fast when the rows
        # seen are counted in the hundred thousands.
        return self.filter(
            Q(pk__in=ProgramAssignment.objects.filter(user=user).values("program_id"))
            | Q(
                pk__in=Cohort.objects.filter(instructor_assignments__user=user).values("program_id")
            )
        )

    def active(self) -> ProgramQuerySet:
        return self.exclude(status=Program.Status.CLOSED)

    def search(self, text: str) -> ProgramQuerySet:
        if not text:
            return self
        return self.filter(Q(name__icontains=text) | Q(partner__name__icontains=text))


class Program(models.Model):
    """A cooperation scheme with one partner (Program Kerja Sama) and its terms."""

    class Scheme(models.TextChoices):
        G_TO_B = "g2b", _("Government-to-Business (G-to-B)")
        G_TO_G = "g2g", _("Government-to-Government (G-to-G)")
        B_TO_B = "b2b", _("Business-to-Business (B-to-B)")
        PRIVATE = "private", _("Private")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        FINAL_INTAKE = "final_intake", _("Final intake")
        ADJUSTED = "adjusted", _("Being adjusted")
        CLOSED = "closed", _("Closed")

    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="programs", verbose_name=_("partner")
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    scheme = models.CharField(_("scheme"), max_length=10, choices=Scheme.choices)
    sector = models.CharField(_("sector"), max_length=100)
    destination_country = models.CharField(_("destination country"), max_length=100)
    contract_years = models.PositiveSmallIntegerField(
        _("contract length (years)"), default=DEFAULT_CONTRACT_YEARS
    )
    training_months = models.PositiveSmallIntegerField(_("training length (months)"), default=12)
    sponsor_covers = models.JSONField(
        _("costs the sponsor covers"),
        default=list,
        blank=True,
        help_text=_("The cost categories the sponsor pays for."),
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    # Shown at once to a participant abroad who asks for help through the portal.
    emergency_hotline_name = models.CharField(
        _("embassy or consulate"),
        max_length=120,
        blank=True,
        help_text=_("e.g. KBRI Tokyo — hotline for citizens"),
    )
    emergency_hotline = models.CharField(
        _("embassy or consulate hotline"), max_length=30, blank=True
    )
    coordinator_phone = models.CharField(
        _("coordinator's emergency number"), max_length=30, blank=True
    )
    notes = models.TextField(_("notes"), blank=True)

    objects = ProgramQuerySet.as_manager()

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(contract_years__gte=1), name="program_contract_at_least_one_year"
            ),
            models.CheckConstraint(
                condition=Q(training_months__gte=1), name="program_training_at_least_one_month"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("program_overview", args=[self.slug])

    def clean(self) -> None:
        unknown = set(self.sponsor_covers or []) - set(CostCategory.values)
        if unknown:
            raise ValidationError({"sponsor_covers": gettext("Unknown cost category.")})

    def get_sponsor_covers_display(self) -> list[str]:
        labels = dict(CostCategory.choices)
        return [labels[c] for c in CostCategory.values if c in (self.sponsor_covers or [])]


class AgreementQuerySet(models.QuerySet):
    def visible_to(self, user) -> AgreementQuerySet:
        return self.filter(program__in=Program.objects.visible_to(user))

    def expiring(self, *, today: datetime.date, within_days: int = 183) -> AgreementQuerySet:
        return self.filter(
            valid_until__gte=today, valid_until__lte=today + datetime.timedelta(days=within_days)
        )


class Agreement(models.Model):
    """A memorandum of understanding, a cooperation agreement (PKS) or an addendum."""

    class Kind(models.TextChoices):
        MOU = "mou", _("Memorandum of understanding (MoU)")
        PKS = "pks", _("Cooperation agreement (PKS)")
        ADDENDUM = "addendum", _("Addendum")

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="agreements", verbose_name=_("programme")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    number = models.CharField(_("number"), max_length=100)
    signed_on = models.DateField(_("signed on"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    file = models.FileField(_("file"), upload_to="agreements/%Y/", blank=True)
    notes = models.TextField(_("notes"), blank=True)

    objects = AgreementQuerySet.as_manager()

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["-signed_on"]
        permissions = [("download_agreement", _("Can download agreement files"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("signed_on")),
                name="agreement_valid_after_signing",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"

    def clean(self) -> None:
        if self.valid_until and self.signed_on and self.valid_until < self.signed_on:
            raise ValidationError(
                {"valid_until": gettext("An agreement cannot end before it is signed.")}
            )

    def is_expired(self, today: datetime.date) -> bool:
        return self.valid_until is not None and self.valid_until < today

    def is_expiring(self, today: datetime.date, within_days: int = 183) -> bool:
        return (
            self.valid_until is not None
            and today <= self.valid_until <= today + datetime.timedelta(days=within_days)
        )


class CohortQuerySet(models.QuerySet):
    def visible_to(self, user) -> CohortQuerySet:
        if not user.is_authenticated:
            return self.none()
        if sees_everything(user):
            return self
        return self.filter(
            Q(program_id__in=ProgramAssignment.objects.filter(user=user).values("program_id"))
            | Q(pk__in=CohortAssignment.objects.filter(user=user).values("cohort_id"))
        )

    def of_program(self, program: Program) -> CohortQuerySet:
        return self.filter(program=program)


class Cohort(models.Model):
    """Batch number N (angkatan) of one programme."""

    class Status(models.TextChoices):
        RECRUITING = "recruiting", _("Recruiting")
        TRAINING = "training", _("In training")
        READY = "ready", _("Ready to depart")
        DEPARTED = "departed", _("Departed")
        CLOSED = "closed", _("Closed")

    # The moves a batch may make, and back: a batch's own guards decide the rest.
    MOVES = {
        Status.RECRUITING: [Status.TRAINING],
        Status.TRAINING: [Status.READY, Status.RECRUITING],
        Status.READY: [Status.DEPARTED, Status.TRAINING],
        Status.DEPARTED: [Status.CLOSED],
        Status.CLOSED: [],
    }

    program = models.ForeignKey(
        Program, on_delete=models.PROTECT, related_name="cohorts", verbose_name=_("programme")
    )
    number = models.PositiveSmallIntegerField(_("batch number"))
    year = models.PositiveSmallIntegerField(_("year"))
    planned_departure = models.DateField(_("planned departure"), null=True, blank=True)
    quota = models.PositiveSmallIntegerField(_("quota"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.RECRUITING
    )
    notes = models.TextField(_("notes"), blank=True)

    objects = CohortQuerySet.as_manager()

    class Meta:
        verbose_name = _("batch")
        verbose_name_plural = _("batches")
        ordering = ["program__name", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "number"], name="cohort_unique_number_per_program"
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="cohort_number_from_one"),
            models.CheckConstraint(
                condition=Q(year__gte=2000) & Q(year__lte=2100), name="cohort_year_plausible"
            ),
        ]
        indexes = [models.Index(fields=["year", "status"], name="cohort_year_status_idx")]

    def __str__(self) -> str:
        return self.name_of(self.number, self.year)

    def get_absolute_url(self) -> str:
        return reverse("cohort_overview", args=[self.pk])

    @staticmethod
    def name_of(number: int, year: int) -> str:
        """A batch's name from its number and year, without the batch itself."""
        return gettext("Batch %(number)s (%(year)s)") % {"number": roman(number), "year": year}

    @property
    def deletable(self) -> bool:
        """Whether deleting the batch would go through: nothing that protects it (its
        participants, above all) refers to it. Asked of the same collector ``delete()`` uses."""
        try:
            Collector(using=router.db_for_write(Cohort)).collect([self])
        except (ProtectedError, RestrictedError):
            return False
        return True

    @property
    def roman_number(self) -> str:
        return roman(self.number)

    @property
    def plan(self):
        """The batch's training plan (``cohort.training_plan``, kept by the training app),
        None before one is made; read once and kept on the batch."""
        return getattr(self, "training_plan", None)

    def move_blocker(self, status: str, *, today: datetime.date) -> str | None:
        """Why the batch cannot move to ``status`` today, or None when it can."""
        if status not in self.MOVES[self.status]:
            return gettext("A batch cannot go from “%(current)s” to “%(target)s”.") % {
                "current": self.get_status_display(),
                "target": Cohort.Status(status).label,
            }
        if status == self.Status.DEPARTED:
            ceremony = getattr(self, "ceremony", None)
            if ceremony is None:
                return gettext("Record the departure ceremony first.")
            if timezone.localdate(ceremony.starts_at) > today:
                return gettext("The batch cannot depart before its ceremony on %(date)s.") % {
                    "date": ceremony.local_date()
                }
        return None

    def allowed_moves(self, *, today: datetime.date) -> list[str]:
        return [s for s in self.MOVES[self.status] if self.move_blocker(s, today=today) is None]

    def move_to(self, status: str, *, today: datetime.date) -> None:
        blocker = self.move_blocker(status, today=today)
        if blocker:
            raise ValidationError(blocker)
        self.status = status
        self.save(update_fields=["status"])


class DepartureCeremony(models.Model):
    """The release ceremony (acara pelepasan) of one batch."""

    cohort = models.OneToOneField(
        Cohort, on_delete=models.CASCADE, related_name="ceremony", verbose_name=_("batch")
    )
    starts_at = models.DateTimeField(_("starts at"))
    venue = models.CharField(_("venue"), max_length=200)
    official_name = models.CharField(
        _("releasing official"), max_length=200, help_text=_("Name with titles, e.g. Hj. Ananda.")
    )
    official_title = models.CharField(
        _("official's title"), max_length=100, blank=True, help_text=_("e.g. Dr., S.E., M.M.")
    )
    official_position = models.CharField(_("official's position"), max_length=200)
    on_behalf_of_name = models.CharField(
        _("on behalf of"), max_length=200, blank=True, help_text=_("e.g. H. Muhammad Yamin HR")
    )
    on_behalf_of_title = models.CharField(
        _("position of the person represented"),
        max_length=200,
        blank=True,
        help_text=_("e.g. Wali Kota Banjarmasin"),
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("departure ceremony")
        verbose_name_plural = _("departure ceremonies")

    def __str__(self) -> str:
        return gettext("Departure ceremony of %(cohort)s") % {"cohort": self.cohort}

    def local_date(self) -> datetime.date:
        return timezone.localdate(self.starts_at)


class CeremonyAttendee(models.Model):
    """An official present at the ceremony, in the order they are named."""

    ceremony = models.ForeignKey(
        DepartureCeremony,
        on_delete=models.CASCADE,
        related_name="attendees",
        verbose_name=_("ceremony"),
    )
    name = models.CharField(_("name"), max_length=200)
    title = models.CharField(_("position"), max_length=200, blank=True)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("ceremony attendee")
        verbose_name_plural = _("ceremony attendees")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name


class ProgramAssignmentQuerySet(models.QuerySet):
    def visible_to(self, user) -> ProgramAssignmentQuerySet:
        return self.filter(program__in=Program.objects.visible_to(user))


class ProgramAssignment(models.Model):
    """A coordinator or a member of leadership assigned to a programme."""

    ROLES = [
        (Role.COORDINATOR.value, Role.COORDINATOR.label),
        (Role.LEADERSHIP.value, Role.LEADERSHIP.label),
    ]

    program = models.ForeignKey(
        Program,
        on_delete=models.CASCADE,
        related_name="staff_assignments",
        verbose_name=_("programme"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="program_assignments",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=20, choices=ROLES)

    objects = ProgramAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("programme assignment")
        verbose_name_plural = _("programme assignments")
        ordering = ["role", "user__username"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "user"], name="program_assignment_unique_user"
            ),
        ]

    def __str__(self) -> str:
        return f"{person_name(self.user)} · {self.get_role_display()} · {self.program}"


class CohortAssignmentQuerySet(models.QuerySet):
    def visible_to(self, user) -> CohortAssignmentQuerySet:
        return self.filter(cohort__in=Cohort.objects.visible_to(user))


class CohortAssignment(models.Model):
    """An instructor assigned to a batch."""

    cohort = models.ForeignKey(
        Cohort,
        on_delete=models.CASCADE,
        related_name="instructor_assignments",
        verbose_name=_("batch"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="cohort_assignments",
        verbose_name=_("instructor"),
    )

    objects = CohortAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("instructor assignment")
        verbose_name_plural = _("instructor assignments")
        ordering = ["user__username"]
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "user"], name="cohort_assignment_unique_user"
            ),
        ]

    def __str__(self) -> str:
        return f"{person_name(self.user)} · {self.cohort}"


class ProgramSignatoryQuerySet(models.QuerySet):
    def signing(self, program: Program, document: str) -> ProgramSignatoryQuerySet:
        """Who signs this kind of document of this programme, in their order."""
        return self.filter(program=program, document=document)

    def blocks(self) -> list[dict]:
        """The signature blocks a print shows, left to right: position, name with titles,
        rank/grade, NIP and "a.n." when signing on someone's behalf."""
        return [
            {
                "position": s.position,
                "name": s.name,
                "rank": s.rank,
                "nip": s.nip,
                "on_behalf_of": s.on_behalf_of,
            }
            for s in self
        ]


class ProgramSignatory(models.Model):
    """Who signs a kind of document of a programme, in order (left to right)."""

    class Document(models.TextChoices):
        ROSTER = "roster", _("Participant roster (Daftar Peserta)")
        SIGN_IN = "sign_in", _("Sign-in sheet (Daftar Hadir)")
        HANDOVER = "handover", _("Handover minutes (Berita Acara Serah Terima)")
        TRAINING_CERTIFICATE = "training_certificate", _("Training certificate")
        AMBASSADOR_CHARTER = "ambassador_charter", _("Duta Budaya Banjar charter")

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="signatories", verbose_name=_("programme")
    )
    document = models.CharField(_("document"), max_length=30, choices=Document.choices)
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    position = models.CharField(
        _("position"), max_length=200, help_text=_("e.g. Sekretaris Daerah Kota Banjarmasin")
    )
    name = models.CharField(_("name with titles"), max_length=200)
    rank = models.CharField(
        _("rank/grade"), max_length=100, blank=True, help_text=_("e.g. Pembina Utama Madya (IV/d)")
    )
    nip = models.CharField(_("NIP"), max_length=21, blank=True)
    on_behalf_of = models.CharField(
        _("on behalf of"),
        max_length=200,
        blank=True,
        help_text=_("e.g. Wali Kota Banjarmasin: printed as “a.n. Wali Kota Banjarmasin”."),
    )

    objects = ProgramSignatoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("programme signatory")
        verbose_name_plural = _("programme signatories")
        ordering = ["document", "order"]

    def __str__(self) -> str:
        return f"{self.get_document_display()}: {self.name}"
