"""Who gets what from every URL: one table, walked for the nine kinds of user.

Every named URL pattern of the site is collected by walking the resolver. Each one needs a row
in ``MATRIX``: the object its URL parameters point at, and the answer a GET gives each user:

* ``LOGIN``: sent to the login page,
* ``OK``: 200, the page is shown (a file is sent),
* ``FORBIDDEN``: 403, the user sees the object but may not do this,
* ``HIDDEN``: 404, the object does not exist for the user,
* ``POST_ONLY``: 405, the URL is an action (its permission is tested with the action),
* ``ELSEWHERE``: a redirect somewhere other than the login page.

A new URL without a row fails ``test_every_url_has_a_row`` with its name. The Django admin's
patterns are left out of the table: the admin has one rule (staff only), tested as a group by
``test_only_staff_reach_the_admin``.

The ninth user is a participant's own portal account (of someone in the second batch): it
reaches the portal's pages, its account pages and the open URLs; every staff page answers it
403, so its column is FORBIDDEN unless a row says otherwise.

The data set is one programme with two batches. The coordinator and leadership are assigned to
the programme; one instructor teaches the batch every object belongs to, the other teaches the
second batch only. It is built once for the whole module, not once per row: each test runs in
a savepoint of it and reads its objects afresh (``built_world``, ``world``).
"""

from __future__ import annotations

import datetime
import io
import zipfile
from dataclasses import dataclass
from decimal import Decimal

import pytest
from celery import current_app
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import translation
from PIL import Image

from cohorts.models import ProgramSignatory
from delegation.models import Job, Notification, Organisation
from delegation.roles import Role
from participants.models import (
    CheckIn,
    ConsentRecord,
    Contract,
    CostItem,
    Document,
    DocumentRequirement,
    DocumentType,
    Residence,
    contract_end,
    to_idr,
)
from participants.sensitive import mask_date, mask_number
from portal.models import ApplicationDraft, DraftDocument, DuplicateReview, PortalAccount
from portal.services import invitation_create
from recruitment.models import ApplicationDocument, Call, Objection
from tests.delegation.test_open_urls import ALL_PATTERNS, NAMED
from tests.factories import (
    AgreementFactory,
    ApplicationFactory,
    CallFactory,
    CohortAssignmentFactory,
    CohortFactory,
    CommitteeMemberFactory,
    ContactFactory,
    DepartureCeremonyFactory,
    DocumentFactory,
    ExamResultFactory,
    ModuleFactory,
    ParticipantFactory,
    ProgramAssignmentFactory,
    ProgramFactory,
    SessionFactory,
    StageFactory,
    TrainingPlanFactory,
    UserFactory,
)
from training.models import Certificate, NonTeachingDay
from welfare import services as services_welfare
from welfare.models import (
    Case,
    ChecklistItem,
    Event,
    EventMember,
    FollowUp,
    ReturnTask,
    TimelineEntry,
)

LOGIN = "login"
OK = 200
FORBIDDEN = 403
HIDDEN = 404
POST_ONLY = 405
ELSEWHERE = "elsewhere"

# The nine users, in the order of every row's answers.
USERS = (
    "anonymous",
    "no_role",
    "hr",
    "coordinator",
    "leadership",
    "instructor",
    "other_instructor",
    "admin",
    "participant",
)


@dataclass(frozen=True)
class Row:
    """The object a URL's parameters point at (None: no parameters) and the nine answers."""

    subject: str | None
    answers: tuple

    def __post_init__(self):
        assert len(self.answers) == len(USERS), f"{self.subject}: {len(self.answers)} answers"


def row(
    subject, anonymous, no_role, hr, coordinator, leadership, instructor, other, admin, **portal
):
    """``participant=`` gives the portal account's answer: 403 (a staff page) unless said."""
    participant = portal.pop("participant", FORBIDDEN)
    assert not portal, portal
    answers = (anonymous, no_role, hr, coordinator, leadership, instructor, other, admin)
    return Row(subject, (*answers, participant))


L, OK_, F, H, P, E = LOGIN, OK, FORBIDDEN, HIDDEN, POST_ONLY, ELSEWHERE

