"""The applicants' side of the portal: self-registration with a verified e-mail address, the
application typed step by step in a draft and sent through the recruitment service, the
review of submissions whose NIK is already known, and the news of published results.

Nothing here tells a person whether an e-mail address or a NIK is already known: the answers
are the same either way, and what differs happens in a mailbox or in the staff's queue."""

from __future__ import annotations

import datetime
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from delegation.audit import record_event
from delegation.models import AuditEvent
from delegation.notifications import message_deliver, notify
from delegation.roles import Role
from participants.models import ConsentRecord, Participant, Region
from portal.models import (
    VERIFICATION_HOURS,
    ApplicationDraft,
    DraftDocument,
    DuplicateReview,
    EmailVerification,
    PortalAccount,
    token_digest,
)
from recruitment import services as recruitment
from recruitment.models import Application, Call

# The consent to processing the applicant agrees to online; a new wording gets a new version,
# and each consent keeps the version it was given to.
CONSENT_VERSION = "2026-1"
CONSENT_TEXT = [
    gettext_lazy(
        "I agree that the city government, as the organiser of the overseas work-delegation "
        "programme, processes the personal data I give in this application (identity, NIK, "
        "addresses, education, contact details and the documents I upload) to register me, "
        "to check that I meet the call's requirements, to run and announce the selection, "
        "and to contact me about it."
    ),
    gettext_lazy(
        "My data is seen only by the officers who handle the selection and the selection "
        "committee. It is not sent abroad or to the partner employer without my separate "
        "consent, which is asked only if I am selected."
    ),
    gettext_lazy(
        "The data of applicants who are not selected is kept for the period the city's "
        "retention rules set and then deleted or anonymised."
    ),
    gettext_lazy(
        "I may ask to see, correct or delete my data, and I may withdraw this consent at any "
        "time by writing to the office; withdrawing it ends my application. These rights "
        "follow Law No. 27 of 2022 on Personal Data Protection."
    ),
    gettext_lazy("I declare that the data I give is true and that the documents are mine."),
]

# The steps of the application form, in order; the form of each lives in portal.forms.
STEPS = ("personal", "address", "education", "documents", "consent")


# ---- registration --------------------------------------------------------------------------


def verification_url(token: str) -> str:
    return f"{settings.SITE_URL}{reverse('portal:verify_email', args=[token])}"


def _verification_send(user, *, now: datetime.datetime) -> None:
    token = secrets.token_urlsafe(32)
    EmailVerification.objects.filter(user=user).usable(now).update(expires_at=now)
    EmailVerification.objects.create(
        user=user,
        token_digest=token_digest(token),
        created_at=now,
        expires_at=now + datetime.timedelta(hours=VERIFICATION_HOURS),
    )
    body = _(
        "Hello,\n\n"
        "Someone (we hope you) registered this e-mail address in the portal of the overseas "
        "work-delegation programme, to apply to an open call.\n\n"
        "Open this link to confirm the address and start using your account (it works once, "
        "for %(hours)d hours):\n%(link)s\n\n"
        "If you did not register, ignore this message: the account is never opened."
    ) % {"hours": VERIFICATION_HOURS, "link": verification_url(token)}
    message_deliver(address=user.email, subject=_("Confirm your e-mail address"), body=body)


def _known_address_tell(user) -> None:
    reset = f"{settings.SITE_URL}{reverse('password_reset')}"
    body = _(
        "Hello,\n\n"
        "Someone (we hope you) tried to register this e-mail address in the portal of the "
        "overseas work-delegation programme, but you already have an account with it.\n\n"
        "Sign in with it, or, if you forgot your password, choose a new one here:\n%(link)s\n\n"
        "If it was not you, ignore this message: nothing has changed."
    ) % {"link": reset}
    message_deliver(address=user.email, subject=_("You already have an account"), body=body)


