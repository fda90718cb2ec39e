"""The demo's duty of care, in the earlier batches: a closed illness case whose repatriation
the sponsor paid, an open workplace dispute, a returnee six months home running a business,
and an earthquake in Ishikawa with two of its three people reached.

Safe to run again: nothing is added once the programme has a case."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from cohorts.models import Program
from participants.models import Contact, Contract, CostItem, Participant, Residence, Status
from welfare import services
from welfare.models import Case, Event, FollowUp, Return

# Where the demo's people work: most in Aichi, three of batch II in Ishikawa.
HOME_PREFECTURE = "JP-23"
ISHIKAWA = "JP-17"


def _person(program: Program, batch: int, index: int) -> Participant | None:
    return (
        Participant.objects.filter(cohort__program=program, cohort__number=batch)
        .order_by("participant_number")[index : index + 1]
        .first()
    )


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def seed_welfare(program: Program, users: dict | None = None) -> int:
    """Seed the demo's duty of care; return how many cases it opened."""
    if Case.objects.filter(participant__cohort__program=program).exists():
        return 0
    users = users or {}
    hr, coordinator = users.get("hr"), users.get("coordinator")
    today = timezone.localdate()
    contracts = Contract.objects.active().filter(participant__cohort__program=program)
    contracts.filter(subdivision="").update(subdivision=HOME_PREFECTURE, city="Nagoya")
    ishikawa = [p for p in (_person(program, 2, i) for i in (2, 3, 4)) if p]
    contracts.filter(participant__in=ishikawa).update(subdivision=ISHIKAWA, city="Kanazawa")
    opened = 0
    # The contact list of the event and of the cases: phones abroad and emergency contacts.
    for n, person in enumerate([*ishikawa, _person(program, 2, 1)]):
        if person is None:
            continue
        Residence.objects.filter(participant=person, phone="").update(
            phone=f"+8190{4100 + n:04d}{2200 + n * 7:04d}"
        )
        if not person.contacts.filter(is_emergency=True).exists():
            Contact.objects.create(
                participant=person,
                relation=Contact.Relation.MOTHER,
                name=f"Ibu {person.full_name.split()[-1]}",
                phone=f"+62813{5100 + n:04d}{3300 + n * 3:04d}",
                is_emergency=True,
                is_heir=not person.contacts.filter(is_heir=True).exists(),
            )

    # A closed illness case: home early, the sponsor paid the journey.
    ill = _person(program, 1, 0)
    if ill is not None and ill.status == Status.RETURNED_EARLY:
        left = ill.status_changes.filter(to_status=Status.RETURNED_EARLY).first()
        home_on = left.effective_date if left else today - datetime.timedelta(days=400)
        case = services.case_open(
            participant=ill,
            kind=Case.Kind.ILLNESS,
            severity=Case.Severity.HIGH,
            reported_via=Case.Source.EMPLOYER,
            description="Dirawat di rumah sakit karena pneumonia; dokter menyarankan pulang.",
            by=hr,
            owner=coordinator,
            opened_at=_at(home_on - datetime.timedelta(days=21), 9),
        )
        services.case_add_entry(
            case=case,
            by=coordinator,
            at=_at(home_on - datetime.timedelta(days=20), 10),
            action="Menghubungi rumah sakit dan pemberi kerja; keluarga diberi tahu.",
            with_whom="hospital",
            next_step="Rencana pemulangan",
            next_due=home_on - datetime.timedelta(days=7),
        )
        services.case_add_cost(
            case=case,
            by=hr,
            category="repatriation",
            payer=CostItem.Payer.SPONSOR,
            amount=Decimal("98000"),
            currency="JPY",
            rate_to_idr=Decimal("106.5"),
            date=home_on,
            description="Tiket pulang dan pendamping",
        )
        Return.objects.create(
            participant=ill,
            kind=Return.Kind.EARLY,
            returned_on=home_on,
            reason="Sakit (pneumonia)",
            case=case,
            journey_paid_by=CostItem.Payer.SPONSOR,
            recorded_by=hr,
        )
        FollowUp.objects.bulk_create(
            FollowUp(participant=ill, months=m, due_on=services.add_months(home_on, m))
            for m in FollowUp.MONTHS
        )
        services.case_close(
            case=case,
            by=hr,
            status=Case.Status.CLOSED,
            outcome=Case.Outcome.RETURNED_EARLY,
            note="Peserta tiba di Banjarmasin; dirawat oleh keluarga.",
        )
        opened += 1

    # An open workplace dispute.
    dispute = _person(program, 2, 1)
    if dispute is not None and dispute.status == Status.WORKING:
        case = services.case_open(
            participant=dispute,
            kind=Case.Kind.WORKPLACE_DISPUTE,
            severity=Case.Severity.MEDIUM,
            reported_via=Case.Source.CHECK_IN,
            description="Jadwal shift malam berturut-turut melebihi kesepakatan.",
            by=hr,
            owner=coordinator,
            opened_at=_at(today - datetime.timedelta(days=5), 14),
        )
        services.case_add_entry(
            case=case,
            by=coordinator,
            at=_at(today - datetime.timedelta(days=4), 10),
            action="Membahas jadwal dengan bagian SDM pemberi kerja.",
            with_whom="employer",
            next_step="Konfirmasi jadwal baru",
            next_due=today + datetime.timedelta(days=7),
        )
        opened += 1

    # A returnee six months home, running a business.
    returnee = _person(program, 1, 1)
    if returnee is not None and returnee.status == Status.WORKING:
        home_on = today - datetime.timedelta(days=200)
        case = services.case_open(
            participant=returnee,
            kind=Case.Kind.FAMILY_EMERGENCY,
            severity=Case.Severity.MEDIUM,
            reported_via=Case.Source.FAMILY,
            description="Orang tua sakit berat; peserta memilih pulang untuk merawat.",
            by=hr,
            owner=coordinator,
            opened_at=_at(home_on - datetime.timedelta(days=30), 8),
        )
        services.return_home(
            participant=returnee,
            kind=Return.Kind.EARLY,
            on=home_on,
            reason="Keadaan darurat keluarga",
            by=hr,
            case=case,
            journey_paid_by=CostItem.Payer.SPONSOR,
        )
        services.case_close(
            case=case, by=hr, status=Case.Status.CLOSED, outcome=Case.Outcome.RETURNED_EARLY
        )
        for months, filled in ((1, 35), (6, 185)):
            services.follow_up_fill(
                follow_up=FollowUp.objects.get(participant=returnee, months=months),
                by=hr,
                via=FollowUp.Via.STAFF,
                on=home_on + datetime.timedelta(days=filled),
                activity=FollowUp.Activity.OWN_BUSINESS,
                sector="Katering makanan Jepang",
                income_band=FollowUp.IncomeBand.FROM_3M,
                willing_to_mentor=True,
                willing_to_speak=months == 6,
            )
        opened += 1

    # An earthquake in Ishikawa: two of the three people reached.
    if ishikawa and not Event.objects.exists():
        event = services.event_open(
            name="Gempa bumi Ishikawa",
            country="JP",
            subdivisions=[ISHIKAWA],
            occurred_on=today - datetime.timedelta(days=1),
            by=hr,
            description="Gempa M6,1 di Semenanjung Noto.",
        )
        for member in event.members.order_by("participant__participant_number")[:2]:
            services.event_record(
                member=member,
                result="safe",
                source="message",
                by=coordinator,
                at=_at(today, 8),
                note="Aman, fasilitas tidak rusak.",
            )
    return opened
