"""Reproducible large data sets in PostgreSQL, for the benchmarks (see ``config``): 100,000
participants in one programme (the default) or, with ``BENCH_SCALE=1m``, 1,000,000 in twenty
programmes, most of them departed and working, each with twenty attendance rows (2,000,000 or
20,000,000), a departure in the status history, documents and a contract.

The people and their attendance go in with PostgreSQL ``COPY`` while the tables' secondary
indexes and foreign keys are off; the history, documents and contracts are derived from them
inside the server (``INSERT ... SELECT``); then the indexes are built once. Run again, it finds
the data there and adds nothing. Everything in it is synthetic.
"""

from __future__ import annotations

import datetime
import time

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection, transaction

from benchmarks.config import SCALE, Scale
from cohorts.models import Cohort, Partner, Program
from delegation.roles import Role
from participants.models import Participant, Region
from training.models import Module, Session, TrainingPlan

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


def identity(g: int) -> tuple[str, str, str, str, datetime.date]:
    """Name, passport surname and given names, NIK and birth date of participant number g:
    the NIK is unique and agrees with the birth date and gender."""
    male = g % 3 == 0
    first = MALE[(g // 3) % len(MALE)] if male else FEMALE[g % len(FEMALE)]
    middle = MIDDLE[(g // 37) % len(MIDDLE)]
    last = LAST[(g // 1517) % len(LAST)]
    birth = BIRTH_START + datetime.timedelta(days=g % 3000)
    # 63.71.0d (Banjarmasin's districts) + birth day (+40 for women) + MMYY + a number that
    # tells apart the people born on one date: unique because g % 3000 is the birth date.
    nik = f"6371{1 + g % 5:02d}{birth.day + (0 if male else 40):02d}{birth:%m%y}{1 + g // 3000:04d}"
    return f"{first} {middle} {last}", last.upper(), f"{first} {middle}".upper(), nik, birth


BIRTH_START = datetime.date(1996, 1, 1)
EDUCATION = ("sma", "d3", "s1")
PARTICIPANT_COLUMNS = (
    "id, full_name, passport_surname, passport_given_names, name_katakana, nik, nik_reason, "
    "kk_number, gender, birth_date, birth_place, origin_id, ktp_street, ktp_rt_rw, "
    "ktp_village, ktp_district, ktp_postal_code, domicile_street, domicile_rt_rw, "
    "domicile_village, domicile_district, domicile_postal_code, phone, email, "
    "education_level, education_field, occupation, track, cohort_id, participant_number, "
    "photo, culture_ambassador, status, notes, created_at, departed_on"
)
# Tables filled in bulk: their secondary indexes and foreign keys are taken off while the rows
# go in and built again once at the end, which is several times faster than keeping them.
BULK_TABLES = (
    "participants_participant",
    "training_attendance",
    "participants_statuschange",
    "participants_document",
    "participants_contract",
)


def build(scale: Scale = SCALE) -> Program:
    """The data set of ``scale``, built once: run again, it finds the data there and adds
    nothing. Everything happens in one transaction, so a build cut short leaves nothing."""
    existing = Program.objects.filter(slug=SLUG).first()
    if existing:
        count = Participant.objects.filter(cohort__program__slug__startswith=SLUG).count()
        if count < scale.participants:
            raise SystemExit(
                f"The database holds {count:,} benchmark participants, not the "
                f"{scale.participants:,} of BENCH_SCALE={scale.name}: give each scale its own "
                "database (BENCH_DATABASE_URL)."
            )
        ensure_users(existing)
        return existing
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        program, batches = create_programmes(scale)
        # Check the new rows' deferred foreign keys now: no table with pending checks can be
        # altered.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        kept = take_off_indexes(cursor)
        first_id = copy_participants(cursor, scale, batches)
        copy_attendance(cursor, scale, batches, first_id)
        add_history(cursor)
        add_documents(cursor)
        add_contracts(cursor)
        put_back_indexes(cursor, kept)
        user, created = get_user_model().objects.get_or_create(username="bench-hr")
        if created:
            user.groups.add(Group.objects.get(name=Role.HR_STAFF))
    ensure_users(program)
    vacuum()
    print(f"Built the {scale.name} data set in {time.perf_counter() - started:.0f} s.")
    return program


def create_programmes(scale: Scale) -> tuple[Program, list[tuple[Cohort, list[int]]]]:
    """The partner, programmes, batches, training plans and sessions (few rows: the ORM);
    returns the first programme and each batch with its session ids."""
    partner, _ = Partner.objects.get_or_create(name="Bench Partner", defaults={"country": "Jepang"})
    programmes = Program.objects.bulk_create(
        Program(
            partner=partner,
            name="Bench programme" + (f" {n}" if n > 1 else ""),
            slug=SLUG + (f"-{n}" if n > 1 else ""),
            scheme="g2b",
            sector="Kesehatan",
            destination_country="Jepang",
            sponsor_covers=["language_training"],
        )
        for n in range(1, scale.programmes + 1)
    )
    cohorts = Cohort.objects.bulk_create(
        Cohort(
            program=program,
            number=n,
            year=2000 + n % 27,
            planned_departure=datetime.date(2000 + n % 27, 2, 18),
            status=Cohort.Status.TRAINING if n == scale.batches else Cohort.Status.DEPARTED,
        )
        for program in programmes
        for n in range(1, scale.batches + 1)
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
    sessions = Session.objects.bulk_create(
        Session(
            module=m,
            date=datetime.date(2025, 1, 6) + datetime.timedelta(days=7 * k),
            start_time=datetime.time(8),
            end_time=datetime.time(11),
        )
        for m in modules
        for k in range(scale.sessions)
    )
    batches = [
        (cohort, [s.pk for s in sessions[n * scale.sessions : (n + 1) * scale.sessions]])
        for n, cohort in enumerate(cohorts)
    ]
    return programmes[0], batches


def take_off_indexes(cursor) -> list[str]:
    """Drop the bulk tables' secondary indexes, unique constraints and foreign keys (the
    primary keys and checks stay); returns the statements that put them back."""
    restore, drop = [], []
    for table in BULK_TABLES:
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype IN ('u', 'f')",
            [table],
        )
        for name, definition in cursor.fetchall():
            drop.append(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
            restore.append(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
        cursor.execute(
            "SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = %s::regclass "
            "AND NOT i.indisprimary AND NOT EXISTS "
            "(SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)",
            [table],
        )
        for name, definition in cursor.fetchall():
            drop.append(f'DROP INDEX "{name}"')
            restore.append(definition)
    for statement in drop:
        cursor.execute(statement)
    # Unique indexes and constraints first, foreign keys (which may lean on them) last.
    return sorted(restore, key=lambda statement: "FOREIGN KEY" in statement)


def put_back_indexes(cursor, statements: list[str]) -> None:
    for statement in statements:
        cursor.execute(statement)


def copy_rows(cursor, statement: str, lines) -> None:
    """Stream text lines (tab-separated, newline-ended) into ``COPY ... FROM STDIN``."""
    with cursor.cursor.copy(statement) as copy:
        chunk = []
        for line in lines:
            chunk.append(line)
            if len(chunk) == 20_000:
                copy.write("".join(chunk))
                chunk.clear()
        if chunk:
            copy.write("".join(chunk))


def copy_participants(cursor, scale: Scale, batches) -> int:
    """Every participant with COPY; ids are given (from the next free one), so the attendance
    can name them without reading them back. Returns the first id."""
    cursor.execute("SELECT coalesce(max(id), 0) + 1 FROM participants_participant")
    first_id = cursor.fetchone()[0]
    origin_ids = list(
        Region.objects.regencies().filter(code__startswith="63").values_list("id", flat=True)
    )
    now = datetime.datetime.now(datetime.UTC).isoformat()

    def lines():
        g = 0
        for cohort, _sessions in batches:
            training = cohort.status == Cohort.Status.TRAINING
            status = "in_training" if training else "working"
            departed = r"\N" if training else cohort.planned_departure.isoformat()
            for _n in range(scale.per_batch):
                g += 1
                name, surname, given, nik, birth = identity(g)
                yield (
                    f"{first_id + g - 1}\t{name}\t{surname}\t{given}\t\t{nik}\t\t\t"
                    f"{'M' if g % 3 == 0 else 'F'}\t{birth}\t\t{origin_ids[g % len(origin_ids)]}"
                    "\t\t\t\t\t\t\t\t\t\t\t\t\t"
                    f"{EDUCATION[g % 3]}\t\tCare worker\t"
                    f"{'scholarship' if g % 7 == 0 else 'worker'}\t{cohort.pk}\tB-{g}\t\tt\t"
                    f"{status}\t\t{now}\t{departed}\n"
                )

    copy_rows(cursor, f"COPY participants_participant ({PARTICIPANT_COLUMNS}) FROM STDIN", lines())
    cursor.execute(
        "SELECT setval(pg_get_serial_sequence('participants_participant', 'id'), "
        "(SELECT max(id) FROM participants_participant))"
    )
    return first_id


def copy_attendance(cursor, scale: Scale, batches, first_id: int) -> None:
    """Each participant's attendance at each session of their batch, with COPY: about one
    row in nineteen absent."""

    def lines():
        person = first_id
        for _cohort, sessions in batches:
            people = range(person, person + scale.per_batch)
            person += scale.per_batch
            for session in sessions:
                for pk in people:
                    status = "absent" if (session + pk) % 19 == 0 else "present"
                    yield f"{session}\t{pk}\t{status}\t\n"

    copy_rows(
        cursor,
        "COPY training_attendance (session_id, participant_id, status, note) FROM STDIN",
        lines(),
    )


def add_history(cursor) -> None:
    """The departure of everyone working abroad, in their status history (derived from the
    copied people inside the server)."""
    cursor.execute(
        f"""
        INSERT INTO participants_statuschange (
            participant_id, kind, from_status, to_status, from_cohort_id, to_cohort_id,
            effective_date, reason, departure_date, flight, historical, recorded_at)
        SELECT p.id, 'status', 'ready', 'departed', p.cohort_id, p.cohort_id,
               c.planned_departure, '', c.planned_departure, '', true, now()
        FROM participants_participant p JOIN cohorts_cohort c ON c.id = p.cohort_id
        WHERE c.program_id IN ({PROGRAMMES}) AND p.status = 'working'
        """,
        [],  # so that %% reads as %
    )


PROGRAMMES = f"SELECT id FROM cohorts_program WHERE slug LIKE '{SLUG}%%'"


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


def add_documents(cursor) -> None:
    """Each participant's passport, KTP and medical check; a visa for those working abroad."""
    cursor.execute(
        f"""
        INSERT INTO participants_document (
            participant_id, document_type_id, number, issued_on, expires_on, file,
            handled_by_id, replaces_id, notes, created_at, review, refusal_reason)
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
               '', NULL, NULL, '', now(), 'verified', ''
        FROM participants_participant p
        JOIN cohorts_cohort c ON c.id = p.cohort_id
        JOIN participants_documenttype t
          ON t.code IN ('passport', 'ktp', 'medical')
          OR (t.code = 'visa' AND p.status = 'working')
        WHERE c.program_id IN ({PROGRAMMES})
        """,
        [],  # so that %% reads as %
    )


def add_contracts(cursor) -> None:
    """A five-year contract for everyone working abroad; those past their end are completed."""
    employers = "ARRAY[" + ", ".join(f"'{name}'" for name in EMPLOYERS) + "]"
    cursor.execute(
        f"""
        INSERT INTO participants_contract (
            participant_id, employer, facility, subdivision, prefecture, city, position, signed_on,
            start_date, term_years, end_date, monthly_salary, salary_currency, status,
            continues_id, ended_on, end_reason, signed_file)
        SELECT id, employer, '', '', 'Aichi', 'Nagoya', 'Care worker', start_date - 60,
               start_date, 5, end_date, 180000 + (id %% 5) * 10000, 'JPY',
               CASE WHEN end_date >= current_date THEN 'active' ELSE 'completed' END,
               NULL, CASE WHEN end_date < current_date THEN end_date END, '', ''
        FROM (
            SELECT p.id, ({employers})[1 + p.id %% {len(EMPLOYERS)}] AS employer,
                   c.planned_departure + 7 AS start_date,
                   (c.planned_departure + 7 + interval '5 years' - interval '1 day')::date
                       AS end_date
            FROM participants_participant p JOIN cohorts_cohort c ON c.id = p.cohort_id
            WHERE c.program_id IN ({PROGRAMMES}) AND p.status = 'working'
        ) AS working
        """,
        [],  # so that %% reads as %
    )


def vacuum() -> None:
    """Mark the new rows visible to all (as autovacuum would later), so counts and deep pages
    can be answered from the indexes alone; VACUUM runs outside a transaction (a test's
    transaction skips it)."""
    if connection.in_atomic_block:
        return
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
