"""Retention: anonymise participants once the purpose of keeping their data has passed.

Two rules, read from the settings:

* someone who worked abroad is anonymised ``RETENTION_YEARS_AFTER_CONTRACT`` years after
  their last contract ended (no contract still active or signed-but-not-started), or, when no
  contract was recorded, after the day they completed or came home early took effect;
* an applicant never sent abroad (still an applicant, or withdrawn before departure, with no
  contract) is anonymised ``RETENTION_MONTHS_UNPLACED`` months after the last change to their
  record or status.

A third rule reads the selection: an application that did not make its applicant a
participant (not selected, a reserve never called, ineligible, or its call cancelled) is
anonymised ``RETENTION_MONTHS_APPLICATIONS`` months after its call was decided (or, for a
cancelled call, after it closed); the documents given with it are deleted. An application that
did make a participant follows that participant: it is anonymised with them.

A fourth reads the portal: a draft application never sent is deleted, with its uploads,
``RETENTION_MONTHS_DRAFTS`` months after its last change; a sent one loses its answers and
uploads when its application is anonymised.

``retention_report`` says who is due and what would change; ``participants_anonymise`` does it
in one transaction. Stored files are deleted only once that transaction has committed, so a
failure leaves everything as it was: every file that ever belonged to the person (the current
ones, and those an upload replaced, found through the history rows), and the generated
documents of their batches, which are marked superseded so that the next request prints them
again without the person. Audit events and the Django admin's log keep who did what and when,
but no longer name the person or what their rows said. What is kept: the row itself (status,
batch, gender, origin, track, dates of status changes and contracts), so the programme's
figures stay true, and each certificate's existence, so its verification page still answers.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import Max, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from cohorts.models import Cohort
from delegation.models import AuditEvent, Job, Notification
from participants.models import (
    SENT_STATUSES,
    CheckIn,
    ConsentRecord,
    Contact,
    Contract,
    CostItem,
    Document,
    Participant,
    PersonRequest,
    Residence,
    StatusChange,
)
from portal.models import ApplicationDraft, DraftDocument, DuplicateReview, Invitation
from recruitment.models import (
    Application,
    ApplicationDocument,
    Call,
    Objection,
    Score,
    SelectionDocument,
)
from training.models import Attendance, Certificate, ExamResult

# Audit events of these actions say in their detail what was taken or removed (a file's name,
# a deleted row's label): about an anonymised person's rows, the detail goes.
DETAILED_ACTIONS = [
    AuditEvent.Action.DOWNLOAD,
    AuditEvent.Action.DELETE,
    AuditEvent.Action.REPLACE,
]

# Participant fields that identify or locate the person, and what they become. The NIK is
# replaced by the row's id padded to 16 digits: unique, and never a real NIK (province 00).
BLANKED_FIELDS = [
    "passport_surname",
    "passport_given_names",
    "name_katakana",
    "nik_reason",
    "kk_number",
    "birth_place",
    "ktp_street",
    "ktp_rt_rw",
    "ktp_village",
    "ktp_district",
    "ktp_postal_code",
    "domicile_street",
    "domicile_rt_rw",
    "domicile_village",
    "domicile_district",
    "domicile_postal_code",
    "phone",
    "email",
    "participant_number",
    "photo",
    "notes",
]
CLEARED_RELATIONS = ["ktp_regency", "domicile_regency"]
UNPLACED_STATUSES = [Participant.Status.APPLICANT, Participant.Status.WITHDRAWN]
LIVE_CONTRACTS = [Contract.Status.ACTIVE, Contract.Status.DRAFT]
ENDED_STATUSES = [Participant.Status.COMPLETED, Participant.Status.RETURNED_EARLY]


def anonymous_name(pk: int) -> str:
    return f"ANONIM-{pk}"


def anonymised_values(participant: Participant) -> dict:
    values = dict.fromkeys(BLANKED_FIELDS, "")
    values.update({f"{name}_id": None for name in CLEARED_RELATIONS})
    values.update(
        full_name=anonymous_name(participant.pk),
        nik=f"{participant.pk:016d}",
        # The year stays for age statistics; the day and month go.
        birth_date=datetime.date(participant.birth_date.year, 1, 1),
    )
    return values


@dataclass
class Due:
    participant: Participant
    rule: str  # "contract", "returned" or "unplaced"
    since: datetime.date  # the last contract's end, the return home, or the last change
    files: list[str] = field(default_factory=list)
    rows_deleted: dict[str, int] = field(default_factory=dict)
    history_rows: int = 0
    jobs: int = 0

    def describe(self) -> str:
        person = self.participant
        label = person.participant_number or "-"
        reason = {
            "contract": f"last contract ended {self.since:%Y-%m-%d}",
            "returned": f"came home {self.since:%Y-%m-%d}, no contract recorded",
            "unplaced": f"never sent abroad, last change {self.since:%Y-%m-%d}",
        }[self.rule]
        deleted = ", ".join(f"{count} {name}" for name, count in self.rows_deleted.items() if count)
        return (
            f"#{person.pk} {label} {person.full_name}: {reason}; "
            f"{len(self.files)} files, {self.history_rows} history rows scrubbed, "
            f"{self.jobs} generated documents" + (f", deletes {deleted}" if deleted else "")
        )


@dataclass
class ApplicationDue:
    application: Application
    since: datetime.date  # the call's decision, or its closing when cancelled
    files: list[str] = field(default_factory=list)

    def describe(self) -> str:
        application = self.application
        return (
            f"application #{application.pk} {application.registration_number} "
            f"{application.full_name}: call #{application.call_id} ended "
            f"{self.since:%Y-%m-%d}; {len(self.files)} files"
        )


@dataclass
class RetentionReport:
    today: datetime.date
    contract_cutoff: datetime.date
    unplaced_cutoff: datetime.date
    due: list[Due]
    application_cutoff: datetime.date | None = None
    applications: list[ApplicationDue] = field(default_factory=list)
    draft_cutoff: datetime.date | None = None
    drafts: list[ApplicationDraft] = field(default_factory=list)

    def lines(self) -> list[str]:
        head = [
            f"Retention as of {self.today:%Y-%m-%d}: contracts ended on or before "
            f"{self.contract_cutoff:%Y-%m-%d}, applicants unchanged since "
            f"{self.unplaced_cutoff:%Y-%m-%d} or earlier, applications of calls ended on or "
            f"before {self.application_cutoff:%Y-%m-%d}.",
            f"{len(self.applications)} application(s) due for anonymisation.",
            f"{len(self.drafts)} portal draft(s) never sent, unchanged since "
            f"{self.draft_cutoff:%Y-%m-%d} or earlier, due for deletion.",
        ]
        return (
            head
            + [f"  {entry.describe()}" for entry in self.applications]
            + [f"{len(self.due)} participant(s) due for anonymisation."]
            + [f"  {entry.describe()}" for entry in self.due]
        )


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _months_before(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    for last in (31, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def _local_date(moment: datetime.datetime | None) -> datetime.date | None:
    return timezone.localdate(moment) if moment else None


def due_for_anonymisation(*, today: datetime.date) -> RetentionReport:
    """Who the rules reach on ``today``: not yet anonymised, and past their retention time."""
    contract_cutoff = _years_before(today, settings.RETENTION_YEARS_AFTER_CONTRACT)
    unplaced_cutoff = _months_before(today, settings.RETENTION_MONTHS_UNPLACED)
    people = Participant.objects.not_anonymised()
    due: list[Due] = []

    worked = (
        people.filter(contracts__isnull=False)
        .exclude(contracts__status__in=LIVE_CONTRACTS)
        .annotate(last_end=Max(Coalesce("contracts__ended_on", "contracts__end_date")))
        .filter(last_end__lte=contract_cutoff)
        .order_by("pk")
    )
    due += [Due(participant=p, rule="contract", since=p.last_end) for p in worked]

    # People entered by a historical import may have come home with no contract recorded:
    # the date their last move took effect stands for the contract's end.
    came_home = (
        people.filter(status__in=ENDED_STATUSES, contracts__isnull=True)
        .annotate(last_move=Max("status_changes__effective_date"))
        .filter(last_move__lte=contract_cutoff)
        .order_by("pk")
    )
    due += [Due(participant=p, rule="returned", since=p.last_move) for p in came_home]

    # The last change to the record or its status, read with the people in one query.
    versions = Participant.history.filter(id=OuterRef("pk")).order_by("-history_date")
    moves = StatusChange.objects.filter(participant=OuterRef("pk")).order_by("-recorded_at")
    never_sent = (
        people.filter(status__in=UNPLACED_STATUSES, contracts__isnull=True)
        .exclude(
            pk__in=StatusChange.objects.filter(to_status__in=SENT_STATUSES).values("participant")
        )
        .annotate(
            last_version=Subquery(versions.values("history_date")[:1]),
            last_move=Subquery(moves.values("recorded_at")[:1]),
        )
        .order_by("pk")
    )
    for person in never_sent:
        changed = [
            _local_date(person.last_version),
            _local_date(person.last_move),
            _local_date(person.created_at),
        ]
        last_change = max(day for day in changed if day)
        if last_change <= unplaced_cutoff:
            due.append(Due(participant=person, rule="unplaced", since=last_change))
    due.sort(key=lambda entry: entry.participant.pk)
    for entry in due:
        _measure(entry)
    application_cutoff = _months_before(today, settings.RETENTION_MONTHS_APPLICATIONS)
    draft_cutoff = _months_before(today, settings.RETENTION_MONTHS_DRAFTS)
    return RetentionReport(
        today=today,
        contract_cutoff=contract_cutoff,
        unplaced_cutoff=unplaced_cutoff,
        due=due,
        application_cutoff=application_cutoff,
        applications=applications_due(cutoff=application_cutoff),
        draft_cutoff=draft_cutoff,
        drafts=drafts_due(cutoff=draft_cutoff),
    )


def applications_due(*, cutoff: datetime.date) -> list[ApplicationDue]:
    """Applications that made nobody a participant, of calls decided on or before ``cutoff``
    (or cancelled, and closed on or before it), not yet anonymised."""
    cutoff_moment = datetime.datetime.combine(
        cutoff + datetime.timedelta(days=1), datetime.time(), tzinfo=timezone.get_current_timezone()
    )
    ended = Q(call__status=Call.Status.DECIDED, call__decided_on__lte=cutoff) | Q(
        call__status=Call.Status.CANCELLED, call__closes_at__lt=cutoff_moment
    )
    applications = (
        Application.objects.filter(ended, anonymised_at__isnull=True, participant__isnull=True)
        .select_related("call")
        .order_by("pk")
    )
    due = []
    for application in applications:
        call = application.call
        since = (
            call.decided_on
            if call.status == Call.Status.DECIDED
            else timezone.localdate(call.closes_at)
        )
        entry = ApplicationDue(application=application, since=since)
        entry.files = [name for _storage, name in _application_files(application)]
        due.append(entry)
    return due


def drafts_due(*, cutoff: datetime.date) -> list[ApplicationDraft]:
    """Portal drafts never sent whose last change was on or before ``cutoff``."""
    return list(
        ApplicationDraft.objects.filter(
            status=ApplicationDraft.Status.DRAFT,
            application__isnull=True,
            updated_at__date__lte=cutoff,
        ).order_by("pk")
    )


def _draft_files(drafts: models.QuerySet) -> list[tuple[object, str]]:
    storage = DraftDocument._meta.get_field("file").storage
    names = DraftDocument.objects.filter(draft__in=drafts).exclude(file="")
    return [(storage, name) for name in names.values_list("file", flat=True)]


def _drafts_delete(drafts: list[ApplicationDraft]) -> list[tuple[object, str]]:
    rows = ApplicationDraft.objects.filter(pk__in=[draft.pk for draft in drafts])
    files = _draft_files(rows)
    rows.delete()  # their uploads' rows with them
    return files


def _drafts_scrub(application_ids: list[int]) -> list[tuple[object, str]]:
    """The portal drafts that sent these applications lose their answers and uploads."""
    rows = ApplicationDraft.objects.filter(application_id__in=application_ids)
    files = _draft_files(rows)
    DraftDocument.objects.filter(draft__in=rows).delete()
    DuplicateReview.objects.filter(draft__in=rows).update(note="")
    rows.update(data={})
    return files


def anonymous_application_name(pk: int) -> str:
    return f"ANONIM-PENDAFTAR-{pk}"


APPLICATION_BLANKED = [
    "nik_reason",
    "birth_place",
    "ktp_street",
    "ktp_village",
    "ktp_district",
    "domicile_street",
    "education_field",
    "phone",
    "email",
]


def _application_files(application: Application) -> list[tuple[object, str]]:
    storage = ApplicationDocument._meta.get_field("file").storage
    names = application.documents.exclude(file="").values_list("file", flat=True)
    return [(storage, name) for name in sorted(set(names)) if name]


def _call_documents(call_ids: set[int]) -> models.QuerySet:
    """The generated documents of these calls that list applicants by name (the result,
    the minutes and the draft decree; the announcement names nobody)."""
    return Job.objects.filter(
        subject_type=ContentType.objects.get_for_model(Call),
        subject_id__in=sorted(call_ids),
        kind__in=[
            SelectionDocument.RESULT,
            SelectionDocument.MINUTES,
            SelectionDocument.DECREE,
        ],
    )


def _anonymise_applications(applications: list[Application]) -> list[tuple[object, str]]:
    """Replace what identifies the applicants; keep what the call's figures read (sex, birth
    year, regency of the KTP, education level, track, outcome, rank and total)."""
    files: list[tuple[object, str]] = []
    now = timezone.now()
    for application in applications:
        pk = application.pk
        files += _application_files(application)
        ApplicationDocument.objects.filter(application_id=pk).delete()
        Objection.objects.filter(application_id=pk).update(text="—")
        Objection.objects.filter(application_id=pk).exclude(answer="").update(answer="—")
        Score.objects.filter(application_id=pk).update(note="")
        values = dict.fromkeys(APPLICATION_BLANKED, "")
        values.update(
            full_name=anonymous_application_name(pk),
            nik=f"{pk:016d}",
            birth_date=datetime.date(application.birth_date.year, 1, 1),
            domicile_regency=None,
            admin_reason="—" if application.admin_status == Application.Check.INELIGIBLE else "",
            anonymised_at=now,
        )
        Application.objects.filter(pk=pk).update(**values)
        scrub_audit_subjects(Application, [str(pk)], pk, label=anonymous_application_name(pk))
        # A reserve's call-up names both people in its detail, under the withdrawn's subject.
        AuditEvent.objects.filter(
            action=AuditEvent.Action.REPLACE,
            detail__contains=application.registration_number,
        ).update(detail="")
    files += _drafts_scrub([application.pk for application in applications])
    calls = {application.call_id for application in applications}
    jobs = _call_documents(calls)
    files += [
        (Job._meta.get_field("file").storage, name)
        for name in jobs.exclude(file="").values_list("file", flat=True)
    ]
    jobs.update(status=Job.Status.SUPERSEDED, file="", sha256="")
    return files


# Stored files of the rows about a person: each model with the person and its file field.
# (Cost receipts are the city's finance records, kept under the finance rules.)
FILES: list[tuple[type[models.Model], str]] = [
    (Document, "file"),
    (Contract, "signed_file"),
    (ConsentRecord, "signed_file"),
    (ExamResult, "certificate"),
]


def _history_names(model: type[models.Model], attribute: str, **person) -> set[str]:
    """File names that earlier versions of the person's rows pointed to (replaced uploads)."""
    history = getattr(model, "history", None)
    if history is None:
        return set()
    rows = history.filter(**person).exclude(**{attribute: ""})
    return set(rows.values_list(attribute, flat=True))


