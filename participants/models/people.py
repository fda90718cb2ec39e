"""Participants and what the city keeps about them: origin region, identity, status history
and batch transfers, contacts and heirs."""

from __future__ import annotations

import datetime
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models, transaction
from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cohorts.models import DEFAULT_CONTRACT_YEARS, Cohort, Program
from delegation.roles import sees_everything
from participants.sensitive import can_reveal

KATAKANA = RegexValidator(
    r"^[\u30a1-\u30fa\u30fb\u30fc\u3000 ]+$",
    _("Use katakana only, with the middle dot (・), the long-vowel mark (ー) and spaces."),
)
DIGITS_16 = RegexValidator(r"^\d{16}$", _("Enter exactly 16 digits."))
POSTAL_CODE = RegexValidator(r"^\d{5}$", _("A postal code has 5 digits."))
RT_RW = RegexValidator(r"^\d{1,3}/\d{1,3}$", _("Write RT/RW like 003/012."))


class RegionQuerySet(models.QuerySet):
    def provinces(self) -> RegionQuerySet:
        return self.filter(level=Region.Level.PROVINCE)

    def regencies(self) -> RegionQuerySet:
        return self.filter(level=Region.Level.REGENCY)

    def search(self, text: str, *, province_first: str = "") -> RegionQuerySet:
        """Regencies and cities whose name or code holds ``text`` ("banjar", "63.7", "6371").
        Those of the province coded ``province_first`` come first; within each part, a name
        typed in full, then names that begin with the text, then the rest, by code. An empty
        text lists that province's own."""
        value = " ".join(str(text or "").split())
        found = self.regencies()
        if not value:
            found = found.filter(province__code=province_first) if province_first else found
            return found.order_by("code")
        digits = value.replace(".", "")
        if digits.isdigit():
            code = digits[:2] + ("." + digits[2:4] if len(digits) > 2 else "")
            found = found.filter(code__startswith=code)
        else:
            # "Kab. Banjar" and "kab banjar" are written out as the names are.
            value = re.sub(
                r"^(?:kabupaten|kab\.?)(?:\s+|(?<=\.))(?=\S)", "Kabupaten ", value, flags=re.I
            )
            found = found.filter(name__icontains=value)
        return found.annotate(
            elsewhere=models.Case(
                models.When(province__code=province_first, then=0),
                default=1,
                output_field=models.IntegerField(),
            ),
            other_name=models.Case(
                models.When(name__iexact=value, then=0),
                default=1,
                output_field=models.IntegerField(),
            ),
            later=models.Case(
                models.When(name__iregex=rf"^((kabupaten|kota) )?{re.escape(value)}", then=0),
                default=1,
                output_field=models.IntegerField(),
            ),
        ).order_by("elsewhere", "other_name", "later", "code")

    def resolve_regency(self, text: str) -> Region:
        """Find a regency or city by code (63.71 or 6371) or by an unambiguous name."""
        value = " ".join(str(text or "").split())
        if not value:
            raise ValidationError(gettext("Give the regency or city."))
        digits = value.replace(".", "")
        if digits.isdigit() and len(digits) == 4:
            found = self.regencies().filter(code=f"{digits[:2]}.{digits[2:]}").first()
            if found:
                return found
            raise ValidationError(
                gettext("%(value)s is not a known regency or city code.") % {"value": value}
            )
        bare = re.sub(r"^(kabupaten|kab\.?|kota)\s+", "", value, flags=re.IGNORECASE)
        matches = list(
            self.regencies().filter(
                Q(name__iexact=value) | Q(name__iregex=rf"^(Kabupaten|Kota) {re.escape(bare)}$")
            )
        )
        exact = [region for region in matches if region.name.lower() == value.lower()]
        if len(exact) == 1:
            return exact[0]
        if len(matches) == 1:
            return matches[0]
        if not matches:
            raise ValidationError(
                gettext("%(value)s is not a known regency or city.") % {"value": value}
            )
        raise ValidationError(
            gettext("“%(value)s” could be %(options)s: write the full name or the code.")
            % {
                "value": value,
                "options": gettext(" or ").join(f"{r.name} ({r.code})" for r in matches),
            }
        )


