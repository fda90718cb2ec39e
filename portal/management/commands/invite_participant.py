"""Invite a participant already in the registry to the portal and print the one-time link."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email

from participants.models import Participant
from portal.models import INVITATION_DAYS
from portal.services import invitation_create


class Command(BaseCommand):
    help = "Invite a participant to the portal; prints the one-time link (valid 7 days)."

    def add_arguments(self, parser):
        parser.add_argument("participant_id", type=int)
        parser.add_argument("--email", required=True, help="The address the account signs in with.")

    def handle(self, *args, participant_id: int, email: str, **options):
        try:
            validate_email(email)
        except ValidationError:
            raise CommandError(f"{email!r} is not an e-mail address.") from None
        participant = Participant.objects.filter(pk=participant_id).first()
        if participant is None:
            raise CommandError(f"No participant with id {participant_id}.")
        try:
            _invitation, link = invitation_create(participant=participant, email=email)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(link)
        self.stderr.write(f"The link works once, for {INVITATION_DAYS} days.")