def _stored_files(participant: Participant) -> list[tuple[object, str]]:
    """Every stored file that ever belonged to the person, as (storage, name): the current
    ones, those replaced since (only the history rows still name them), and the generated
    documents that may print them."""
    found: dict[str, object] = {}
    photo = Participant._meta.get_field("photo")
    for name in {participant.photo.name} | _history_names(Participant, "photo", id=participant.pk):
        found[name] = photo.storage
    for model, attribute in FILES:
        storage = model._meta.get_field(attribute).storage
        rows = model._default_manager.filter(participant=participant).exclude(**{attribute: ""})
        names = set(rows.values_list(attribute, flat=True))
        names |= _history_names(model, attribute, participant_id=participant.pk)
        found.update(dict.fromkeys(names, storage))
    storage = Job._meta.get_field("file").storage
    jobs = _generated_documents(participant).exclude(file="")
    found.update(dict.fromkeys(jobs.values_list("file", flat=True), storage))
    return [(storage, name) for name, storage in sorted(found.items()) if name]


def _cohort_ids(participant: Participant) -> set[int]:
    ids = {participant.cohort_id} if participant.cohort_id else set()
    for from_id, to_id in participant.status_changes.values_list("from_cohort", "to_cohort"):
        ids |= {cohort_id for cohort_id in (from_id, to_id) if cohort_id}
    return ids