class Region(models.Model):
    """A province or a regency/city, with its Kemendagri code (63 or 63.71)."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("Province")
        REGENCY = "regency", _("Regency or city")

    code = models.CharField(_("code"), max_length=5, unique=True)
    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    province = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="regencies",
        verbose_name=_("province"),
        limit_choices_to={"level": "province"},
    )

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        """The name with its code, as the pickers write it: "Kota Banjarmasin (63.71)"."""
        return f"{self.name} ({self.code})"


class Status(models.TextChoices):
    APPLICANT = "applicant", _("Applicant")
    SELECTED = "selected", _("Selected")
    IN_TRAINING = "in_training", _("In training")
    READY = "ready", _("Ready to depart")
    POSTPONED = "postponed", _("Postponed")
    DEPARTED = "departed", _("Departed")
    WORKING = "working", _("Working abroad")
    EXTENDED = "extended", _("Extended")
    COMPLETED = "completed", _("Completed")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    RETURNED_EARLY = "returned_early", _("Returned early")
    DECEASED = "deceased", _("Deceased")
    MISSING = "missing", _("Missing (absconded)")


# Who may move where (the design's table).
MOVES: dict[str, list[str]] = {
    Status.APPLICANT: [Status.SELECTED, Status.WITHDRAWN],
    Status.SELECTED: [Status.IN_TRAINING, Status.WITHDRAWN],
    Status.IN_TRAINING: [Status.READY, Status.POSTPONED, Status.WITHDRAWN],
    Status.READY: [Status.DEPARTED, Status.POSTPONED, Status.WITHDRAWN],
    Status.POSTPONED: [Status.IN_TRAINING, Status.READY, Status.WITHDRAWN],
    Status.DEPARTED: [Status.WORKING, Status.RETURNED_EARLY],
    Status.WORKING: [
        Status.COMPLETED,
        Status.EXTENDED,
        Status.RETURNED_EARLY,
        Status.DECEASED,
        Status.MISSING,
    ],
    Status.EXTENDED: [Status.COMPLETED, Status.RETURNED_EARLY, Status.DECEASED, Status.MISSING],
    Status.MISSING: [Status.WORKING, Status.RETURNED_EARLY, Status.DECEASED],
    Status.DECEASED: [],
    Status.COMPLETED: [],
    Status.WITHDRAWN: [],
    Status.RETURNED_EARLY: [],
}
# These need the readiness check of the training year: only its service makes them.
READINESS_MOVES = frozenset({Status.READY, Status.DEPARTED})
# The moves the duty of care makes, never the status page: leaving work abroad (completed,
# returned early) goes through the way home, which ends the contract and schedules the
# follow-ups; a death or a disappearance is recorded on a case, with its checklist.
DUTY_OF_CARE_MOVES = frozenset(
    {Status.COMPLETED, Status.RETURNED_EARLY, Status.DECEASED, Status.MISSING}
)
REASON_REQUIRED = frozenset(
    {Status.WITHDRAWN, Status.POSTPONED, Status.RETURNED_EARLY, Status.DECEASED, Status.MISSING}
)
# Everyone who ever departed counts as "sent since the start".
SENT_STATUSES = frozenset(
    {
        Status.DEPARTED,
        Status.WORKING,
        Status.EXTENDED,
        Status.COMPLETED,
        Status.RETURNED_EARLY,
        Status.DECEASED,
        Status.MISSING,
    }
)
BEFORE_DEPARTURE = frozenset(
    {Status.APPLICANT, Status.SELECTED, Status.IN_TRAINING, Status.READY, Status.POSTPONED}
)
# The batch's trainees: they take part in its sessions and wait to depart with it (their
# readiness is checked live; those who departed keep the result they left on).
TRAINEES = frozenset({Status.SELECTED, Status.IN_TRAINING, Status.READY, Status.POSTPONED})


# A passport number belongs to one person (a renewal keeps the number at most): a cap that
# is never reached keeps the lookup bounded.
MAX_PASSPORT_HOLDERS = 50


def looks_like_nik(text: str) -> bool:
    """Six digits or more (spaces and dots aside): the start of a NIK, or a whole one."""
    digits = (text or "").replace(" ", "").replace(".", "")
    return digits.isdigit() and len(digits) >= 6


# A participant number as people read and type it: KAI-04-001, kai-04-001, KAI04001, or its
# start (KAI-04, KAI04: the whole batch). The prefix is letters and digits from the
# programme's slug, then the batch number (two digits or more), then three digits.
_NUMBER_WITH_DASHES = re.compile(r"[A-Z][A-Z0-9]*-\d+(-\d*)?")
_NUMBER_WHOLE = re.compile(r"([A-Z][A-Z0-9]{0,2}?)(\d{2,})(\d{3})")
_NUMBER_BATCH = re.compile(r"([A-Z][A-Z0-9]{0,2}?)(\d{2,3})")


def participant_number_prefix(text: str) -> str | None:
    """The start of a participant number ``text`` spells, written as stored, or None.

    ``"kai04001"`` and ``"KAI-04-001"`` give ``"KAI-04-001"``; ``"kai04"`` gives ``"KAI-04-"``.
    A participant number is not personal data: it is matched for every user."""
    compact = "".join((text or "").split()).upper()
    if _NUMBER_WITH_DASHES.fullmatch(compact):
        return compact
    if found := _NUMBER_WHOLE.fullmatch(compact):
        return "-".join(found.groups())
    if found := _NUMBER_BATCH.fullmatch(compact):
        return "-".join(found.groups()) + "-"
    return None


class ParticipantQuerySet(models.QuerySet):
    def visible_to(self, user) -> ParticipantQuerySet:
        if not user.is_authenticated:
            return self.none()
        if sees_everything(user):
            return self
        return self.filter(cohort__in=Cohort.objects.visible_to(user))

    def trainees(self) -> ParticipantQuerySet:
        """Those taking part in their batch's training and waiting to depart (``TRAINEES``)."""
        return self.filter(status__in=TRAINEES)

    def is_everyone(self) -> bool:
        """Whether these are all participants: nothing filters, searches or slices them."""
        query = self.query
        return not query.where and not query.is_sliced and not query.combinator

    def rows_of(self, related: models.QuerySet) -> models.QuerySet:
        """``related`` (rows with a ``participant``) narrowed to these participants.

        When these are all participants, ``related`` comes back as it is: a count over
        everyone then reads its own table, not a semi-join against 100,000 people.
        """
        if self.is_everyone():
            return related
        return related.filter(participant__in=self)

    def search(self, text: str, *, user) -> ParticipantQuerySet:
        """By name, participant number, NIK or passport number, as ``user`` may search.

        A participant number (``KAI-04-001``, in any case, with or without dashes, or its start)
        matches for everyone: it is printed on rosters and badges, not personal data.

        Only a user who may reveal personal data (``participants.view_sensitive``) finds people
        by NIK (whole or by its first digits) or by passport number; for everyone else a number
        matches nothing, so whether a person stays in the list tells nothing about their NIK.

        Every branch can use an index (on PostgreSQL: trigram indexes on the names, a pattern
        index on the NIK; see migration participant_search_indexes), so the database combines
        them without reading the whole table. A passport number is looked up first, in its own
        small query, instead of joining the documents: no join, no DISTINCT.
        """
        text = " ".join((text or "").split())
        if not text:
            return self
        query = Q(full_name__icontains=text) | Q(passport_surname__icontains=text)
        if number := participant_number_prefix(text):
            query |= Q(participant_number__startswith=number)
        if can_reveal(user):
            digits = text.replace(" ", "").replace(".", "")
            if looks_like_nik(digits):
                query |= Q(nik__startswith=digits)
            number = text.replace(" ", "")
            if any(character.isdigit() for character in number):  # passport numbers have digits
                documents = self.model._meta.get_field("documents").related_model
                holders = documents.objects.filter(
                    document_type__code="passport", number__iexact=number
                ).values_list("participant_id", flat=True)
                if ids := list(holders[:MAX_PASSPORT_HOLDERS]):
                    query |= Q(pk__in=ids)
        return self.filter(query)

    def sent(self) -> ParticipantQuerySet:
        return self.filter(status__in=SENT_STATUSES)

    def anonymised(self) -> ParticipantQuerySet:
        return self.filter(anonymised_at__isnull=False)

    def not_anonymised(self) -> ParticipantQuerySet:
        return self.filter(anonymised_at__isnull=True)

    def in_cohort(self, cohort: Cohort) -> ParticipantQuerySet:
        return self.filter(cohort=cohort)

    def ever_departed(self) -> ParticipantQuerySet:
        """Everyone who ever departed ("sent since the start"), by their recorded departure."""
        return self.filter(departed_on__isnull=False)

    def refresh_departed_on(self) -> int:
        """Copy each participant's first departure date from their status history.

        Call it after changing the history other than through ``move()`` (the importer of
        people who left before the system, an administrator's edit or deletion)."""
        first = (
            StatusChange.objects.filter(participant=OuterRef("pk"), to_status=Status.DEPARTED)
            .order_by("effective_date")
            .values("effective_date")[:1]
        )
        return self.update(departed_on=Subquery(first))


