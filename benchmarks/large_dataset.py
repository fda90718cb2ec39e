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
PASSWORD = "bench-password"  # the benchmark and load-test users' password (local data only)
LOAD_USERS = 50  # bench-hr-1... and bench-coordinator-1...: enough for 50 simulated users

# Synthetic Indonesian names: 31 men's and 37 women's first names, 41 middle and 53 last names give
# every participant a realistic, mostly unique name that fragments can find.
MALE = [
    "Ahmad",
    "Muhammad",
    "Rizky",
    "Fajar",
    "Budi",
    "Agus",
    "Dedi",
    "Hendra",
    "Irfan",
    "Joko",
    "Rahmat",
    "Arif",
    "Bayu",
    "Dimas",
    "Eko",
    "Fikri",
    "Gilang",
    "Hafiz",
    "Ilham",
    "Yusuf",
    "Zulkifli",
    "Rudi",
    "Taufik",
    "Wahyu",
    "Andi",
    "Syahrul",
    "Akhmad",
    "Noor",
    "Gusti",
    "Ridwan",
    "Hasan",
]
FEMALE = [
    "Siti",
    "Nur",
    "Dewi",
    "Rina",
    "Wulan",
    "Putri",
    "Ayu",
    "Fitri",
    "Indah",
    "Rahmah",
    "Lestari",
    "Maya",
    "Nadia",
    "Yuni",
    "Sari",
    "Aisyah",
    "Fatimah",
    "Intan",
    "Kartika",
    "Laila",
    "Mawar",
    "Nisa",
    "Rizka",
    "Salma",
    "Tari",
    "Vina",
    "Winda",
    "Zahra",
    "Amalia",
    "Bunga",
    "Citra",
    "Dina",
    "Eka",
    "Farah",
    "Hana",
    "Ika",
    "Jamilah",
]
MIDDLE = [
    "Nur",
    "Dwi",
    "Tri",
    "Eka",
    "Sri",
    "Putra",
    "Putri",
    "Ananda",
    "Aulia",
    "Bintang",
    "Cahya",
    "Dian",
    "Fadhil",
    "Galih",
    "Hidayat",
    "Ikhsan",
    "Jaya",
    "Kurnia",
    "Lukman",
    "Mulia",
    "Nanda",
    "Okta",
    "Pratama",
    "Qori",
    "Rahma",
    "Surya",
    "Tirta",
    "Utami",
    "Vira",
    "Wira",
    "Yudha",
    "Zain",
    "Adi",
    "Baskara",
    "Candra",
    "Darma",
    "Esa",
    "Fauzi",
    "Gita",
    "Haris",
    "Indra",
]
LAST = [
    "Rahman",
    "Hidayat",
    "Saputra",
    "Wijaya",
    "Pratama",
    "Santoso",
    "Kusuma",
    "Nugroho",
    "Setiawan",
    "Hakim",
    "Fauzan",
    "Ramadhan",
    "Syahputra",
    "Maulana",
    "Firdaus",
    "Gunawan",
    "Hamdani",
    "Iskandar",
    "Junaidi",
    "Kamal",
    "Lubis",
    "Mahmud",
    "Nasution",
    "Prasetyo",
    "Rosadi",
    "Sulaiman",
    "Tanjung",
    "Utomo",
    "Wibowo",
    "Yusuf",
    "Zakaria",
    "Anshari",
    "Barkati",
    "Hasibuan",
    "Effendi",
    "Fadillah",
    "Halim",
    "Idris",
    "Jamal",
    "Khairani",
    "Lesmana",
    "Mubarak",
    "Noor",
    "Rasyid",
    "Siregar",
    "Thalib",
    "Umar",
    "Wahid",
    "Yasin",
    "Zubair",
    "Arsyad",
    "Banjari",
    "Kadir",
]


def _sql_array(words: list[str]) -> str:
    return "ARRAY[" + ", ".join(f"'{word}'" for word in words) + "]"


