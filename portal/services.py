"""What the portal does: invitations and accounts, uploads and their verification,
check-ins, change requests. Each a keyword-only function in a transaction."""

from __future__ import annotations

import datetime
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from delegation.notifications import message_deliver, notify
from delegation.roles import Role
from participants.models import (
    IDENTITY_FIELDS,
    CheckIn,
    ConsentRecord,
    Document,
    DocumentType,
    Participant,
    PersonRequest,
    Status,
)
from portal.models import INVITATION_DAYS, Invitation, PortalAccount, token_digest
from welfare import services as welfare
from welfare.models import Case

# Those the portal asks for check-ins: from departure until they come home.
ABROAD_STATUSES = frozenset({Status.DEPARTED, Status.WORKING, Status.EXTENDED})


def invitation_url(token: str) -> str:
    return f"{settings.SITE_URL}{reverse('portal:invitation_accept', args=[token])}"


def invitation_create(
    *, participant: Participant, email: str, by=None, now: datetime.datetime | None = None
) -> tuple[Invitation, str]:
    """A new one-time invitation for ``participant``; returns it and its link (shown once).

    Earlier unused invitations of the person stop working: only the newest link opens the
    account."""
    now = now or timezone.now()
    if participant.anonymised_at is not None:
        raise ValidationError(_("This person's data has been anonymised."))
    if PortalAccount.objects.filter(participant=participant).exists():
        raise ValidationError(_("This participant already has a portal account."))
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        Invitation.objects.filter(participant=participant).usable(now).update(expires_at=now)
        invitation = Invitation.objects.create(
            participant=participant,
            email=email.strip().lower(),
            token_digest=token_digest(token),
            created_by=by if by is not None and by.is_authenticated else None,
            created_at=now,
            expires_at=now + datetime.timedelta(days=INVITATION_DAYS),
        )
    return invitation, invitation_url(token)


def invitation_send(*, participant: Participant, email: str, by) -> Invitation:
    """Create an invitation and e-mail its link; the row records when it went out or why not."""
    invitation, link = invitation_create(participant=participant, email=email, by=by)
    body = _(
        "Hello %(name)s,\n\n"
        "You are invited to your own pages in the delegation programme's portal, where you "
        "keep your checklist, training and check-ins up to date from your phone.\n\n"
        "Open this link to choose your password (it works once, for %(days)d days):\n"
        "%(link)s\n\n"
        "If you did not expect this message, you may ignore it."
    ) % {"name": participant.full_name, "days": INVITATION_DAYS, "link": link}
    error = message_deliver(
        address=invitation.email, subject=_("Your invitation to the portal"), body=body
    )
    if error:
        invitation.email_error = error
    else:
        invitation.emailed_at = timezone.now()
    invitation.save(update_fields=["email_error", "emailed_at"])
    return invitation


def invitation_find(token: str) -> Invitation | None:
    """The usable invitation of ``token``, or None (unknown, used or expired alike)."""
    return (
        Invitation.objects.usable()
        .select_related("participant")
        .filter(token_digest=token_digest(token))
        .first()
    )


def invitation_accept(*, token: str, password: str):
    """Open the account of the invitation's participant; the link then stops working.

    The username is the invited e-mail address. Raises ValidationError when the link is no
    longer usable or the address already names an account."""
    User = get_user_model()
    with transaction.atomic():
        invitation = (
            Invitation.objects.usable()
            .select_for_update()
            .filter(token_digest=token_digest(token))
            .first()
        )
        if invitation is None:
            raise ValidationError(_("This invitation link is no longer valid."))
        participant = invitation.participant
        if PortalAccount.objects.filter(participant=participant).exists():
            raise ValidationError(_("This participant already has a portal account."))
        if User.objects.filter(username__iexact=invitation.email).exists():
            raise ValidationError(
                _("This e-mail address already has an account: ask the office for help.")
            )
        user = User(username=invitation.email, email=invitation.email)
        user.first_name = participant.full_name[:150]
        user.set_password(password)
        user.save()
        user.groups.add(Group.objects.get(name=Role.PARTICIPANT))
        PortalAccount.objects.create(user=user, participant=participant)
        invitation.used_at = timezone.now()
        invitation.save(update_fields=["used_at"])
    return user


def account_of(participant: Participant):
    """The portal user of ``participant``, or None."""
    account = PortalAccount.objects.filter(participant=participant).select_related("user").first()
    return account.user if account else None


def person_notify(*, participant: Participant, text: str, link: str, key: str = "") -> None:
    """Tell the person, in the app and by e-mail, through the one notification delivery."""
    user = account_of(participant)
    if user is None:
        return
    notify(user=user, text=text, link=link, key=key, subject=_("News from your portal"))


def document_submit(
    *,
    participant: Participant,
    document_type: DocumentType,
    file,
    by,
    number: str = "",
    issued_on: datetime.date | None = None,
    expires_on: datetime.date | None = None,
) -> Document:
    """A document the person uploads: it waits for staff and counts for nothing until then."""
    document = Document(
        participant=participant,
        document_type=document_type,
        number=number,
        issued_on=issued_on,
        expires_on=expires_on,
        review=Document.Review.PENDING,
        submitted_by=by,
    )
    document.full_clean(exclude=["file"])
    with transaction.atomic():
        document.file = file
        document.save()
    return document


def _reviewable(document: Document) -> Document:
    locked = Document.objects.select_for_update().get(pk=document.pk)
    if locked.review != Document.Review.PENDING:
        raise ValidationError(_("This upload has already been reviewed."))
    return locked


