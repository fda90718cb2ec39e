"""Map each contract's region as written to an ISO 3166-2 subdivision of its programme's
destination country, and list the contracts whose text matched none (they keep the text)."""

from django.db import migrations

from participants.geography import country_code, subdivision_code


def unmapped_contracts(Contract) -> list[tuple[int, str, str]]:
    """Map what can be mapped; return (contract id, country, text) of what could not."""
    unmapped = []
    contracts = Contract.objects.exclude(prefecture="").filter(subdivision="")
    for contract in contracts.select_related("participant__cohort__program").iterator():
        cohort = contract.participant.cohort
        country = country_code(cohort.program.destination_country) if cohort else None
        code = subdivision_code(contract.prefecture, country)
        if code:
            contract.subdivision = code
            contract.save(update_fields=["subdivision"])
        else:
            unmapped.append((contract.pk, country or "?", contract.prefecture))
    return unmapped


def forwards(apps, schema_editor):
    unmapped = unmapped_contracts(apps.get_model("participants", "Contract"))
    if unmapped:
        print(f"\n  {len(unmapped)} contract region(s) matched no subdivision (kept as written):")
        for pk, country, text in unmapped:
            print(f"    contract {pk} ({country}): {text!r}")


class Migration(migrations.Migration):
    dependencies = [("participants", "0014_deceased_missing_and_subdivision")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