def _generated_documents(participant: Participant) -> models.QuerySet:
    """Generated documents that may print the person: theirs, and those of their batches."""
    return Job.objects.filter(
        Q(
            subject_type=ContentType.objects.get_for_model(Participant),
            subject_id=participant.pk,
        )
        | Q(
            subject_type=ContentType.objects.get_for_model(Cohort),
            subject_id__in=_cohort_ids(participant),
        )
    ).exclude(kind="participant_import")


# History tables scrubbed for each person, with the model's person field.
HISTORIES: list[tuple[type[models.Model], str]] = [
    (Participant, "id"),
    (Contract, "participant_id"),
    (ConsentRecord, "participant_id"),
    (ExamResult, "participant_id"),
    (Attendance, "participant_id"),
    (Document, "participant_id"),
    (Contact, "participant_id"),
]

# Rows about one person whose audit events and admin-log entries may name them or print what
# the row said (a document's type and number, a contact's name): each model with its person
# field.
SUBJECTS: list[tuple[type[models.Model], str]] = [
    (Participant, "id"),
    (Document, "participant_id"),
    (Contact, "participant_id"),
    (Contract, "participant_id"),
    (ConsentRecord, "participant_id"),
    (ExamResult, "participant_id"),
    (Attendance, "participant_id"),
    (CostItem, "participant_id"),
    (Certificate, "participant_id"),
    (StatusChange, "participant_id"),
    (Residence, "participant_id"),
    (CheckIn, "participant_id"),
]