# Notes on answers that are not obvious:
# * "other" is the instructor of the programme's other batch: the programme itself is theirs
#   too (programme pages answer), but the first batch, its people and their records are not
#   (404). The lists they reach (participants, batches) are filtered to their own batch.
# * A URL guarded by a role permission before it looks up its object answers 403 to the
#   signed-in user with no role; one that looks the object up first answers 404.
# * Leadership read costs and contracts but download no files (receipts, documents, generated
#   documents, agreements); instructors see no money, contracts, documents or check-ins,
#   and take no participant list away (no export).
# * The readiness board's spreadsheet names passports and documents in its reasons: only the
#   roles that see documents (HR staff, coordinators, admins) download it.
# * Scans of identity documents, exam certificates and signed contracts carry unmasked
#   personal data: only HR staff (who hold ``participants.view_sensitive``) and admins
#   download them.
# * ``training:module_delete`` redirects back: the module has a session, so it cannot go.
# * ``cohorts:cohort_delete`` redirects back too: the batch has participants.
# * ``participants:import_preview`` redirects to the upload page: nothing was uploaded.
# * Welfare cases are confidential: HR staff and the programme's coordinators open them;
#   leadership's case list shows counts only, and a case itself does not exist for them
#   (404). Money, a person's status and events across programmes stay with HR staff.
#
# columns: anonymous, no role, HR, coordinator, leadership, instructor, other, admin
# fmt: off
MATRIX: dict[str, Row] = {
    "ceremony_pack_create": row("cohort", L, P, P, P, P, P, P, P),
    "certificates_create": row("cohort", L, P, P, P, P, P, P, P),
    "cohort_overview": row("cohort", L, H, OK_, OK_, OK_, OK_, H, OK_),
    "cohort_recap": row("cohort", L, F, OK_, OK_, OK_, OK_, H, OK_),
    "cohorts:agreement_create": row("program", L, H, OK_, F, F, F, F, OK_),
    "cohorts:agreement_delete": row("agreement", L, H, OK_, F, F, F, F, OK_),
    "cohorts:agreement_edit": row("agreement", L, H, OK_, F, F, F, F, OK_),
    "cohorts:agreement_file": row("agreement", L, H, OK_, OK_, F, F, F, OK_),
    "cohorts:ceremony_edit": row("cohort", L, H, F, OK_, F, F, H, OK_),
    "cohorts:cohort_assignment_delete": row("cohort_assignment", L, H, OK_, F, F, F, H, OK_),
    "cohorts:cohort_create": row(None, L, F, OK_, F, F, F, F, OK_),
    "cohorts:cohort_delete": row("cohort", L, H, E, F, F, F, H, E),
    "cohorts:cohort_edit": row("cohort", L, H, OK_, F, F, F, H, OK_),
    "cohorts:cohort_list": row(None, L, F, OK_, OK_, OK_, OK_, OK_, OK_),
    "training:cohort_move": row("cohort", L, P, P, P, P, P, P, P),
    "cohorts:partner_create": row(None, L, F, OK_, F, F, F, F, OK_),
    "cohorts:partner_edit": row("partner", L, H, OK_, F, F, F, F, OK_),
    "cohorts:partner_list": row(None, L, F, OK_, OK_, OK_, F, F, OK_),
    "cohorts:program_assignment_delete": row("program_assignment", L, H, OK_, F, F, F, F, OK_),
    "cohorts:program_create": row(None, L, F, OK_, F, F, F, F, OK_),
    "cohorts:program_edit": row("program", L, H, OK_, F, F, F, F, OK_),
    "cohorts:program_list": row(None, L, F, OK_, OK_, OK_, OK_, OK_, OK_),
    "cohorts:program_staff": row("program", L, H, OK_, F, F, F, F, OK_),
    "cohorts:signatories": row("program", L, H, F, OK_, F, F, F, OK_),
    "dashboard": row(None, L, OK_, OK_, OK_, OK_, OK_, OK_, OK_, participant=E),
    "job_download": row("job", L, F, OK_, OK_, F, F, F, OK_),
    "job_regenerate": row("job", L, P, P, P, P, P, P, P),
    "jobs": row(None, L, F, OK_, OK_, OK_, F, F, OK_),
    "handover_docx": row("cohort", L, F, OK_, OK_, F, F, F, OK_),
    "healthz": row(None, OK_, OK_, OK_, OK_, OK_, OK_, OK_, OK_, participant=OK_),
    "help_index": row(None, L, OK_, OK_, OK_, OK_, OK_, OK_, OK_),
    "help_page": row("guide_section", L, OK_, OK_, OK_, OK_, OK_, OK_, OK_),
    "job_rows": row(None, L, F, OK_, OK_, OK_, F, F, OK_),
    "letterhead_crest": row(None, L, F, OK_, F, F, F, F, OK_),
    "letterhead_edit": row(None, L, F, OK_, F, F, F, F, OK_),
    "login": row(None, OK_, OK_, OK_, OK_, OK_, OK_, OK_, OK_, participant=OK_),
    "logout": row(None, L, P, P, P, P, P, P, P, participant=P),
    "notifications": row(None, L, OK_, OK_, OK_, OK_, OK_, OK_, OK_),
    "participant_data_export": row("participant", L, P, P, P, P, P, P, P),
    "participant_profile": row("participant", L, H, OK_, OK_, OK_, OK_, H, OK_),
    "participant_reveal": row("participant", L, P, P, P, P, P, P, P),
    "participants:check_in_create": row("participant", L, H, OK_, F, F, F, H, OK_),
    "participants:check_in_edit": row("check_in", L, H, OK_, F, F, F, H, OK_),
    "participants:cohort_cost_export": row("cohort", L, F, OK_, OK_, OK_, F, F, OK_),
    "participants:cohort_costs": row("cohort", L, F, OK_, OK_, OK_, F, F, OK_),
    "participants:consent_create": row("participant", L, H, OK_, F, F, F, H, OK_),
    "participants:consent_file": row("consent", L, H, OK_, F, F, F, H, OK_),
    "participants:consent_withdraw": row("consent", L, H, OK_, F, F, F, H, OK_),
    "participants:contract_create": row("participant", L, H, OK_, F, F, F, H, OK_),
    "participants:contract_employer": row("contract", L, H, OK_, F, F, F, H, OK_),
    "participants:contract_extend": row("contract", L, H, OK_, F, F, F, H, OK_),
    "participants:contract_file": row("contract", L, H, OK_, F, F, F, H, OK_),
    "participants:contract_list": row(None, L, F, OK_, OK_, OK_, F, F, OK_),
    "participants:contract_terminate": row("contract", L, H, OK_, F, F, F, H, OK_),
    "participants:cost_create": row("program", L, H, OK_, F, F, F, F, OK_),
    "participants:cost_delete": row("cost", L, H, OK_, F, F, F, F, OK_),
    "participants:cost_edit": row("cost", L, H, OK_, F, F, F, F, OK_),
    "participants:cost_export": row("program", L, F, OK_, OK_, OK_, F, F, OK_),
    "participants:cost_receipt": row("cost", L, H, OK_, OK_, F, F, F, OK_),
    "participants:document_create": row("participant", L, H, OK_, F, F, F, H, OK_),
    "participants:document_file": row("document", L, H, OK_, F, F, F, H, OK_),
    "participants:document_renew": row("document", L, H, OK_, F, F, F, H, OK_),
    "participants:import_preview": row(None, L, F, E, F, F, F, F, E),
    "participants:import_template": row(None, L, F, OK_, F, F, F, F, OK_),
    "participants:import_template_xlsx": row(None, L, F, OK_, F, F, F, F, OK_),
    "participants:import_upload": row(None, L, F, OK_, F, F, F, F, OK_),
    "participants:monitoring": row(None, L, F, OK_, OK_, OK_, F, F, OK_),
    "participants:participant_contacts": row("participant", L, H, OK_, F, F, F, H, OK_),
    "participants:participant_create": row(None, L, F, OK_, F, F, F, F, OK_),
    "participants:participant_edit": row("participant", L, H, OK_, F, F, F, H, OK_),
    "participants:participant_export": row("csv", L, F, OK_, OK_, OK_, F, F, OK_),
    "participants:participant_filters": row(None, L, F, OK_, OK_, OK_, OK_, OK_, OK_),
    "participants:participant_list": row(None, L, F, OK_, OK_, OK_, OK_, OK_, OK_),
    "participants:participant_move": row("participant", L, H, OK_, F, F, F, H, OK_),
    "participants:participant_photo": row("participant", L, F, OK_, OK_, OK_, OK_, H, OK_),
    "participants:participant_transfer": row("participant", L, H, OK_, F, F, F, H, OK_),
    "participants:program_costs": row("program", L, F, OK_, OK_, OK_, F, F, OK_),
    "participants:regency_search": row(None, L, F, OK_, F, F, F, F, OK_),
    "participants:requirements": row("program", L, H, OK_, F, F, F, F, OK_),
    "participants:residence_edit": row("participant", L, H, OK_, F, F, F, H, OK_),
    "participants:search_clear": row(None, L, P, P, P, P, P, P, P),
    # Click-to-chat goes to wa.me: only for roles that see phone numbers unmasked.
    "participants:whatsapp": row("participant", L, H, E, F, F, F, H, E),
    "portal:abroad": row(None, L, F, F, F, F, F, F, F, participant=OK_),
    # Actions: require_POST answers before the portal's own check.
    "portal:consent_withdrawal": row("consent", L, P, P, P, P, P, P, P, participant=P),
    "portal:identity_request": row(None, L, P, P, P, P, P, P, P, participant=P),
    "portal:my_data": row(None, L, F, F, F, F, F, F, F, participant=OK_),
    "portal_data_export": row(None, L, P, P, P, P, P, P, P, participant=P),
    "portal_applications_export": row(None, L, P, P, P, P, P, P, P, participant=P),
    # The portal account is of someone still in training: the form sends them back.
    "portal:check_in": row(None, L, F, F, F, F, F, F, F, participant=E),
    # Someone else's certificate does not exist for the portal account.
    "portal:certificate_download": row("certificate_pk", L, F, F, F, F, F, F, F, participant=H),
    "portal:checklist": row(None, L, F, F, F, F, F, F, F, participant=OK_),
    "portal:document_upload": row("document_type", L, F, F, F, F, F, F, F, participant=OK_),
    "portal:home": row(None, L, F, F, F, F, F, F, F, participant=OK_),
    # The invitation's one-time link is open: it shows the form to choose a password.
    "portal:training": row(None, L, F, F, F, F, F, F, F, participant=OK_),
    "portal:invitation_accept": row(
        "invitation", OK_, OK_, OK_, OK_, OK_, OK_, OK_, OK_, participant=OK_
    ),
    # The applicants' way in is open; the link of an unknown token opens nothing (404).
    "portal:open_calls": row(None, OK_, OK_, OK_, OK_, OK_, OK_, OK_, OK_, participant=OK_),
    "portal:register": row(None, OK_, OK_, OK_, OK_, OK_, OK_, OK_, OK_, participant=OK_),
    "portal:register_done": row(None, OK_, OK_, OK_, OK_, OK_, OK_, OK_, OK_, participant=OK_),
    "portal:verify_email": row("verification", H, H, H, H, H, H, H, H, participant=H),
    # Applying needs a portal account; the world's call is in its selection, not open.
    "portal:apply": row("portal_call", L, F, F, F, F, F, F, F, participant=H),
    "portal:apply_step": row("portal_call_step", L, F, F, F, F, F, F, F, participant=H),
    "portal:applications": row(None, L, F, F, F, F, F, F, F, participant=OK_),
    "portal:application_detail": row("portal_application", L, F, F, F, F, F, F, F, participant=OK_),
    "portal:application_receipt": row(
        "portal_application", L, F, F, F, F, F, F, F, participant=OK_
    ),
    "portal:follow_ups": row(None, L, F, F, F, F, F, F, F, participant=OK_),
    # The world's follow-up is someone else's: it does not exist for the portal account.
    "portal:follow_up_answer": row("follow_up", L, F, F, F, F, F, F, F, participant=H),
    "portal_staff:duplicate_queue": row(None, L, F, OK_, OK_, F, F, F, OK_),
    "portal_staff:duplicate_decide": row("duplicate", L, P, P, P, P, P, P, P),
    "portal_staff:duplicate_document": row("draft_document", L, F, OK_, OK_, F, F, F, OK_),
    "portal_staff:document_accept": row("upload", L, P, P, P, P, P, P, P),
    "portal_staff:document_refuse": row("upload", L, P, P, P, P, P, P, P),
    "portal_staff:participant_invite": row("participant", L, P, P, P, P, P, P, P),
    "portal_staff:person_request_answer": row("upload", L, P, P, P, P, P, P, P),
    "portal_staff:person_requests": row(None, L, F, OK_, F, F, F, F, OK_),
    "portal_staff:verification_queue": row(None, L, F, OK_, F, F, F, F, OK_),
    "password_change": row(None, L, OK_, OK_, OK_, OK_, OK_, OK_, OK_, participant=OK_),
    "password_change_done": row(None, L, OK_, OK_, OK_, OK_, OK_, OK_, OK_, participant=OK_),
    "password_reset": row(None, OK_, OK_, OK_, OK_, OK_, OK_, OK_, OK_, participant=OK_),
    "password_reset_complete": row(None, OK_, OK_, OK_, OK_, OK_, OK_, OK_, OK_, participant=OK_),
    "password_reset_confirm": row(
        "reset_link", OK_, OK_, OK_, OK_, OK_, OK_, OK_, OK_, participant=OK_
    ),
    "password_reset_done": row(None, OK_, OK_, OK_, OK_, OK_, OK_, OK_, OK_, participant=OK_),
    "program_overview": row("program", L, H, OK_, OK_, OK_, OK_, OK_, OK_),
    "program_recap": row("program", L, F, OK_, OK_, OK_, OK_, OK_, OK_),
    "programme_report_create": row("program", L, P, P, P, P, P, P, P),
    "readiness_export": row("cohort", L, F, OK_, OK_, F, F, F, OK_),
    # Leadership's own report: they read it though they download no other generated file.
    "programme_report_latest": row("program", L, F, OK_, OK_, OK_, F, F, OK_),
    "recap": row(None, L, F, OK_, OK_, OK_, OK_, OK_, OK_),
    "recruitment:application_check": row("application", L, P, P, P, P, P, P, P),
    "recruitment:application_create": row("call", L, H, E, E, F, H, H, E),
    "recruitment:application_detail": row("application", L, H, OK_, OK_, OK_, H, H, OK_),
    "recruitment:application_document": row("application_document", L, H, OK_, OK_, F, H, H, OK_),
    "recruitment:application_list": row("call", L, H, OK_, OK_, OK_, H, H, OK_),
    "recruitment:application_receipt": row("application", L, H, OK_, OK_, F, H, H, OK_),
    "recruitment:application_reveal": row("application", L, P, P, P, P, P, P, P),
    "recruitment:call_create": row(None, L, F, OK_, F, F, F, F, OK_),
    "recruitment:call_decide": row("call", L, H, OK_, F, F, H, H, OK_),
    "recruitment:call_detail": row("call", L, H, OK_, OK_, OK_, H, H, OK_),
    "recruitment:call_edit": row("call", L, H, E, F, F, H, H, E),
    "recruitment:call_list": row(None, L, F, OK_, OK_, OK_, F, F, OK_),
    "recruitment:call_move": row("call", L, P, P, P, P, P, P, P),
    "recruitment:call_publish": row("call", L, P, P, P, P, P, P, P),
    "recruitment:fairness": row("call", L, H, OK_, OK_, OK_, H, H, OK_),
    "recruitment:member_conflicts": row("committee_member", L, H, F, F, F, H, H, F),
    "recruitment:member_create": row("call", L, H, OK_, F, F, H, H, OK_),
    "recruitment:member_pact": row("committee_member", L, P, P, P, P, P, P, P),
    "recruitment:objection_answer": row("objection", L, H, OK_, OK_, F, H, H, OK_),
    "recruitment:objections": row("call", L, H, OK_, OK_, OK_, H, H, OK_),
    "recruitment:ranking": row("call", L, H, OK_, OK_, OK_, H, H, OK_),
    "recruitment:ranking_export": row("call", L, H, OK_, OK_, OK_, H, H, OK_),
    "recruitment:reserve_replace": row("application", L, H, OK_, F, F, H, H, OK_),
    # The world's call is under selection: its stages no longer change (back to the call).
    "recruitment:stage_create": row("call", L, H, E, F, F, H, H, E),
    "recruitment:stage_edit": row("stage", L, H, E, F, F, H, H, E),
    "recruitment:stage_lock": row("stage", L, P, P, P, P, P, P, P),
    "recruitment:stage_scores": row("stage", L, H, OK_, F, F, H, H, OK_),
    "selection_document_create": row("call_document", L, P, P, P, P, P, P, P),
    "roster_xlsx": row("cohort", L, F, OK_, OK_, F, F, F, OK_),
    "set_language": row(None, E, E, E, E, E, E, E, E, participant=E),
    "training:attendance": row("session", L, H, OK_, OK_, OK_, OK_, H, OK_),
    "training:attendance_export": row("cohort", L, F, OK_, OK_, OK_, OK_, H, OK_),
    "training:cohort_bulk": row("cohort", L, H, OK_, F, F, F, H, OK_),
    "training:cohort_depart": row("cohort", L, H, OK_, F, F, F, H, OK_),
    "training:cohort_exams": row("cohort", L, H, OK_, F, F, OK_, H, OK_),
    "training:cohort_training": row("cohort", L, F, OK_, OK_, OK_, OK_, H, OK_),
    "training:exam_certificate": row("exam_result", L, H, OK_, F, F, F, H, OK_),
    "training:exam_requirements": row("program", L, H, OK_, F, F, F, F, OK_),
    "training:exam_result_create": row("participant", L, H, OK_, F, F, OK_, H, OK_),
    "training:home": row(None, L, F, OK_, OK_, OK_, OK_, OK_, OK_),
    "training:module_create": row("cohort", L, H, OK_, F, F, F, H, OK_),
    "training:module_delete": row("module", L, H, E, F, F, F, H, E),
    "training:module_edit": row("module", L, H, OK_, F, F, F, H, OK_),
    "training:non_teaching_day_delete": row("non_teaching_day", L, F, OK_, F, F, F, F, OK_),
    "training:non_teaching_days": row(None, L, F, OK_, OK_, OK_, OK_, OK_, OK_),
    "training:participant_depart": row("participant", L, H, OK_, F, F, F, H, OK_),
    "training:participant_ready": row("participant", L, P, P, P, P, P, P, P),
    "training:participant_training": row("participant", L, F, OK_, OK_, OK_, OK_, H, OK_),
    "training:plan_edit": row("cohort", L, H, OK_, F, F, F, H, OK_),
    "training:schedule": row("module", L, H, OK_, F, F, F, H, OK_),
    "training:session_edit": row("session", L, H, OK_, F, F, F, H, OK_),
    "training:session_sheet": row("session", L, H, OK_, OK_, F, OK_, H, OK_),
    "two_factor_manage": row(None, L, OK_, OK_, OK_, OK_, OK_, OK_, OK_, participant=OK_),
    "two_factor_setup": row(None, L, OK_, OK_, OK_, OK_, OK_, OK_, OK_, participant=OK_),
    # No device yet: to the setup.
    "two_factor_verify": row(None, L, E, E, E, E, E, E, E, participant=E),
    "verify": row("certificate", OK_, OK_, OK_, OK_, OK_, OK_, OK_, OK_, participant=OK_),
    "welfare:alumni": row(None, L, F, OK_, OK_, F, F, F, OK_),
    "welfare:alumni_export": row(None, L, F, OK_, OK_, F, F, F, OK_),
    "welfare:case_acknowledge": row("case", L, P, P, P, P, P, P, P),
    "welfare:case_close": row("case", L, H, OK_, OK_, H, H, H, OK_),
    "welfare:case_create": row("participant", L, H, OK_, OK_, F, F, H, OK_),
    "welfare:case_death": row("case", L, H, OK_, F, H, H, H, OK_),
    "welfare:case_detail": row("case", L, H, OK_, OK_, H, H, H, OK_),
    "welfare:case_edit": row("case", L, H, OK_, OK_, H, H, H, OK_),
    "welfare:case_list": row(None, L, F, OK_, OK_, OK_, F, F, OK_),
    "welfare:case_missing": row("case", L, H, OK_, F, H, H, H, OK_),
    "welfare:case_reopen": row("case", L, H, OK_, OK_, H, H, H, OK_),
    "welfare:checklist_done": row("checklist_item", L, H, OK_, OK_, H, H, H, OK_),
    "welfare:cost_create": row("case", L, H, OK_, F, H, H, H, OK_),
    "welfare:entry_attachment": row("timeline_entry", L, H, OK_, OK_, H, H, H, OK_),
    "welfare:entry_create": row("case", L, H, OK_, OK_, H, H, H, OK_),
    "welfare:event_close": row("event", L, H, OK_, F, H, H, H, OK_),
    "welfare:event_create": row(None, L, F, OK_, F, F, F, F, OK_),
    "welfare:event_detail": row("event", L, H, OK_, OK_, H, H, H, OK_),
    "welfare:event_list": row(None, L, F, OK_, OK_, F, F, F, OK_),
    "welfare:follow_up_fill": row("follow_up", L, H, OK_, OK_, H, H, H, OK_),
    "welfare:follow_up_list": row(None, L, F, OK_, OK_, F, F, F, OK_),
    "welfare:help_now": row("participant", L, H, OK_, OK_, F, F, H, OK_),
    "welfare:member_record": row("event_member", L, H, OK_, OK_, H, H, H, OK_),
    "welfare:return_extend": row("return_task", L, H, OK_, F, H, H, H, OK_),
    "welfare:return_home": row("participant", L, H, OK_, F, F, F, H, OK_),
    "welfare:return_planning": row(None, L, F, OK_, OK_, F, F, F, OK_),
    "welfare:return_task_done": row("return_task", L, H, OK_, OK_, H, H, H, OK_),
}
# fmt: on

