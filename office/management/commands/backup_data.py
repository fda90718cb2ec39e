from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from office.privacy.backup import BackupError, backup_data


class Command(BaseCommand):
    help = (
        "Back up the configured database (pg_dump custom format, or a copy of the SQLite file) "
        "and every private file in the media storage into a new folder. See docs/privacy.md."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", required=True, type=Path, help="A new or empty folder for the backup."
        )

    def handle(self, *args, output: Path, **options):
        try:
            manifest = backup_data(output)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup written to {output}: {manifest['database']} ({manifest['engine']}) "
                f"and {manifest['media']}."
            )
        )