def _identity_sql() -> dict[str, str]:
    """SQL expressions over the series number g: names (full, passport surname and given
    names, katakana) and a NIK that is unique and agrees with the birth date and gender."""
    first = (
        f"CASE WHEN g %% 3 = 0 THEN ({_sql_array(MALE)})[1 + (g / 3) %% {len(MALE)}] "
        f"ELSE ({_sql_array(FEMALE)})[1 + g %% {len(FEMALE)}] END"
    )
    middle = f"({_sql_array(MIDDLE)})[1 + (g / 37) %% {len(MIDDLE)}]"
    last = f"({_sql_array(LAST)})[1 + (g / 1517) %% {len(LAST)}]"
    names = (
        f"{first} || ' ' || {middle} || ' ' || {last}, upper({last}), "
        f"upper({first} || ' ' || {middle}), ''"
    )
    # 63.71.0d (Banjarmasin's districts) + birth day (+40 for women) + MMYY + a number that
    # tells apart the ~33 people per birth date: unique because g %% 3000 is the birth date.
    nik = (
        "'6371' || lpad((1 + g %% 5)::text, 2, '0') "
        "|| lpad((extract(day FROM DATE '1996-01-01' + (g %% 3000))::int "
        "+ CASE WHEN g %% 3 = 0 THEN 0 ELSE 40 END)::text, 2, '0') "
        "|| to_char(DATE '1996-01-01' + (g %% 3000), 'MMYY') "
        "|| lpad((1 + g / 3000)::text, 4, '0')"
    )
    return {"names": names, "nik": nik}


def build() -> Program:
    existing = Program.objects.filter(slug=SLUG).first()
    if (
        existing
        and Participant.objects.filter(cohort__program=existing).count() >= BATCHES * PER_BATCH
    ):
        ensure_users(existing)
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
                SELECT {names}, {nik},
                    '', '', CASE WHEN g %% 3 = 0 THEN 'M' ELSE 'F' END,
                    DATE '1996-01-01' + (g %% 3000), '', (%s::bigint[])[1 + g %% %s],
                    '', '', '', '', '', '', '', '', '', '', '', '',
                    (ARRAY['sma','d3','s1'])[1 + g %% 3], '', 'Care worker',
                    CASE WHEN g %% 7 = 0 THEN 'scholarship' ELSE 'worker' END,
                    %s + (g - 1) / %s, 'B-' || g, '', true,
                    CASE WHEN (g - 1) / %s = %s - 1 THEN 'in_training' ELSE 'working' END,
                    '', now()
                FROM generate_series(1, %s) AS g
                """.format(**_identity_sql()),
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
            add_documents(cursor, program)
            add_contracts(cursor, program)
            cursor.execute("ANALYZE")
        user, created = get_user_model().objects.get_or_create(username="bench-hr")
        if created:
            user.groups.add(Group.objects.get(name=Role.HR_STAFF))
    record_first_departures(program)
    ensure_users(program)
    vacuum()
    return program


def record_first_departures(program: Program) -> None:
    """Copy the departures the raw inserts wrote into the status history onto the people, as
    ``Participant.move`` does."""
    departed = StatusChange.objects.filter(to_status="departed").values("participant_id")
    Participant.objects.filter(
        cohort__program=program, departed_on__isnull=True, pk__in=departed
    ).refresh_departed_on()


EMPLOYERS = (
    "Kaikoukai Healthcare Corporation",
    "Aichi Care Service",
    "Nagoya Silver Home",
    "Gifu Welfare Foundation",
    "Mie Kaigo Network",
)


def passport_number_sql(participant_id: str) -> str:
    """A unique synthetic passport number (a letter and seven digits) from a participant id."""
    return f"'C' || lpad((({participant_id} * 7919) %% 9000000 + 1000000)::text, 7, '0')"


def add_documents(cursor, program: Program) -> None:
    """Each participant's passport, KTP and medical check; a visa for those working abroad."""
    cursor.execute(
        f"""
        INSERT INTO participants_document (
            participant_id, document_type_id, number, issued_on, expires_on, file,
            handled_by_id, replaces_id, notes, created_at)
        SELECT p.id, t.id,
               CASE t.code WHEN 'passport' THEN {passport_number_sql("p.id")}
                           WHEN 'ktp' THEN p.nik
                           WHEN 'visa' THEN 'V' || lpad(p.id::text, 8, '0')
                           ELSE '' END,
               c.planned_departure - 120,
               CASE t.code WHEN 'passport' THEN c.planned_departure - 121 + 3652
                           WHEN 'ktp' THEN NULL
                           WHEN 'visa' THEN c.planned_departure - 120 + 1826
                           ELSE c.planned_departure + 60 END,
               '', NULL, NULL, '', now()
        FROM participants_participant p
        JOIN cohorts_cohort c ON c.id = p.cohort_id
        JOIN participants_documenttype t
          ON t.code IN ('passport', 'ktp', 'medical')
          OR (t.code = 'visa' AND p.status = 'working')
        WHERE c.program_id = %s
        """,
        [program.pk],
    )