# The selection committee (``selection_committee``): a ninth user, a member of the world's
# call who assesses its stage. Outside the selection they are like a user with no role; in it
# they see the call, its applicants and documents, and enter the scores of their stage, but
# not the ranking, the objections or anything that needs personal data.
COMMITTEE_ANSWERS = {
    "recruitment:application_create": F,
    "recruitment:application_detail": OK_,
    "recruitment:application_document": OK_,
    "recruitment:application_list": OK_,
    "recruitment:application_receipt": F,
    "recruitment:call_create": F,
    "recruitment:call_decide": F,
    "recruitment:call_detail": OK_,
    "recruitment:call_edit": F,
    "recruitment:call_list": OK_,
    "recruitment:fairness": F,
    "recruitment:member_conflicts": OK_,
    "recruitment:member_create": F,
    "recruitment:objection_answer": F,
    "recruitment:objections": F,
    "recruitment:ranking": F,
    "recruitment:ranking_export": F,
    "recruitment:reserve_replace": F,
    "recruitment:stage_create": F,
    "recruitment:stage_edit": F,
    "recruitment:stage_scores": OK_,
}

ADMIN_EXCLUDED = "admin:"  # the Django admin: staff only, see test_only_staff_reach_the_admin

SITE_URLS = [name for name in NAMED if not name.startswith(ADMIN_EXCLUDED)]


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, format="PNG")
    return buffer.getvalue()


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


