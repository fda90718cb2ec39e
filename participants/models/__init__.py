"""The participant registry's models, one module per subject."""

from participants.models.abroad import CheckIn, CheckInQuerySet, Residence, overdue_check_ins
from participants.models.consent import ConsentRecord, ConsentRecordQuerySet
from participants.models.contracts import Contract, ContractQuerySet, contract_end
from participants.models.costs import CostItem, CostItemQuerySet, to_idr
from participants.models.documents import (
    Document,
    DocumentQuerySet,
    DocumentRequirement,
    DocumentType,
)
from participants.models.people import (
    BEFORE_DEPARTURE,
    DIGITS_16,
    KATAKANA,
    MOVES,
    POSTAL_CODE,
    READINESS_MOVES,
    REASON_REQUIRED,
    RT_RW,
    SENT_STATUSES,
    Contact,
    Participant,
    ParticipantQuerySet,
    Region,
    RegionQuerySet,
    Status,
    StatusChange,
    next_participant_number,
    program_prefix,
)

__all__ = [
    "CheckIn",
    "CheckInQuerySet",
    "ConsentRecord",
    "ConsentRecordQuerySet",
    "Contract",
    "ContractQuerySet",
    "CostItem",
    "CostItemQuerySet",
    "Residence",
    "contract_end",
    "overdue_check_ins",
    "to_idr",
    "BEFORE_DEPARTURE",
    "DIGITS_16",
    "KATAKANA",
    "MOVES",
    "POSTAL_CODE",
    "READINESS_MOVES",
    "REASON_REQUIRED",
    "RT_RW",
    "SENT_STATUSES",
    "Contact",
    "Document",
    "DocumentQuerySet",
    "DocumentRequirement",
    "DocumentType",
    "Participant",
    "ParticipantQuerySet",
    "Region",
    "RegionQuerySet",
    "Status",
    "StatusChange",
    "next_participant_number",
    "program_prefix",
]