def document_accept(*, document: Document, by) -> Document:
    """Staff accept an upload: it counts from now on and replaces the document it renews."""
    with transaction.atomic():
        document = _reviewable(document)
        previous = (
            Document.objects.current()
            .filter(participant_id=document.participant_id, document_type=document.document_type)
            .exclude(pk=document.pk)
            .order_by("-created_at")
            .first()
        )
        document.review = Document.Review.VERIFIED
        document.reviewed_by = by
        document.reviewed_at = timezone.now()
        document.handled_by = by
        document.replaces = previous
        document.save(
            update_fields=["review", "reviewed_by", "reviewed_at", "handled_by", "replaces"]
        )
        person_notify(
            participant=document.participant,
            text=_("Your %(document)s has been verified.") % {"document": document.document_type},
            link=reverse("portal:checklist"),
        )
    return document


def document_refuse(*, document: Document, by, reason: str) -> Document:
    """Staff refuse an upload with a reason the person reads on their checklist."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Say why the upload is refused: the person reads it."))
    with transaction.atomic():
        document = _reviewable(document)
        document.review = Document.Review.REFUSED
        document.refusal_reason = reason
        document.reviewed_by = by
        document.reviewed_at = timezone.now()
        document.save(update_fields=["review", "refusal_reason", "reviewed_by", "reviewed_at"])
        person_notify(
            participant=document.participant,
            text=_("Your %(document)s was not accepted: %(reason)s")
            % {"document": document.document_type, "reason": reason},
            link=reverse("portal:checklist"),
        )
    return document


def portal_state(participant: Participant) -> dict:
    """For the profile page: whether the person has an account, or an invitation still open."""
    return {
        "has_account": PortalAccount.objects.filter(participant=participant).exists(),
        "invitation": Invitation.objects.filter(participant=participant).usable().first(),
        "awaiting_review": participant.documents.awaiting_review().count(),
    }


def check_in_submit(*, participant: Participant, by, today: datetime.date, **answers) -> CheckIn:
    """The person's own monthly check-in. "I need help now" goes through the welfare service
    (``welfare.services.case_from_help_now``, via the portal): the check-in is kept, a draft
    case opens at once and the coordinators (HR staff when there are none) are told, in the
    app and by e-mail."""
    if participant.status not in ABROAD_STATUSES:
        raise ValidationError(_("Check-ins are sent from abroad, after departure."))
    help_requested = bool(answers.pop("help_requested", False))
    check_in = CheckIn(
        participant=participant,
        date=today,
        channel=CheckIn.Channel.PORTAL,
        held_by=CheckIn.HeldBy.SELF,
        help_requested=help_requested,
        follow_up_needed=help_requested,
        recorded_by=by,
        **answers,
    )
    check_in.full_clean()
    if not help_requested:
        check_in.save()
        return check_in
    with transaction.atomic():
        case = welfare.case_from_help_now(
            participant=participant,
            concerns=check_in.concerns.strip() or _("Asked for help now in the portal."),
            by=by,
            via=Case.Source.PORTAL,
            channel=CheckIn.Channel.PORTAL,
            held_by=CheckIn.HeldBy.SELF,
            wellbeing=check_in.wellbeing,
            work_satisfaction=check_in.work_satisfaction,
            on=today,
        )
        # The service keeps the check-in's essentials; the rest of the answers join it.
        check_in.pk = case.check_in_id
        check_in.concerns = case.check_in.concerns
        check_in.save(force_update=True)
    return check_in


def identity_change_request(
    *, participant: Participant, field_name: str, new_value: str, reason: str, by
) -> PersonRequest:
    """The person asks to correct an identity field; it changes once staff approve it."""
    if field_name not in IDENTITY_FIELDS:
        raise ValidationError(_("This field cannot be changed by request."))
    field = Participant._meta.get_field(field_name)
    value = field.clean(new_value.strip(), participant)
    if field.choices:
        value = str(value)
    request = PersonRequest(
        participant=participant,
        kind=PersonRequest.Kind.IDENTITY,
        field_name=field_name,
        new_value=value.isoformat() if isinstance(value, datetime.date) else str(value),
        reason=reason.strip(),
        submitted_by=by,
    )
    request.save()
    return request


def consent_withdrawal_request(*, consent: ConsentRecord, reason: str, by) -> PersonRequest:
    """The person asks to withdraw one of their consents in force; staff record it."""
    if consent.withdrawn_on is not None:
        raise ValidationError(_("This consent was already withdrawn."))
    with transaction.atomic():
        if PersonRequest.objects.open().filter(consent=consent).exists():
            raise ValidationError(_("You have already asked to withdraw this consent."))
        return PersonRequest.objects.create(
            participant=consent.participant,
            kind=PersonRequest.Kind.CONSENT_WITHDRAWAL,
            consent=consent,
            reason=reason.strip(),
            submitted_by=by,
        )


def person_request_answer(
    *, request: PersonRequest, by, approve: bool, response: str = "", today: datetime.date
) -> PersonRequest:
    """Staff approve or refuse a person's request; the person is told either way."""
    with transaction.atomic():
        request = PersonRequest.objects.select_for_update().get(pk=request.pk)
        if approve:
            request.approve(by=by, on=today)
            text = _("Your request (%(kind)s) has been approved.") % {
                "kind": request.get_kind_display()
            }
        else:
            request.refuse(by=by, response=response)
            text = _("Your request (%(kind)s) was not approved: %(answer)s") % {
                "kind": request.get_kind_display(),
                "answer": request.response,
            }
        person_notify(participant=request.participant, text=text, link=reverse("portal:my_data"))
    return request