# Values a user without ``participants.view_sensitive`` must never read in full.
SECRETS = {
    "kk_number": "6371019988776655",
    "street": "Jalan Cempaka Rahasia",
    "phone": "081299887766",
    "passport": "C7654321",
}
SECRET_TEXTS = [
    *SECRETS.values(),
    "9988",  # the middle of the phone number, whatever its format
    "1998-02-18",
    "18/02/1998",
    "18 Februari 1998",
    "18 Feb 1998",
    "February 18, 1998",
]
# Money and contract terms: not for instructors (nor anyone without a role).
CONTRACT_TERMS = {"employer": "Sakura Kaigo Employer KK"}
MONEY_TEXTS = ["1.234.567", "1,234,567", "1234567", "234.567", "234,567", "234567"]
SEES_SENSITIVE = {"hr", "admin"}
SEES_MONEY = {"hr", "coordinator", "leadership", "admin"}
# Document facts and life abroad (passport validity, required documents, residence status,
# the embassy report): only for roles holding the document and residence permissions.
DOCUMENT_DATES = {
    "passport_expiry": datetime.date(2033, 4, 21),
    "embassy_report": datetime.date(2032, 8, 19),
}
DOCUMENT_TEXTS = ["SKCK", "2033", "2032", "Lapor diri"]
# The portal account reads the documents its own programme requires (its checklist); the
# world's person is someone else, so their passport dates would still be a leak.
SEES_DOCUMENTS = {"hr", "coordinator", "admin", "participant"}
# Personal data even masked (6371••••••••01, ••-••-1998): not for instructors.
SEES_PERSONAL = {"hr", "coordinator", "leadership", "admin"}