def _subject_ids(pk: int) -> list[tuple[type[models.Model], list[str]]]:
    """The ids of every row about the person, those deleted before included (their history
    rows remember them), as the strings audit events and the admin's log store."""
    subjects = []
    for model, key in SUBJECTS:
        ids = set(model._default_manager.filter(**{key: pk}).values_list("pk", flat=True))
        history = getattr(model, "history", None)
        if history is not None:
            ids |= set(history.filter(**{key: pk}).values_list("id", flat=True))
        subjects.append((model, sorted(str(value) for value in ids)))
    return subjects


def _measure(entry: Due) -> None:
    person = entry.participant
    entry.files = [name for _storage, name in _stored_files(person)]
    entry.rows_deleted = {
        "documents": Document.objects.filter(participant=person).count(),
        "contacts": Contact.objects.filter(participant=person).count(),
        "life-abroad records": Residence.objects.filter(participant=person).count(),
        "reminders": Notification.objects.filter(link=person.get_absolute_url()).count(),
    }
    entry.history_rows = sum(
        model.history.filter(**{key: person.pk}).count() for model, key in HISTORIES
    )
    entry.jobs = _generated_documents(person).count()


def retention_report(*, today: datetime.date) -> RetentionReport:
    """The dry run: who is due and what anonymising them would change. Changes nothing."""
    return due_for_anonymisation(today=today)


