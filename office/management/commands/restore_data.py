from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from office.privacy.backup import BackupError, restore_data


class Command(BaseCommand):
    help = (
        "Restore a folder written by backup_data into the configured database and media storage. "
        "Both must be empty unless --replace is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", type=Path, help="The backup folder.")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Overwrite a database that holds tables and files already in the media storage.",
        )

    def handle(self, *args, source: Path, replace: bool, **options):
        try:
            manifest = restore_data(source, replace=replace)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored the backup of {manifest['created_at']} from {source}. "
                "Run `manage.py migrate` if the code is newer than the backup."
            )
        )
