"""Import participants from a CSV or XLSX file, with the same checks as the web page.

Exit 0 and the count when imported; exit 1 with every row error and nothing saved otherwise.
"""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from cohorts.models import Cohort
from participants import importer


class Command(BaseCommand):
    help = "Import participants from FILE (CSV or XLSX) into a batch; nothing is saved on error."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--cohort", type=int, help="The batch's id.")
        parser.add_argument(
            "--historical", action="store_true", help="Rows carry status and departed_on."
        )
        parser.add_argument("--dry-run", action="store_true", help="Check only; save nothing.")

    def handle(
        self, *args, file: Path, cohort: int | None, historical: bool, dry_run: bool, **options
    ):
        if not file.is_file():
            raise CommandError(f"{file} is not a file.")
        batch = None
        if cohort is not None:
            batch = Cohort.objects.filter(pk=cohort).first()
            if batch is None:
                raise CommandError(f"There is no batch with id {cohort}.")
        with file.open("rb") as handle:
            result = importer.check_file(handle, file.name, historical=historical)
        if not result.ok:
            for error in result.errors:
                self.stderr.write(f"line {error.line}, {error.column or '-'}: {error.message}")
            if result.more_errors:
                self.stderr.write(f"... and {result.more_errors} more")
            raise CommandError(f"{result.error_count} errors: nothing was imported.", returncode=1)
        if dry_run:
            self.stdout.write(f"{len(result.rows)} rows are valid (dry run: nothing saved).")
            return
        try:
            saved = importer.save_rows(result.rows, cohort=batch, by=None, historical=historical)
        except ValidationError as error:  # the batch's quota
            raise CommandError(" ".join(error.messages), returncode=1) from None
        self.stdout.write(f"Participants imported: {len(saved)}")