def participants_anonymise(*, today: datetime.date) -> RetentionReport:
    """Anonymise everyone due on ``today`` in one transaction; delete their files after it."""
    with transaction.atomic():
        report = due_for_anonymisation(today=today)
        files: list[tuple[object, str]] = []
        for entry in report.due:
            files += _anonymise(entry.participant)
        files += _anonymise_applications([entry.application for entry in report.applications])
        files += _drafts_delete(report.drafts)
        transaction.on_commit(lambda: _delete_files(files))
    return report


def _delete_files(files: list[tuple[object, str]]) -> None:
    for storage, name in files:
        if name and storage.exists(name):
            storage.delete(name)


def _anonymise(participant: Participant) -> list[tuple[object, str]]:
    pk = participant.pk
    files = _stored_files(participant)
    subjects = _subject_ids(pk)
    values = anonymised_values(participant)

    # Reminders that name the person link to their profile.
    Notification.objects.filter(link=participant.get_absolute_url()).delete()

    # Rows that only describe the person go, with their files and history.
    Document.objects.filter(participant_id=pk).update(replaces=None)
    Document.objects.filter(participant_id=pk).delete()
    Document.history.filter(participant_id=pk).delete()
    Contact.objects.filter(participant_id=pk).delete()
    Contact.history.filter(participant_id=pk).delete()
    Residence.objects.filter(participant_id=pk).delete()
    PersonRequest.objects.filter(participant_id=pk).delete()
    # The person's own portal account and invitations: nobody signs in as them any more.
    get_user_model().objects.filter(portal_account__participant_id=pk).delete()
    Invitation.objects.filter(participant_id=pk).delete()

    # Rows the programme's figures need stay, without free text or files.
    Contract.objects.filter(participant_id=pk).update(signed_file="", end_reason="")
    Contract.history.filter(participant_id=pk).update(signed_file="", end_reason="")
    consent_scrub = {"signed_file": "", "scope": "", "withdrawal_reason": ""}
    ConsentRecord.objects.filter(participant_id=pk).update(**consent_scrub)
    ConsentRecord.history.filter(participant_id=pk).update(**consent_scrub)
    ExamResult.objects.filter(participant_id=pk).update(certificate="", note="")
    ExamResult.history.filter(participant_id=pk).update(certificate="", note="")
    Attendance.objects.filter(participant_id=pk).update(note="")
    Attendance.history.filter(participant_id=pk).update(note="")
    StatusChange.objects.filter(participant_id=pk).update(reason="", flight="", readiness=None)
    CheckIn.objects.filter(participant_id=pk).update(concerns="", work="", housing="", health="")

    # The batch's printed documents (roster, ceremony pack, certificates) name the person:
    # their files go, and the jobs are superseded, so the next request prints them afresh.
    _generated_documents(participant).update(status=Job.Status.SUPERSEDED, file="", sha256="")

    # Their applications to the selection hold the same data as they gave it.
    files += _anonymise_applications(
        list(Application.objects.filter(participant_id=pk, anonymised_at__isnull=True))
    )

    # The person's own row and every earlier version of it.
    Participant.objects.filter(pk=pk).update(**values, anonymised_at=timezone.now())
    Participant.history.filter(id=pk).update(**values)
    for model, ids in subjects:
        label = values["full_name"] if model is Participant else None
        scrub_audit_subjects(model, ids, pk, label=label)
    return files