@pytest.fixture(scope="module")
def built_world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The world, built once for the module (in each test process) inside a transaction that
    is rolled back once the module's tests are done. Each test runs in a savepoint of it, as
    ``TestCase.setUpTestData`` does, so whatever a test changes is gone before the next one.
    Its files live in a folder of the module's own."""
    media = tmp_path_factory.mktemp("permission-matrix-media")
    eager = current_app.conf.task_always_eager
    current_app.conf.task_always_eager = True
    outer = transaction.atomic()
    with django_db_blocker.unblock():
        outer.__enter__()
        try:
            with (
                override_settings(
                    MEDIA_ROOT=media,
                    PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
                    CACHES={"default": {"BACKEND": LOCMEM}},
                ),
                translation.override(settings.LANGUAGE_CODE),
            ):
                users, objects = build_world()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
        finally:
            current_app.conf.task_always_eager = eager
    yield media, users, objects
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture
def world(built_world, db, settings):
    """The module's world, read afresh for each test (a test may delete or change a row)."""
    media, users, objects = built_world
    settings.MEDIA_ROOT = media
    return (
        {who: type(user).objects.get(pk=user.pk) for who, user in users.items()},
        {name: _afresh(obj) for name, obj in objects.items()},
    )


def _afresh(value):
    """A row read again from the database; a plain value (an invitation's token) as it is."""
    if isinstance(value, models.Model):
        return type(value).objects.get(pk=value.pk)
    return value


LOCMEM = "django.core.cache.backends.locmem.LocMemCache"


