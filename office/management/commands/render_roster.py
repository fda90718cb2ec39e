"""Render a batch's ceremony pack (PDF) or roster (XLSX) to a file, without a worker."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cohorts.models import Cohort
from office.prints import ceremony_pack


class Command(BaseCommand):
    help = "Write the ceremony pack of COHORT_ID as PDF, or its roster as XLSX."

    def add_arguments(self, parser):
        parser.add_argument("cohort_id", type=int)
        parser.add_argument("--output", type=Path, required=True)
        parser.add_argument("--format", choices=["pdf", "xlsx"], default="pdf")

    def handle(self, *args, cohort_id: int, output: Path, format: str, **options):
        cohort = Cohort.objects.select_related("program__partner").filter(pk=cohort_id).first()
        if cohort is None:
            raise CommandError(f"There is no batch with id {cohort_id}.")
        try:
            data = ceremony_pack.pack_data(cohort)
        except ceremony_pack.NoCeremony as error:
            raise CommandError(str(error)) from None
        if format == "xlsx":
            content = ceremony_pack.roster_xlsx(data)
        else:
            content = ceremony_pack.render_pack(
                data, ceremony_pack.issue_numbers(data), requested_by="manage.py"
            )
        output.write_bytes(content)
        self.stdout.write(
            f"{output}: {len(data['participants'])} participants, {len(content)} bytes"
        )