def registration_start(*, email: str, password: str, now: datetime.datetime | None = None) -> None:
    """Register an applicant's account; the answer is the same whether the address is new
    or not. A new address gets an inactive account and a verification link; an address with
    an unverified account gets a new link (and the new password); an address with an opened
    account gets a message saying so, with the way to reset its password."""
    now = now or timezone.now()
    email = email.strip().lower()
    User = get_user_model()
    with transaction.atomic():
        existing = (
            User.objects.select_for_update()
            .filter(Q(username__iexact=email) | Q(email__iexact=email))
            .first()
        )
        unverified = (
            existing is not None
            and not existing.is_active
            and existing.portal_verifications.exists()
            and not existing.portal_verifications.filter(used_at__isnull=False).exists()
        )
        if existing is not None and not unverified:
            # Hashing takes as long as for a new account: the answer's delay tells nothing.
            make_password(password)
            transaction.on_commit(lambda: _known_address_tell(existing))
            return
        user = existing or User(username=email, email=email, is_active=False)
        user.set_password(password)
        user.save()
        user.groups.add(Group.objects.get(name=Role.PARTICIPANT))
        _verification_send(user, now=now)


def registration_find(token: str, *, now: datetime.datetime | None = None):
    """The usable verification of ``token``, or None (unknown, used or expired alike)."""
    verifications = EmailVerification.objects.usable(now or timezone.now())
    return verifications.filter(token_digest=token_digest(token)).first()


def registration_verify(*, token: str, password: str, now: datetime.datetime | None = None):
    """Open the account of a verification link, given the password chosen when registering;
    None when the link is unknown, used or expired (alike).

    Following the link is not enough: the account's password is the one of the address's
    last registration, which anyone may have made, so the person with the mailbox proves
    they chose it. Raises ValidationError (the link stays usable) when it is not that one."""
    now = now or timezone.now()
    with transaction.atomic():
        verification = (
            EmailVerification.objects.usable(now)
            .select_for_update()
            .select_related("user")
            .filter(token_digest=token_digest(token))
            .first()
        )
        if verification is None:
            return None
        user = verification.user
        if not user.check_password(password):
            raise ValidationError(
                _(
                    "This is not the password you chose when registering this address. If "
                    "you registered more than once, give the last one, or register again."
                )
            )
        verification.used_at = now
        verification.save(update_fields=["used_at"])
        user.is_active = True
        user.save(update_fields=["is_active"])
    return user


# ---- the application, step by step ---------------------------------------------------------


def draft_for(*, user, call: Call) -> ApplicationDraft:
    draft, _created = ApplicationDraft.objects.get_or_create(user=user, call=call)
    return draft


def first_open_step(draft: ApplicationDraft) -> str | None:
    """Where a resumed draft continues: the first step not completed (None: all are)."""
    return next((step for step in STEPS if step not in draft.steps_done), None)


def _stored(value):
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Region):
        return value.pk
    return value


def documents_missing(draft: ApplicationDraft) -> list[str]:
    """The call's documents not yet uploaded in the draft."""
    have = set(draft.documents.values_list("name", flat=True))
    return [name for name in draft.call.required_documents if name not in have]


def draft_save_step(*, draft: ApplicationDraft, step: str, values: dict, documents=None) -> None:
    """Keep one step's answers (and uploads) in the draft. The step counts as completed, but
    for the documents, which do once every document the call asks for is there (a slow line
    may send them one at a time)."""
    if draft.status != ApplicationDraft.Status.DRAFT:
        raise ValidationError(_("This application has already been sent."))
    with transaction.atomic():
        for name, upload in (documents or {}).items():
            DraftDocument.objects.filter(draft=draft, name=name).delete()
            DraftDocument.objects.create(draft=draft, name=name, file=upload)
        draft.data = {**draft.data, **{name: _stored(value) for name, value in values.items()}}
        complete = step != "documents" or not documents_missing(draft)
        if complete and step not in draft.steps_done:
            draft.steps_done = [s for s in STEPS if s in {*draft.steps_done, step}]
        draft.updated_at = timezone.now()
        draft.save(update_fields=["data", "steps_done", "updated_at"])


def _applicant_data(draft: ApplicationDraft) -> dict:
    data = {name: draft.data.get(name) for name in recruitment.APPLICANT_FIELDS}
    data["email"] = draft.user.email
    if data["birth_date"]:
        data["birth_date"] = datetime.date.fromisoformat(data["birth_date"])
    for name in ("ktp_regency", "domicile_regency"):
        data[name] = Region.objects.filter(pk=data[name]).first() if data[name] else None
    return data


def _documents(draft: ApplicationDraft) -> dict:
    documents = {}
    for document in draft.documents.all():
        with document.file.open("rb") as handle:
            documents[document.name] = ContentFile(
                handle.read(), name=document.file.name.rsplit("/", 1)[-1]
            )
    return documents