class ParticipantRowQuerySet(models.QuerySet):
    """Rows that belong to a participant (documents, contracts, check-ins, exam results...):
    a user sees the rows of the participants they see."""

    def visible_to(self, user):
        return Participant.objects.visible_to(user).rows_of(self)


class Participant(models.Model):
    class Gender(models.TextChoices):
        MALE = "M", _("Male")
        FEMALE = "F", _("Female")

    class Track(models.TextChoices):
        WORKER = "worker", _("Worker")
        SCHOLARSHIP = "scholarship", _("Scholarship recipient")

    class Education(models.TextChoices):
        SD = "sd", "SD"
        SMP = "smp", "SMP"
        SMA = "sma", "SMA/SMK"
        D1 = "d1", "D1"
        D2 = "d2", "D2"
        D3 = "d3", "D3"
        D4 = "d4", "D4"
        S1 = "s1", "S1"
        S2 = "s2", "S2"
        S3 = "s3", "S3"

    Status = Status

    full_name = models.CharField(
        _("full name"), max_length=200, help_text=_("As on the KTP, titles such as H. or Hj. kept.")
    )
    passport_surname = models.CharField(
        _("surname in the passport"),
        max_length=100,
        blank=True,
        help_text=_("In capitals, as printed. Empty for a single-word name."),
    )
    passport_given_names = models.CharField(
        _("given names in the passport"), max_length=150, blank=True
    )
    name_katakana = models.CharField(
        _("name in katakana"), max_length=100, blank=True, validators=[KATAKANA]
    )
    nik = models.CharField(_("NIK"), max_length=16, unique=True, validators=[DIGITS_16])
    nik_reason = models.TextField(
        _("reason for accepting the NIK"),
        blank=True,
        help_text=_("Why a NIK that disagrees with the person's data is accepted."),
    )
    kk_number = models.CharField(
        _("family card number (No. KK)"), max_length=16, blank=True, validators=[DIGITS_16]
    )
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    birth_date = models.DateField(_("birth date"))
    birth_place = models.CharField(_("birth place"), max_length=100, blank=True)
    origin = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="participants",
        verbose_name=_("regency/city of origin"),
        limit_choices_to={"level": "regency"},
    )

    ktp_street = models.CharField(_("street (KTP)"), max_length=200, blank=True)
    ktp_rt_rw = models.CharField(_("RT/RW (KTP)"), max_length=7, blank=True, validators=[RT_RW])
    ktp_village = models.CharField(_("kelurahan/desa (KTP)"), max_length=100, blank=True)
    ktp_district = models.CharField(_("kecamatan (KTP)"), max_length=100, blank=True)
    ktp_regency = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("regency/city (KTP)"),
        limit_choices_to={"level": "regency"},
    )
    ktp_postal_code = models.CharField(
        _("postal code (KTP)"), max_length=5, blank=True, validators=[POSTAL_CODE]
    )
    domicile_street = models.CharField(_("street (domicile)"), max_length=200, blank=True)
    domicile_rt_rw = models.CharField(
        _("RT/RW (domicile)"), max_length=7, blank=True, validators=[RT_RW]
    )
    domicile_village = models.CharField(_("kelurahan/desa (domicile)"), max_length=100, blank=True)
    domicile_district = models.CharField(_("kecamatan (domicile)"), max_length=100, blank=True)
    domicile_regency = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("regency/city (domicile)"),
        limit_choices_to={"level": "regency"},
    )
    domicile_postal_code = models.CharField(
        _("postal code (domicile)"), max_length=5, blank=True, validators=[POSTAL_CODE]
    )

    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    education_level = models.CharField(
        _("education level"), max_length=3, choices=Education.choices, blank=True
    )
    education_field = models.CharField(
        _("field of study"), max_length=100, blank=True, help_text=_("e.g. Keperawatan")
    )
    occupation = models.CharField(
        _("occupation abroad"), max_length=100, blank=True, help_text=_("e.g. care worker")
    )
    track = models.CharField(_("track"), max_length=12, choices=Track.choices)
    cohort = models.ForeignKey(
        Cohort,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="participants",
        verbose_name=_("batch"),
    )
    participant_number = models.CharField(_("participant number"), max_length=20, blank=True)
    photo = models.ImageField(_("photo"), upload_to="participants/photos/", blank=True)
    culture_ambassador = models.BooleanField(_("Duta Budaya Banjar"), default=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.APPLICANT
    )
    notes = models.TextField(_("notes"), blank=True)
    # Kept from the status history: the effective date of the first move to "departed".
    departed_on = models.DateField(_("first departure"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    anonymised_at = models.DateTimeField(
        _("anonymised at"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("When the retention rules erased this person's data."),
    )

    history = HistoricalRecords(excluded_fields=["created_at", "departed_on"])
    objects = ParticipantQuerySet.as_manager()

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["full_name"]
        permissions = [
            ("view_sensitive", _("Can reveal sensitive personal data")),
            # Personal data shown masked (NIK, birth date, phone, passport name, address...).
            # Instructors read names, photos, attendance and exams only: they lack it.
            ("view_personal", _("Can see personal data, masked")),
            # Instructors read their batches' names on screen; they take no lists away.
            ("export_participant", _("Can export the participant list")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["participant_number"],
                condition=~Q(participant_number=""),
                name="participant_number_unique",
            ),
        ]
        indexes = [
            # The status first, for the lists; the rest for the dashboard's counts. The batch
            # rides along (PostgreSQL) so a coordinator's counts, limited to their batches,
            # are read from the index alone too.
            models.Index(
                fields=["status", "track", "gender", "education_level", "origin"],
                include=["cohort"],
                name="participant_mix_cohort_idx",
            ),
            models.Index(fields=["cohort", "departed_on"], name="participant_departed_idx"),
            models.Index(fields=["full_name", "birth_date"], name="participant_name_birth_idx"),
            # The list pages by name, then id: deep pages are read from this index alone,
            # a coordinator's (limited to their batches) as well.
            models.Index(
                fields=["full_name", "id"], include=["cohort"], name="participant_name_cohort_idx"
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        return reverse("participant_profile", args=[self.pk])

    @property
    def contract_years(self) -> int:
        """The term of a contract signed without one given: the programme's contract length,
        or the default one for someone in no batch."""
        return self.cohort.program.contract_years if self.cohort_id else DEFAULT_CONTRACT_YEARS

    @property
    def label(self) -> str:
        """The name with what tells two people of the same name apart, as pickers show it:
        "Aulia Rahman — KAI-04-001, Batch IV (2026)". Read with the batch selected."""
        known = ", ".join(str(part) for part in [self.participant_number, self.cohort] if part)
        return f"{self.full_name} — {known}" if known else self.full_name

    @property
    def passport_name(self) -> str:
        return " ".join(p for p in [self.passport_surname, self.passport_given_names] if p)

    def possible_duplicates(self) -> models.QuerySet:
        return Participant.objects.filter(
            full_name__iexact=self.full_name, birth_date=self.birth_date
        ).exclude(pk=self.pk)

    # Status

    def allowed_moves(self) -> list[str]:
        return list(MOVES[self.status])

    def offered_moves(self) -> list[str]:
        """The moves the status page offers: ready and departed need the readiness check,
        the moves of the duty of care their own pages (``duty_of_care_moves``)."""
        return [
            status
            for status in MOVES[self.status]
            if status not in READINESS_MOVES and status not in DUTY_OF_CARE_MOVES
        ]

    def duty_of_care_moves(self) -> list[str]:
        """The moves open to the participant that only the duty of care makes."""
        return [status for status in MOVES[self.status] if status in DUTY_OF_CARE_MOVES]

    def move(
        self,
        to: str,
        *,
        by,
        effective_date: datetime.date,
        reason: str = "",
        departure_date: datetime.date | None = None,
        flight: str = "",
        readiness: dict | None = None,
        historical: bool = False,
    ) -> StatusChange:
        """Move to another status and record who, when, from which date and why."""
        if to not in MOVES[self.status]:
            raise ValidationError(
                gettext("A participant cannot go from “%(current)s” to “%(target)s”.")
                % {"current": self.get_status_display(), "target": Status(to).label}
            )
        if to in READINESS_MOVES and readiness is None and not historical:
            raise ValidationError(gettext("This move needs the readiness check."))
        if to in REASON_REQUIRED and not reason.strip():
            raise ValidationError(gettext("Give the reason for this move."))
        if to == Status.DEPARTED and departure_date is None:
            raise ValidationError(gettext("Give the departure date."))
        change = StatusChange.objects.create(
            participant=self,
            kind=StatusChange.Kind.STATUS,
            from_status=self.status,
            to_status=to,
            effective_date=effective_date,
            reason=reason.strip(),
            departure_date=departure_date,
            flight=flight,
            readiness=readiness,
            historical=historical,
            recorded_by=by,
            from_cohort=self.cohort,
            to_cohort=self.cohort,
        )
        self.status = to
        fields = ["status"]
        first = self.departed_on
        if to == Status.DEPARTED and (first is None or effective_date < first):
            self.departed_on = effective_date
            fields.append("departed_on")
        self.save(update_fields=fields)
        return change

    def transfer(
        self, cohort: Cohort, *, by, effective_date: datetime.date, reason: str = ""
    ) -> StatusChange:
        """Move to another batch of the same programme or another: allowed before departure."""
        if self.status not in BEFORE_DEPARTURE:
            raise ValidationError(gettext("A participant can change batch only before departure."))
        if cohort == self.cohort:
            raise ValidationError(gettext("The participant is already in this batch."))
        with transaction.atomic():
            change = StatusChange.objects.create(
                participant=self,
                kind=StatusChange.Kind.TRANSFER,
                from_status=self.status,
                to_status=self.status,
                effective_date=effective_date,
                reason=reason.strip(),
                recorded_by=by,
                from_cohort=self.cohort,
                to_cohort=cohort,
            )
            self.place(cohort)
        return change

    def place(self, cohort: Cohort | None) -> None:
        """Put the participant in a batch and give them its next participant number.

        Refused with the batch's quota when the batch is full."""
        with transaction.atomic():
            if cohort is not None:
                quota_check(cohort, adding=1)
            self.cohort = cohort
            self.participant_number = next_participant_number(cohort) if cohort else ""
            self.save(update_fields=["cohort", "participant_number"])


def quota_taken(cohort: Cohort) -> int:
    """The places of the batch's quota already taken: everyone in it but those who withdrew."""
    return Participant.objects.in_cohort(cohort).exclude(status=Status.WITHDRAWN).count()


def quota_check(cohort: Cohort, *, adding: int) -> None:
    """Refuse to add ``adding`` people to a batch that has no room for them.

    Everyone in the batch counts against its quota but those who withdrew (people moved to
    another batch are no longer in it). Call inside a transaction: the batch row is locked, so
    two additions at once cannot both take the last place. A batch with no quota takes anyone.
    """
    if cohort.quota is None or adding <= 0:
        return
    Cohort.objects.select_for_update().filter(pk=cohort.pk).first()
    room = max(cohort.quota - quota_taken(cohort), 0)
    if adding <= room:
        return
    names = {"number": cohort.roman_number, "quota": cohort.quota}
    if room == 0:
        message = gettext("Batch %(number)s is full: quota of %(quota)d participants.") % names
    else:
        message = gettext(
            "Batch %(number)s has room for %(room)d more, not %(adding)d: "
            "quota of %(quota)d participants."
        ) % {**names, "room": room, "adding": adding}
    raise ValidationError(message, code="quota")


def program_prefix(program: Program) -> str:
    return re.sub(r"[^A-Za-z0-9]", "", program.slug)[:3].upper() or "P"


def next_participant_number(cohort: Cohort) -> str:
    """The next number of the batch, e.g. KAI-04-007; call inside a transaction."""
    return participant_numbers(cohort, 1)[0]


def participant_numbers(cohort: Cohort, count: int) -> list[str]:
    """The batch's next ``count`` numbers; call inside a transaction (the batch is locked)."""
    Cohort.objects.select_for_update().filter(pk=cohort.pk).first()
    prefix = f"{program_prefix(cohort.program)}-{cohort.number:02d}-"
    used = Participant.objects.filter(participant_number__startswith=prefix).values_list(
        "participant_number", flat=True
    )
    highest = max((int(number.rsplit("-", 1)[1]) for number in used), default=0)
    return [f"{prefix}{highest + n:03d}" for n in range(1, count + 1)]


class StatusChange(models.Model):
    """One move of a participant: a new status or another batch."""

    class Kind(models.TextChoices):
        STATUS = "status", _("Status")
        TRANSFER = "transfer", _("Batch transfer")

    participant = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        related_name="status_changes",
        verbose_name=_("participant"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    from_status = models.CharField(_("from"), max_length=20, choices=Status.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=Status.choices)
    from_cohort = models.ForeignKey(
        Cohort,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("from batch"),
    )
    to_cohort = models.ForeignKey(
        Cohort,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("to batch"),
    )
    effective_date = models.DateField(_("effective date"))
    reason = models.TextField(_("reason"), blank=True)
    departure_date = models.DateField(_("departure date"), null=True, blank=True)
    flight = models.CharField(_("flight"), max_length=50, blank=True)
    readiness = models.JSONField(_("readiness check"), null=True, blank=True)
    historical = models.BooleanField(
        _("historical"),
        default=False,
        help_text=_("Entered afterwards, for people who left before the system."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["-effective_date", "-recorded_at"]
        indexes = [
            models.Index(fields=["to_status", "effective_date"], name="status_change_to_date_idx")
        ]

    def __str__(self) -> str:
        return (
            f"{self.participant}: {self.get_from_status_display()} → {self.get_to_status_display()}"
        )


class Contact(models.Model):
    class Relation(models.TextChoices):
        FATHER = "father", _("Father")
        MOTHER = "mother", _("Mother")
        GUARDIAN = "guardian", _("Guardian")
        SPOUSE = "spouse", _("Spouse")
        SIBLING = "sibling", _("Sibling")
        CHILD = "child", _("Child")
        OTHER = "other", _("Other")

    participant = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        related_name="contacts",
        verbose_name=_("participant"),
    )
    relation = models.CharField(_("relation"), max_length=10, choices=Relation.choices)
    name = models.CharField(_("name"), max_length=200)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    is_emergency = models.BooleanField(_("emergency contact"), default=False)
    is_heir = models.BooleanField(_("heir (ahli waris)"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["-is_heir", "-is_emergency", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["participant"], condition=Q(is_heir=True), name="contact_one_heir"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_relation_display()})"
