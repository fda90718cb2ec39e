"""A reproducible large data set in PostgreSQL, for the benchmarks: 100,000 participants in
400 batches of 250, most of them departed, and 2,000,000 attendance rows.

Built with INSERT ... SELECT from generate_series, so it takes a minute, not an hour; run
again, it finds the data there and adds nothing. Everything in it is synthetic.
"""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection, transaction

from cohorts.models import Cohort, Partner, Program
from delegation.roles import Role
from participants.models import Participant, Region, StatusChange
from training.models import Module, Session, TrainingPlan

BATCHES = 400
PER_BATCH = 250
SESSIONS_PER_BATCH = 20  # 400 batches × 250 people × 20 sessions = 2,000,000 rows
SLUG = "bench-programme"


def build() -> Program:
    existing = Program.objects.filter(slug=SLUG).first()
    if (
        existing
        and Participant.objects.filter(cohort__program=existing).count() >= BATCHES * PER_BATCH
    ):
        return existing
    with transaction.atomic():
        partner, _ = Partner.objects.get_or_create(
            name="Bench Partner", defaults={"country": "Jepang"}
        )
        program = Program.objects.create(
            partner=partner,
            name="Bench programme",
            slug=SLUG,
            scheme="g2b",
            sector="Kesehatan",
            destination_country="Jepang",
            sponsor_covers=["language_training"],
        )
        cohorts = Cohort.objects.bulk_create(
            Cohort(
                program=program,
                number=n,
                year=2000 + n % 27,
                planned_departure=datetime.date(2000 + n % 27, 2, 18),
                status=Cohort.Status.TRAINING if n == BATCHES else Cohort.Status.DEPARTED,
            )
            for n in range(1, BATCHES + 1)
        )
        plans = TrainingPlan.objects.bulk_create(
            TrainingPlan(
                cohort=c, start_date=datetime.date(2025, 1, 6), end_date=datetime.date(2026, 1, 2)
            )
            for c in cohorts
        )
        modules = Module.objects.bulk_create(
            Module(plan=p, name="Bahasa Jepang", kind="japanese_language", planned_hours=500)
            for p in plans
        )
        Session.objects.bulk_create(
            Session(
                module=m,
                date=datetime.date(2025, 1, 6) + datetime.timedelta(days=7 * k),
                start_time=datetime.time(8),
                end_time=datetime.time(11),
            )
            for m in modules
            for k in range(SESSIONS_PER_BATCH)
        )
        origin_ids = list(
            Region.objects.regencies().filter(code__startswith="63").values_list("id", flat=True)
        )
        first_cohort = cohorts[0].pk
        with connection.cursor() as cursor:
            cursor.execute(
                """
                INSERT INTO participants_participant (
                    full_name, passport_surname, passport_given_names, name_katakana, nik,
                    nik_reason, kk_number, gender, birth_date, birth_place, origin_id,
                    ktp_street, ktp_rt_rw, ktp_village, ktp_district, ktp_postal_code,
                    domicile_street, domicile_rt_rw, domicile_village, domicile_district,
                    domicile_postal_code, phone, email, education_level, education_field,
                    occupation, track, cohort_id, participant_number, photo,
                    culture_ambassador, status, notes, created_at)
                SELECT 'Peserta ' || g, '', '', '', lpad((6371000000000000 + g)::text, 16, '0'),
                    '', '', CASE WHEN g %% 3 = 0 THEN 'M' ELSE 'F' END,
                    DATE '1996-01-01' + (g %% 3000), '', (%s::bigint[])[1 + g %% %s],
                    '', '', '', '', '', '', '', '', '', '', '', '',
                    (ARRAY['sma','d3','s1'])[1 + g %% 3], '', 'Care worker',
                    CASE WHEN g %% 7 = 0 THEN 'scholarship' ELSE 'worker' END,
                    %s + (g - 1) / %s, 'B-' || g, '', true,
                    CASE WHEN (g - 1) / %s = %s - 1 THEN 'in_training' ELSE 'working' END,
                    '', now()
                FROM generate_series(1, %s) AS g
                """,
                [
                    origin_ids,
                    len(origin_ids),
                    first_cohort,
                    PER_BATCH,
                    PER_BATCH,
                    BATCHES,
                    BATCHES * PER_BATCH,
                ],
            )
            cursor.execute(
                """
                INSERT INTO participants_statuschange (
                    participant_id, kind, from_status, to_status, from_cohort_id, to_cohort_id,
                    effective_date, reason, departure_date, flight, historical, recorded_at)
                SELECT p.id, 'status', 'ready', 'departed', p.cohort_id, p.cohort_id,
                       c.planned_departure, '', c.planned_departure, '', true, now()
                FROM participants_participant p JOIN cohorts_cohort c ON c.id = p.cohort_id
                WHERE c.program_id = %s AND p.status = 'working'
                """,
                [program.pk],
            )
            cursor.execute(
                """
                INSERT INTO training_attendance (session_id, participant_id, status, note)
                SELECT s.id, p.id,
                       CASE WHEN (s.id + p.id) %% 19 = 0 THEN 'absent' ELSE 'present' END, ''
                FROM participants_participant p
                JOIN training_trainingplan tp ON tp.cohort_id = p.cohort_id
                JOIN training_module m ON m.plan_id = tp.id
                JOIN training_session s ON s.module_id = m.id
                WHERE tp.cohort_id IN (SELECT id FROM cohorts_cohort WHERE program_id = %s)
                """,
                [program.pk],
            )
            cursor.execute("ANALYZE")
        user, created = get_user_model().objects.get_or_create(username="bench-hr")
        if created:
            user.groups.add(Group.objects.get(name=Role.HR_STAFF))
    record_first_departures(program)
    return program


def record_first_departures(program: Program) -> None:
    """Copy the departures the raw inserts wrote into the status history onto the people, as
    ``Participant.move`` does, then vacuum, as autovacuum would after such a load."""
    departed = StatusChange.objects.filter(to_status="departed").values("participant_id")
    Participant.objects.filter(
        cohort__program=program, departed_on__isnull=True, pk__in=departed
    ).refresh_departed_on()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE participants_participant")
