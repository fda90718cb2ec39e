from django.core.management.base import BaseCommand

from participants.models import recount


class Command(BaseCommand):
    help = (
        "Count the participants afresh into the running counts the list and the dashboard "
        "read (also nightly). Run it after loading data with the database's triggers off."
    )

    def handle(self, *args, **options):
        count = recount()
        if count is None:
            self.stdout.write("This database keeps no running counts (PostgreSQL only).")
        else:
            self.stdout.write(self.style.SUCCESS(f"{count} participant(s) counted."))