def application_send(
    *, draft: ApplicationDraft, now: datetime.datetime | None = None
) -> ApplicationDraft:
    """Send a completed draft with the applicant's online consent.

    A NIK new to the call goes through ``recruitment.services.application_submit`` (channel
    portal) at once; one known elsewhere (another call, the registry) goes through too and
    is put in the staff's duplicate review. A NIK that already applied to this call cannot
    make a second application: the submission is held for the review. The applicant is told
    the same in every case."""
    now = now or timezone.now()
    if first_open_step(draft) not in (None, "consent"):
        raise ValidationError(_("Complete every step first."))
    data = _applicant_data(draft)
    nik = data["nik"] or ""
    with transaction.atomic():
        draft = ApplicationDraft.objects.select_for_update().get(pk=draft.pk)
        if draft.status != ApplicationDraft.Status.DRAFT:
            raise ValidationError(_("This application has already been sent."))
        same_call = Application.objects.filter(call=draft.call, nik=nik).first()
        others = list(Application.objects.filter(nik=nik).exclude(call=draft.call))
        participant = Participant.objects.filter(nik=nik).first()
        draft.consent_version, draft.consented_at = CONSENT_VERSION, now
        draft.submitted_at = now
        if same_call is None:
            draft.application = recruitment.application_submit(
                call=draft.call,
                data=data,
                documents=_documents(draft),
                channel=Application.Channel.PORTAL,
                now=now,
            )
            draft.status = ApplicationDraft.Status.SUBMITTED
        else:
            draft.status = ApplicationDraft.Status.HELD
        draft.save()
        if same_call is not None or others or participant is not None:
            review = DuplicateReview.objects.create(
                draft=draft, same_call=same_call, participant=participant, created_at=now
            )
            review.other_applications.set(others)
        if draft.application_id:
            draft.documents.all().delete()
        _tell(
            draft.user,
            text=_("We have received your application to %(call)s.") % {"call": draft.call},
            link=reverse("portal:application_detail", args=[draft.pk]),
            key=f"portal-application-received-{draft.pk}",
        )
    return draft


def _tell(user, *, text: str, link: str, key: str) -> None:
    """A notification in the portal (once per key), e-mailed through the one delivery."""
    notify(user=user, text=text, link=link, key=key, subject=_("News from your portal"))


# ---- staff: possible duplicates ------------------------------------------------------------


def duplicate_decide(
    *, review: DuplicateReview, decision: str, by, note: str = ""
) -> DuplicateReview:
    """Staff's answer to a possible duplicate, kept on the review (who, when, what, why):

    * ``accepted``: someone else; the application stands (not for a second application to
      the same call, which cannot exist);
    * ``merged``: the same person; a submission held for the same call joins the application
      already there, and a person in the registry gets the online consent and, when they
      have no account yet, this account;
    * ``rejected``: not taken; an application made is marked not eligible with the reason.

    Each decision is written to the audit trail (action review).
    """
    note = note.strip()
    with transaction.atomic():
        review = (
            DuplicateReview.objects.select_for_update().select_related("draft").get(pk=review.pk)
        )
        if review.status != DuplicateReview.Status.OPEN:
            raise ValidationError(_("This possible duplicate has already been decided."))
        draft = review.draft
        if decision == DuplicateReview.Status.ACCEPTED:
            if draft.application_id is None:
                raise ValidationError(
                    _("One person applies once to a call: merge or reject this submission.")
                )
        elif decision == DuplicateReview.Status.MERGED:
            _merge(review, by=by)
        elif decision == DuplicateReview.Status.REJECTED:
            if not note:
                raise ValidationError(_("Say why the submission is rejected."))
            _reject(review, by=by, note=note)
        else:
            raise ValidationError(_("Unknown decision."))
        review.status, review.note = decision, note
        review.decided_by, review.decided_at = by, timezone.now()
        review.save(update_fields=["status", "note", "decided_by", "decided_at"])
        record_event(
            by,
            AuditEvent.Action.REVIEW,
            review,
            detail=f"{decision}: {note}" if note else decision,
        )
    return review


