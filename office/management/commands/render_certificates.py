"""Issue and render the certificates of a batch into a folder, without a worker."""

import io
import zipfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from cohorts.models import Cohort
from training.certificate_pdf import render_zip
from training.certificates import issue_certificates


class Command(BaseCommand):
    help = "Write COHORT_ID's certificates into DIR: one PDF each and a merged PDF."

    def add_arguments(self, parser):
        parser.add_argument("cohort_id", type=int)
        parser.add_argument("--output", type=Path, required=True)

    def handle(self, *args, cohort_id: int, output: Path, **options):
        cohort = Cohort.objects.filter(pk=cohort_id).first()
        if cohort is None:
            raise CommandError(f"There is no batch with id {cohort_id}.")
        if not issue_certificates(cohort, on=timezone.localdate()):
            raise CommandError("Nobody in this batch has completed the training year.")
        output.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(io.BytesIO(render_zip(cohort))) as bundle:
            bundle.extractall(output)
            count = len(bundle.namelist())
        self.stdout.write(f"{output}: {count} files")