def scrub_audit_subjects(model, ids: list[str], pk: int, *, label: str | None = None) -> None:
    """Replace what audit events and the admin's log say about these rows of person ``pk``;
    who did what, and when, stays."""
    if not ids:
        return
    label = label or f"{model._meta.model_name} of {anonymous_name(pk)}"
    subject_type = ContentType.objects.get_for_model(model)
    events = AuditEvent.objects.filter(subject_type=subject_type, subject_id__in=ids)
    events.update(subject_repr=label)
    events.filter(action__in=DETAILED_ACTIONS).update(detail="")
    entries = LogEntry.objects.filter(content_type=subject_type, object_id__in=ids)
    entries.update(object_repr=label)
    # A change message names the inline rows added, changed or deleted ("Paspor C1234567").
    for entry in entries.exclude(change_message="").only("change_message"):
        entry.change_message = _without_row_names(entry.change_message)
        entry.save(update_fields=["change_message"])


def _without_row_names(message: str) -> str:
    """The admin's change message without the labels of the rows it names."""
    try:
        changes = json.loads(message)
    except ValueError:
        return ""  # free text, as old Django versions wrote: it may say anything
    if not isinstance(changes, list):
        return ""
    for change in changes:
        for detail in change.values() if isinstance(change, dict) else ():
            if isinstance(detail, dict):
                detail.pop("object", None)
    return json.dumps(changes)
