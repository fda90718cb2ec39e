from django.core.management.base import BaseCommand
from django.utils import timezone

from office.privacy.retention import participants_anonymise, retention_report


class Command(BaseCommand):
    help = (
        "Anonymise participants and selection applications past their retention time "
        "(see docs/privacy.md). "
        "Without --commit it only reports what would change."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--commit",
            action="store_true",
            help="Apply the changes in one transaction (default: a dry run that changes nothing).",
        )

    def handle(self, *args, commit: bool, **options):
        today = timezone.localdate()
        report = (participants_anonymise if commit else retention_report)(today=today)
        for line in report.lines():
            self.stdout.write(line)
        if not commit:
            self.stdout.write("Dry run: nothing changed. Run again with --commit to apply.")
        else:
            if report.due:
                self.stdout.write(
                    self.style.SUCCESS(f"{len(report.due)} participant(s) anonymised.")
                )
            if report.applications:
                self.stdout.write(
                    self.style.SUCCESS(f"{len(report.applications)} application(s) anonymised.")
                )