def build_world():
    """Every kind of object a URL can point at, in one programme's first batch."""
    users = {
        "no_role": UserFactory(username="no-role"),
        "hr": UserFactory(username="hr", role=Role.HR_STAFF),
        "coordinator": UserFactory(username="coordinator", role=Role.COORDINATOR),
        "leadership": UserFactory(username="leadership", role=Role.LEADERSHIP),
        "instructor": UserFactory(username="instructor", role=Role.INSTRUCTOR),
        "other_instructor": UserFactory(username="other-instructor", role=Role.INSTRUCTOR),
        "admin": UserFactory(username="admin", is_staff=True, is_superuser=True),
        "committee": UserFactory(username="committee", role=Role.SELECTION_COMMITTEE),
        "participant": UserFactory(username="peserta@example.org", role=Role.PARTICIPANT),
    }
    program = ProgramFactory(slug="kaikoukai")
    cohort = CohortFactory(program=program, number=4)
    other_cohort = CohortFactory(program=program, number=5)
    program_assignment = ProgramAssignmentFactory(
        program=program, user=users["coordinator"], role="coordinator"
    )
    ProgramAssignmentFactory(program=program, user=users["leadership"], role="leadership")
    cohort_assignment = CohortAssignmentFactory(cohort=cohort, user=users["instructor"])
    CohortAssignmentFactory(cohort=other_cohort, user=users["other_instructor"])

    agreement = AgreementFactory(program=program)
    agreement.file.save("mou.pdf", ContentFile(PDF))
    DepartureCeremonyFactory(cohort=cohort)
    ProgramSignatory.objects.create(
        program=program,
        document=ProgramSignatory.Document.ROSTER,
        name="Ir. H. Ikhsan",
        position="Sekretaris Daerah Kota Banjarmasin",
    )

    participant = ParticipantFactory(
        cohort=cohort,
        status="working",
        participant_number="KAI-04-001",
        kk_number=SECRETS["kk_number"],
        ktp_street=SECRETS["street"],
        phone=SECRETS["phone"],
    )
    participant.photo.save("foto.png", ContentFile(_png()))
    document = DocumentFactory(
        participant=participant,
        number=SECRETS["passport"],
        expires_on=DOCUMENT_DATES["passport_expiry"],
    )
    document.file.save("paspor.pdf", ContentFile(PDF))
    ContactFactory(participant=participant)

    cost = CostItem.objects.create(
        program=program,
        cohort=cohort,
        category="airfare",
        payer="sponsor",
        amount=Decimal("1234567"),
        currency="IDR",
        rate_to_idr=Decimal("1"),
        amount_idr=to_idr(Decimal("1234567"), Decimal("1")),
        date=datetime.date(2026, 2, 10),
        description="Tiket",
    )
    cost.receipt.save("kwitansi.pdf", ContentFile(PDF))
    start = datetime.date(2026, 3, 2)
    contract = Contract.objects.create(
        participant=participant,
        employer=CONTRACT_TERMS["employer"],
        monthly_salary=Decimal("234567"),
        start_date=start,
        term_years=5,
        end_date=contract_end(start, 5),
        status=Contract.Status.ACTIVE,
    )
    contract.signed_file.save("kontrak.pdf", ContentFile(PDF))
    Residence.objects.create(
        participant=participant,
        status=Residence.Kind.CARE,
        embassy_report_date=DOCUMENT_DATES["embassy_report"],
    )
    # Someone of the batch still waiting to depart: the readiness board lists their reasons.
    DocumentRequirement.objects.create(
        program=program, document_type=DocumentType.objects.get(code="police_clearance")
    )
    DocumentFactory(
        participant=ParticipantFactory(cohort=cohort, status="in_training"),
        expires_on=DOCUMENT_DATES["passport_expiry"],
    )
    check_in = CheckIn.objects.create(
        participant=participant,
        date=datetime.date(2026, 6, 1),
        channel="video",
        held_by="city",
        wellbeing=4,
        work_satisfaction=4,
    )

    # The portal account belongs to someone of the second batch, with an upload waiting.
    own = ParticipantFactory(cohort=other_cohort, status="in_training")
    PortalAccount.objects.create(user=users["participant"], participant=own)
    upload = DocumentFactory(participant=own, review=Document.Review.PENDING, number="")
    upload.file.save("upload.pdf", ContentFile(PDF))
    _invitation, invitation_link = invitation_create(
        participant=ParticipantFactory(cohort=cohort), email="undangan@example.org"
    )

    plan = TrainingPlanFactory(cohort=cohort)
    module = ModuleFactory(plan=plan)
    session = SessionFactory(module=module)
    exam_result = ExamResultFactory(participant=participant)
    exam_result.certificate.save("jlpt-n4.pdf", ContentFile(PDF))
    non_teaching_day, _created = NonTeachingDay.objects.get_or_create(
        date=datetime.date(2025, 8, 17), defaults={"name": "Hari Kemerdekaan"}
    )
    certificate = Certificate.objects.create(
        participant=participant,
        kind=Certificate.Kind.TRAINING,
        number="001/SERT/2026",
        token="a-verification-token",
        issued_on=datetime.date(2026, 2, 14),
        hours=Decimal("900"),
    )
    consent = ConsentRecord.objects.create(
        participant=participant,
        kind=ConsentRecord.Kind.PROCESSING,
        given_on=datetime.date(2025, 2, 3),
        scope="Pendaftaran dan pelatihan",
    )
    consent.signed_file.save("persetujuan.pdf", ContentFile(PDF))
    job = Job.objects.create(
        kind="roster",
        subject_type=ContentType.objects.get_for_model(cohort),
        subject_id=cohort.pk,
        status=Job.Status.DONE,
        requested_by=users["coordinator"],
    )
    job.file.save("daftar-peserta.pdf", ContentFile(PDF))
    report = Job.objects.create(
        kind="programme_report",
        subject_type=ContentType.objects.get_for_model(program),
        subject_id=program.pk,
        status=Job.Status.DONE,
        requested_by=users["hr"],
        finished_at=datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC),
    )
    report.file.save("laporan-program.pdf", ContentFile(PDF))
    Notification.objects.create(user=users["coordinator"], text="Kontrak berakhir", link="/")
    organisation = Organisation.objects.create(
        pk=Organisation.SINGLE_ROW_ID, name="Pemerintah Kota Banjarmasin"
    )
    organisation.logo.save("lambang.png", ContentFile(_png()))

    case = services_welfare.case_open(
        participant=participant,
        kind=Case.Kind.ILLNESS,
        severity=Case.Severity.MEDIUM,
        reported_via=Case.Source.EMPLOYER,
        description="Demam",
        by=users["hr"],
    )
    entry = TimelineEntry.objects.create(
        case=case, at=datetime.datetime(2026, 6, 2, 9, 0, tzinfo=datetime.UTC), action="Telepon"
    )
    entry.attachment.save("surat-dokter.pdf", ContentFile(PDF))
    checklist_item = ChecklistItem.objects.create(case=case, kind=ChecklistItem.Kind.BPJS_CLAIM)
    event = Event.objects.create(
        name="Gempa", country="JP", subdivisions=["JP-17"], occurred_on=datetime.date(2026, 6, 1)
    )
    event_member = EventMember.objects.create(
        event=event, participant=participant, group=EventMember.Group.UNKNOWN
    )
    return_task = ReturnTask.objects.create(
        participant=participant,
        contract=contract,
        kind=ReturnTask.Kind.EXTENSION_WISH,
        due_on=datetime.date(2030, 12, 1),
    )
    follow_up = FollowUp.objects.create(
        participant=participant, months=1, due_on=datetime.date(2026, 7, 1)
    )
    # A call of the programme in its selection, with a stage the committee user assesses
    # alongside an assessor without an account, an applicant with a document and an objection.
    call = CallFactory(cohort=other_cohort, status=Call.Status.SCORING)
    stage = StageFactory(call=call, order=1, name="Wawancara")
    committee_member = CommitteeMemberFactory(call=call, user=users["committee"])
    committee_member.stages.set([stage])
    CommitteeMemberFactory(call=call, user=None, name="Tanaka Hiroshi").stages.set([stage])
    application = ApplicationFactory(call=call)
    application_document = ApplicationDocument.objects.create(application=application, name="KTP")
    application_document.file.save("ktp.pdf", ContentFile(PDF))
    objection = Objection.objects.create(
        call=call,
        application=application,
        received_on=datetime.date(2026, 5, 14),
        text="Nilai saya",
        recorded_by=users["hr"],
    )

    # The portal account's own application to the call, sent and found a possible duplicate.
    portal_application = ApplicationDraft.objects.create(
        user=users["participant"],
        call=call,
        status=ApplicationDraft.Status.SUBMITTED,
        application=application,
        consent_version="2026-1",
        consented_at=datetime.datetime(2026, 1, 7, 9, 0, tzinfo=datetime.UTC),
    )
    duplicate = DuplicateReview.objects.create(draft=portal_application, same_call=application)
    draft_document = DraftDocument.objects.create(
        draft=portal_application, name="KTP", file=ContentFile(PDF, name="ktp.pdf")
    )

    objects = {
        "case": case,
        "timeline_entry": entry,
        "checklist_item": checklist_item,
        "event": event,
        "event_member": event_member,
        "return_task": return_task,
        "follow_up": follow_up,
        "program": program,
        "call": call,
        "stage": stage,
        "committee_member": committee_member,
        "application": application,
        "application_document": application_document,
        "objection": objection,
        "partner": program.partner,
        "cohort": cohort,
        "agreement": agreement,
        "participant": participant,
        "document": document,
        "cost": cost,
        "contract": contract,
        "check_in": check_in,
        "module": module,
        "session": session,
        "non_teaching_day": non_teaching_day,
        "certificate": certificate,
        "consent": consent,
        "exam_result": exam_result,
        "job": job,
        "program_assignment": program_assignment,
        "cohort_assignment": cohort_assignment,
        "upload": upload,
        "invitation_token": invitation_link.rstrip("/").rsplit("/", 1)[-1],
        "portal_application": portal_application,
        "duplicate": duplicate,
        "draft_document": draft_document,
    }
    return users, objects


