"""The participant profile as a page: what it shows each role, built beside the other
overviews from the participant's data in every app (documents, status history, readiness,
contracts, life abroad, exams, check-ins, consents)."""

from __future__ import annotations

from django.utils import timezone

from participants.models import (
    BEFORE_DEPARTURE,
    SENT_STATUSES,
    TRAINEES,
    DocumentRequirement,
    MessageTemplate,
    Participant,
    Residence,
)
from participants.phones import format_phone
from participants.sensitive import can_reveal, mask_date, mask_number, mask_phone
from portal.services import portal_state
from training import readiness
from training.models import ExamResult, ExamType
from welfare.models import Case, FollowUp, Return, ReturnTask
from welfare.services import ABROAD as WELFARE_ABROAD

PROFILE_TEMPLATE = "office/overviews/participant_profile.html"


def can_export_personal_data(user) -> bool:
    """HR staff and admins answer data-access requests: they see and download everything."""
    return can_reveal(user) and user.has_perm("participants.download_document")


def profile_page(participant: Participant, *, user, revealed: bool) -> dict:
    """What the profile shows ``user``: each part only to a role that may read it, personal
    data masked unless ``revealed``."""
    participant = Participant.objects.select_related(
        "cohort__program", "origin", "ktp_regency", "domicile_regency"
    ).get(pk=participant.pk)
    documents = _documents(participant, user=user, today=timezone.localdate())
    return {
        "participant": participant,
        "portal": portal_state(participant)
        if user.has_perm("participants.change_participant")
        else None,
        "revealed": revealed,
        "can_reveal": can_reveal(user),
        # Click-to-chat only for roles that see phone numbers unmasked.
        "whatsapp_templates": list(MessageTemplate.objects.all()) if can_reveal(user) else [],
        "personal": _personal(participant, documents, revealed=revealed),
        "documents": documents,
        "missing_documents": _missing_documents(participant, documents, user=user),
        "status_history": participant.status_changes.select_related(
            "recorded_by", "from_cohort", "to_cohort"
        )
        if user.has_perm("participants.view_statuschange")
        else [],
        "changes": _change_history(participant) if can_reveal(user) else [],
        "moves": participant.offered_moves(),
        "readiness": _participant_readiness(participant, user=user),
        "abroad": participant.status in SENT_STATUSES,
        "can_transfer": participant.status in BEFORE_DEPARTURE,
        "can_export_personal_data": can_export_personal_data(user),
        "welfare": _participant_welfare(participant, user=user),
        **_held_elsewhere(participant, user=user),
    }


def _documents(participant: Participant, *, user, today) -> list[dict]:
    if not user.has_perm("participants.view_document"):
        return []
    return [
        {
            "document": document,
            "expired": document.is_expired(today),
            "expiring": document.is_expiring(today),
        }
        for document in participant.documents.current().select_related(
            "document_type", "handled_by"
        )
    ]


def _missing_documents(participant: Participant, documents: list[dict], *, user) -> list:
    """The programme's required documents not held (or expired), before departure."""
    before_departure = participant.status in BEFORE_DEPARTURE
    if not (
        before_departure and participant.cohort and user.has_perm("participants.view_document")
    ):
        return []
    held = {row["document"].document_type_id for row in documents if not row["expired"]}
    return [
        requirement.document_type
        for requirement in DocumentRequirement.objects.filter(
            program=participant.cohort.program
        ).select_related("document_type")
        if requirement.document_type_id not in held
    ]


def _personal(participant: Participant, documents: list[dict], *, revealed: bool) -> dict:
    """NIK, family card, birth date, phone and passport number: masked unless revealed."""
    passport = next(
        (row["document"] for row in documents if row["document"].document_type.code == "passport"),
        None,
    )
    phone = format_phone(participant.phone)
    return {
        "nik": participant.nik if revealed else mask_number(participant.nik),
        "kk_number": participant.kk_number if revealed else mask_number(participant.kk_number),
        "birth_date": participant.birth_date if revealed else None,
        "birth_date_masked": mask_date(participant.birth_date),
        "phone": phone if revealed else mask_phone(phone),
        "passport_number": (
            passport.number if revealed else mask_number(passport.number, keep_start=1)
        )
        if passport
        else "",
    }