def add_contracts(cursor, program: Program) -> None:
    """A five-year contract for everyone working abroad; those past their end are completed."""
    employers = "ARRAY[" + ", ".join(f"'{name}'" for name in EMPLOYERS) + "]"
    cursor.execute(
        f"""
        INSERT INTO participants_contract (
            participant_id, employer, facility, prefecture, city, position, signed_on,
            start_date, term_years, end_date, monthly_salary, salary_currency, status,
            continues_id, ended_on, end_reason, signed_file)
        SELECT id, employer, '', 'Aichi', 'Nagoya', 'Care worker', start_date - 60,
               start_date, 5, end_date, 180000 + (id %% 5) * 10000, 'JPY',
               CASE WHEN end_date >= current_date THEN 'active' ELSE 'completed' END,
               NULL, CASE WHEN end_date < current_date THEN end_date END, '', ''
        FROM (
            SELECT p.id, ({employers})[1 + p.id %% {len(EMPLOYERS)}] AS employer,
                   c.planned_departure + 7 AS start_date,
                   (c.planned_departure + 7 + interval '5 years' - interval '1 day')::date
                       AS end_date
            FROM participants_participant p JOIN cohorts_cohort c ON c.id = p.cohort_id
            WHERE c.program_id = %s AND p.status = 'working'
        ) AS working
        """,
        [program.pk],
    )


def vacuum() -> None:
    """Mark the new rows visible to all (as autovacuum would later), so counts and deep pages
    can be answered from the indexes alone; VACUUM runs outside a transaction."""
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def ensure_users(program: Program) -> None:
    """Users with a known password for the benchmarks and the load test (local data only):
    bench-admin (superuser), bench-hr and bench-hr-N (HR staff), bench-coordinator-N
    (coordinators of the bench programme). One hash for all: hashing is slow on purpose."""
    from django.contrib.auth.hashers import make_password

    from cohorts.models import ProgramAssignment

    User = get_user_model()
    password = make_password(PASSWORD)
    hr = Group.objects.get(name=Role.HR_STAFF)
    coordinator = Group.objects.get(name=Role.COORDINATOR)
    wanted = {"bench-admin": None, "bench-hr": hr}
    for n in range(1, LOAD_USERS + 1):
        wanted[f"bench-hr-{n}"] = hr
        wanted[f"bench-coordinator-{n}"] = coordinator
    for username, group in wanted.items():
        user, _ = User.objects.get_or_create(username=username)
        user.password = password
        user.is_active = True
        user.is_staff = user.is_superuser = group is None
        user.save()
        if group is not None:
            user.groups.set([group])
        if group == coordinator:
            ProgramAssignment.objects.get_or_create(
                program=program, user=user, defaults={"role": Role.COORDINATOR}
            )