def url_for(view_name: str, subject: str | None, objects: dict) -> str:
    if subject is None:
        return reverse(view_name)
    if subject == "certificate":
        return reverse(view_name, kwargs={"token": objects["certificate"].token})
    if subject == "reset_link":
        return reverse(view_name, kwargs={"uidb64": "MQ", "token": "set-password"})
    if subject == "csv":
        return reverse(view_name, kwargs={"fmt": "csv"})
    if subject == "xlsx":
        return reverse(view_name, kwargs={"fmt": "xlsx"})
    if subject == "call_document":
        return reverse(view_name, kwargs={"pk": objects["call"].pk, "kind": "selection_result"})
    if subject == "invitation":
        return reverse(view_name, kwargs={"token": objects["invitation_token"]})
    if subject == "verification":
        return reverse(view_name, kwargs={"token": "an-unknown-token"})
    if subject == "portal_call":
        return reverse(view_name, kwargs={"call_pk": objects["call"].pk})
    if subject == "portal_call_step":
        return reverse(view_name, kwargs={"call_pk": objects["call"].pk, "step": "personal"})
    if subject == "certificate_pk":
        return reverse(view_name, kwargs={"pk": objects["certificate"].pk})
    if subject == "document_type":
        return reverse(view_name, kwargs={"code": "police_clearance"})
    if subject == "guide_section":
        return reverse(view_name, kwargs={"slug": "mulai"})
    obj = objects[subject]
    if subject == "program":
        return reverse(view_name, kwargs={"slug": obj.slug})
    return reverse(view_name, kwargs={"pk": obj.pk})


def answer(response):
    login = reverse(settings.LOGIN_URL)
    if response.status_code in (301, 302):
        return LOGIN if response["Location"].startswith(login) else ELSEWHERE
    return response.status_code


def readable_text(response) -> str:
    """What a person reads in a page or an export (a sent file is not read)."""
    if response.streaming:
        return ""
    content_type = response.get("Content-Type", "")
    if "spreadsheetml" in content_type:
        with zipfile.ZipFile(io.BytesIO(response.content)) as workbook:
            return " ".join(
                workbook.read(name).decode()
                for name in workbook.namelist()
                if name.endswith(".xml")
            )
    return response.content.decode(response.charset or "utf-8", errors="replace")