def _held_elsewhere(participant: Participant, *, user) -> dict:
    """The parts other apps keep, each None for a role that may not read it."""
    can = user.has_perm
    return {
        "contacts": participant.contacts.all() if can("participants.view_contact") else None,
        "contracts": participant.contracts.all() if can("participants.view_contract") else None,
        "residence": Residence.objects.filter(participant=participant).first()
        if can("participants.view_residence")
        else None,
        "national_exams": ExamResult.objects.filter(
            participant=participant, exam_type__kind=ExamType.Kind.NATIONAL
        ).select_related("exam_type")
        if can("training.view_examresult")
        else None,
        "check_ins": participant.check_ins.select_related("recorded_by")[:10]
        if can("participants.view_checkin")
        else None,
        # Same name and birth date: a fact about the birth date, for those who see it.
        "duplicates": Participant.objects.visible_to(user)
        .filter(pk__in=participant.possible_duplicates())
        .only("pk", "full_name", "participant_number")
        if can("participants.view_personal")
        else None,
        "consents": participant.consents.select_related("recipient", "recorded_by")
        if can("participants.view_consentrecord")
        else None,
    }


def _participant_welfare(participant: Participant, *, user) -> dict | None:
    """Duty of care on the profile: cases (to those who see them), the return home, the
    return plan and the follow-ups after return; None to those who see none of it."""
    if not user.has_perm("welfare.view_case"):
        return None
    abroad = participant.status in WELFARE_ABROAD
    return {
        "cases": Case.objects.visible_to(user)
        .filter(participant=participant)
        .select_related("owner"),
        "home": Return.objects.visible_to(user).filter(participant=participant).first(),
        "return_tasks": ReturnTask.objects.visible_to(user).filter(participant=participant),
        "follow_ups": FollowUp.objects.visible_to(user).filter(participant=participant),
        "can_open": abroad and user.has_perm("welfare.add_case"),
        "can_return": abroad
        and user.has_perm("welfare.add_return")
        and user.has_perm("participants.change_participant"),
    }


SENSITIVE_FIELDS = {
    "nik",
    "kk_number",
    "birth_date",
    "phone",
    "ktp_street",
    "ktp_rt_rw",
    "domicile_street",
    "domicile_rt_rw",
}


def _change_history(participant: Participant, limit: int = 20) -> list[dict]:
    """Who changed which fields and when; the values of personal data are not shown."""
    records = list(
        participant.history.select_related("history_user").order_by("-history_date")[: limit + 1]
    )
    changes = []
    for newer, older in zip(records, records[1:], strict=False):
        delta = newer.diff_against(older)
        changes.append(
            {"record": newer, "fields": [_shown_change(change) for change in delta.changes]}
        )
    if records and len(records) <= limit:
        changes.append({"record": records[-1], "fields": [], "created": True})
    return changes


def _shown_change(change) -> dict:
    field = Participant._meta.get_field(change.field)
    masked = change.field in SENSITIVE_FIELDS
    return {
        "label": field.verbose_name,
        "old": "" if masked else _display_value(field, change.old),
        "new": "" if masked else _display_value(field, change.new),
        "masked": masked,
    }


def _display_value(field, value) -> str:
    if value in (None, ""):
        return ""
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field.is_relation:
        related = field.related_model._default_manager.filter(pk=value).first()
        return str(related) if related else str(value)
    return str(value)


def _participant_readiness(participant: Participant, *, user) -> dict | None:
    """Live while the participant waits to depart; the stored result once departed. The
    reasons about documents only for a user who may read documents."""
    documents_left_out = not readiness.reads_documents(user)
    if participant.status in TRAINEES:
        result = readiness.check(participant)
        return {
            "ready": result.ready,
            "reference_date": result.reference_date,
            "requirements": readiness.requirements_shown_to(user, result.requirements),
            "stored": False,
            "documents_left_out": documents_left_out,
        }
    change = (
        participant.status_changes.filter(
            to_status=Participant.Status.DEPARTED, readiness__isnull=False
        )
        .order_by("-recorded_at")
        .first()
    )
    if change is None:
        return None
    snapshot = change.readiness
    return {
        "ready": snapshot["ready"],
        "reference_date": snapshot["reference_date"],
        "requirements": readiness.requirements_shown_to(user, snapshot["requirements"]),
        "stored": True,
        "documents_left_out": documents_left_out,
    }