def _merge(review: DuplicateReview, *, by) -> None:
    draft = review.draft
    if draft.application_id is None:
        if review.same_call is None:
            raise ValidationError(_("There is no application to merge with."))
        draft.application = review.same_call
        draft.status = ApplicationDraft.Status.SUBMITTED
        draft.save(update_fields=["application", "status"])
        draft.documents.all().delete()
    participant = review.participant
    if participant is None:
        return
    ConsentRecord.objects.create(
        participant=participant,
        kind=ConsentRecord.Kind.PROCESSING,
        form=ConsentRecord.Form.ONLINE,
        given_on=timezone.localdate(draft.consented_at),
        scope=_("Application to %(call)s (portal)") % {"call": draft.call},
        text_version=draft.consent_version,
        account=draft.user,
        recorded_by=by,
    )
    if not PortalAccount.objects.filter(participant=participant).exists() and not (
        PortalAccount.objects.filter(user=draft.user).exists()
    ):
        PortalAccount.objects.create(user=draft.user, participant=participant)


def _reject(review: DuplicateReview, *, by, note: str) -> None:
    draft = review.draft
    if draft.application_id is not None:
        recruitment.application_check(
            application=draft.application,
            eligible=False,
            reason=_("Possible duplicate: %(note)s") % {"note": note},
            by=by,
        )
    else:
        draft.status = ApplicationDraft.Status.REJECTED
        draft.save(update_fields=["status"])
        draft.documents.all().delete()
    _tell(
        draft.user,
        text=_(
            "The office could not accept your application to %(call)s as it was sent. "
            "Please contact the office."
        )
        % {"call": draft.call},
        link=reverse("portal:application_detail", args=[draft.pk]),
        key=f"portal-application-rejected-{draft.pk}",
    )


# ---- news of the selection -----------------------------------------------------------------


def results_published_notify(*, call: Call) -> int:
    """Tell each portal applicant of ``call`` that the provisional result is published (once
    per application); the number told."""
    drafts = ApplicationDraft.objects.filter(call=call, application__isnull=False).select_related(
        "user"
    )
    told = 0
    for draft in drafts:
        _tell(
            draft.user,
            text=_("The results of %(call)s have been published: see your application.")
            % {"call": call},
            link=reverse("portal:application_detail", args=[draft.pk]),
            key=f"portal-results-{call.pk}-{draft.pk}",
        )
        told += 1
    return told


def on_result_published(sender, *, call: Call, **kwargs) -> None:
    """The recruitment service's ``result_published``: tell the portal's applicants."""
    with transaction.atomic():
        results_published_notify(call=call)


# ---- selected: the applicant's account becomes the participant's -------------------------


def account_link(*, application: Application, participant: Participant, by=None):
    """Link the portal account that sent ``application`` to the participant it became, so the
    person sees their checklist and training pages; the account, or None when there is none.

    An account already linked to this participant is left as it is. When the participant
    already has another account, or the applicant's account is linked to someone else,
    nothing is overwritten: the applicant is told the office will open their pages, and the
    staff member who decided is told to sort it out on the participant's profile."""
    draft = (
        ApplicationDraft.objects.filter(application=application)
        .select_related("user", "call")
        .first()
    )
    if draft is None:
        return None
    with transaction.atomic():
        mine = PortalAccount.objects.select_for_update().filter(user=draft.user).first()
        theirs = PortalAccount.objects.select_for_update().filter(participant=participant).first()
        if mine is not None and mine.participant_id == participant.pk:
            return mine
        if mine is None and theirs is None:
            account = PortalAccount.objects.create(user=draft.user, participant=participant)
            _tell(
                draft.user,
                text=_(
                    "You were selected in %(call)s: your checklist and training pages are "
                    "now open in the portal."
                )
                % {"call": draft.call},
                link=reverse("portal:home"),
                key=f"portal-selected-{participant.pk}",
            )
            return account
        _tell(
            draft.user,
            text=_(
                "You were selected in %(call)s. The office will open your participant pages "
                "in the portal; please contact the office."
            )
            % {"call": draft.call},
            link=reverse("portal:application_detail", args=[draft.pk]),
            key=f"portal-selected-{participant.pk}",
        )
        if by is not None:
            _tell(
                by,
                text=_(
                    "The portal account that applied as %(name)s (%(number)s) was not linked "
                    "to the participant: one of them already has another portal account. "
                    "Check the participant's portal section."
                )
                % {"name": participant.full_name, "number": application.registration_number},
                link=participant.get_absolute_url(),
                key=f"portal-link-conflict-{application.pk}",
            )
    return None


def on_participant_made(sender, *, application, participant, by=None, **kwargs) -> None:
    """The recruitment service's ``participant_made``: link the applicant's account."""
    account_link(application=application, participant=participant, by=by)