def observe(view_name: str, subject: str | None, users: dict, objects: dict):
    """Each user's answer, the text of each page shown, and the signed-in users whose answer
    a cache may keep (it lacks ``Cache-Control: no-store``)."""
    path = url_for(view_name, subject, objects)
    answers, texts, cacheable = [], {}, []
    for who in USERS:
        client = Client()
        if who != "anonymous":
            client.force_login(users[who])
        response = client.get(path)
        answers.append(answer(response))
        if response.status_code == 200:
            texts[who] = readable_text(response)
        if who != "anonymous" and "no-store" not in response.get("Cache-Control", ""):
            cacheable.append(who)
    return tuple(answers), texts, cacheable


def test_every_url_has_a_row():
    missing = [name for name in SITE_URLS if name not in MATRIX]
    assert missing == [], f"URL patterns without a row in the permission matrix: {missing}"


def test_every_row_is_a_url():
    assert sorted(set(MATRIX) - set(SITE_URLS)) == []


@pytest.mark.parametrize("view_name", SITE_URLS)
def test_the_selection_committee_gets_its_answers(world, view_name):
    """In the selection, the committee's column; everywhere else, the no-role user's."""
    users, objects = world
    expected = MATRIX[view_name]
    want = COMMITTEE_ANSWERS.get(view_name, expected.answers[USERS.index("no_role")])
    client = Client()
    client.force_login(users["committee"])
    response = client.get(url_for(view_name, expected.subject, objects))
    assert answer(response) == want
    if response.status_code == 200:
        assert "no-store" in response.get("Cache-Control", "")
        text = readable_text(response)
        person = objects["participant"]
        assert person.nik not in text and mask_number(person.nik) not in text
        assert mask_number(objects["application"].nik) not in text


@pytest.mark.parametrize("view_name", SITE_URLS)
def test_each_user_gets_the_answer_of_the_table(world, view_name):
    assert view_name in MATRIX, f"{view_name} has no row in the permission matrix"
    users, objects = world
    expected = MATRIX[view_name]
    got, texts, cacheable = observe(view_name, expected.subject, users, objects)
    wrong = {
        who: {"expected": want, "got": have}
        for who, want, have in zip(USERS, expected.answers, got, strict=True)
        if want != have
    }
    assert wrong == {}, f"{view_name}: {wrong}"

    leaks = {}
    for who, text in texts.items():
        shown = []
        if who not in SEES_SENSITIVE:
            shown += [secret for secret in SECRET_TEXTS if secret in text]
            shown += [objects["participant"].nik] if objects["participant"].nik in text else []
        if who not in SEES_MONEY:
            shown += [money for money in MONEY_TEXTS if money in text]
            shown += [term for term in CONTRACT_TERMS.values() if term in text]
        if who not in SEES_DOCUMENTS:
            shown += [fact for fact in DOCUMENT_TEXTS if fact in text]
        if who not in SEES_PERSONAL:
            person = objects["participant"]
            masked = [mask_number(person.nik), mask_date(person.birth_date)]
            shown += [value for value in masked if value in text]
        if shown:
            leaks[who] = shown
    assert leaks == {}, f"{view_name} shows what these users may not read: {leaks}"
    # Pages and files for signed-in users carry personal data: no cache may keep them.
    assert cacheable == [], f"{view_name} may be kept in a cache for {cacheable}"


def test_the_admin_patterns_are_all_under_admin():
    admin = [ns for ns, _pattern in ALL_PATTERNS if ns.startswith("admin")]
    assert admin, "the Django admin is no longer mounted"


@pytest.mark.parametrize(
    "who", ["anonymous", "no_role", "hr", "coordinator", "leadership", "instructor", "admin"]
)
def test_only_staff_reach_the_admin(world, who):
    """Everyone but staff ends on the site's login page, whatever admin page they ask for."""
    users, objects = world
    client = Client()
    if who != "anonymous":
        client.force_login(users[who])
    for path in (
        reverse("admin:index"),
        reverse("admin:participants_participant_changelist"),
        reverse("admin:participants_participant_change", args=[objects["participant"].pk]),
    ):
        response = client.get(path, follow=True)
        if who == "admin":
            assert (response.status_code, response.redirect_chain) == (200, []), path
            assert "no-store" in response["Cache-Control"], path
        else:
            assert response.request["PATH_INFO"] == reverse(settings.LOGIN_URL), path


def test_a_portal_account_is_refused_the_admin(world):
    users, objects = world
    client = Client()
    client.force_login(users["participant"])
    for path in (
        reverse("admin:index"),
        reverse("admin:participants_participant_change", args=[objects["participant"].pk]),
    ):
        assert client.get(path).status_code == FORBIDDEN, path


# A job outlives no assignment: once the coordinator who asked for the world's generated
# document leaves the programme, its URLs answer as for any job they cannot see.
# columns: anonymous, no role, HR, coordinator, leadership, instructor, other, admin
# fmt: off
AFTER_UNASSIGNMENT: dict[str, Row] = {
    "job_download": row("job", L, F, OK_, H, F, F, F, OK_),
}
# fmt: on


@pytest.mark.parametrize("view_name", sorted(AFTER_UNASSIGNMENT))
def test_a_job_answers_nobody_who_no_longer_sees_its_subject(world, view_name):
    users, objects = world
    objects["program_assignment"].delete()
    expected = AFTER_UNASSIGNMENT[view_name]
    got, _texts, _cacheable = observe(view_name, expected.subject, users, objects)
    assert got == expected.answers


@pytest.mark.parametrize("view_name", ["job_regenerate"])
def test_a_job_is_not_made_again_by_someone_who_no_longer_sees_its_subject(world, view_name):
    users, objects = world
    objects["program_assignment"].delete()
    client = Client()
    client.force_login(users["coordinator"])
    assert client.post(url_for(view_name, "job", objects)).status_code == HIDDEN


@pytest.mark.parametrize("view_name", ["jobs", "job_rows"])
def test_the_job_lists_leave_out_jobs_whose_subject_is_out_of_sight(world, view_name):
    users, objects = world
    client = Client()
    client.force_login(users["coordinator"])
    download = reverse("job_download", args=[objects["job"].pk])
    assert download in client.get(reverse(view_name)).content.decode()
    objects["program_assignment"].delete()
    assert download not in client.get(reverse(view_name)).content.decode()
