"""Factories for test data, in one place for every app."""

import datetime
import zoneinfo

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from cohorts.models import (
    Agreement,
    CeremonyAttendee,
    Cohort,
    CohortAssignment,
    DepartureCeremony,
    Partner,
    Program,
    ProgramAssignment,
)
from delegation.models import Job
from participants.models import (
    ConsentRecord,
    Contact,
    Document,
    DocumentType,
    Participant,
    Region,
)
from recruitment.models import Application, Call, CommitteeMember, Stage
from training.models import ExamResult, ExamType, Module, Session, TrainingPlan

PASSWORD = "a-test-password-1234"
WITA = zoneinfo.ZoneInfo("Asia/Makassar")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"User {n}")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def role(self, create, role_name, **kwargs):
        if create and role_name:
            self.groups.add(Group.objects.get(name=role_name))


class JobFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Job

    kind = "test_document"
    requested_by = factory.SubFactory(UserFactory)


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Partner {n} Corporation")
    country = "Jepang"
    sector = "Kesehatan"


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Program

    partner = factory.SubFactory(PartnerFactory)
    name = factory.Sequence(lambda n: f"Programme {n}")
    slug = factory.Sequence(lambda n: f"programme-{n}")
    scheme = Program.Scheme.G_TO_B
    sector = "Kesehatan"
    destination_country = "Jepang"
    sponsor_covers = factory.LazyFunction(lambda: ["language_training", "exams"])


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agreement

    program = factory.SubFactory(ProgramFactory)
    kind = Agreement.Kind.MOU
    number = factory.Sequence(lambda n: f"{n:03d}/MoU/2025")
    signed_on = datetime.date(2025, 1, 10)


class CohortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cohort

    program = factory.SubFactory(ProgramFactory)
    number = factory.Sequence(lambda n: n + 1)
    year = 2026


class DepartureCeremonyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DepartureCeremony

    cohort = factory.SubFactory(CohortFactory)
    starts_at = datetime.datetime(2026, 2, 18, 9, 0, tzinfo=WITA)
    venue = "Aula Kayuh Baimbai, Balai Kota Banjarmasin"
    official_name = "Hj Ananda"
    official_position = "Wakil Wali Kota Banjarmasin"


class CeremonyAttendeeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CeremonyAttendee

    ceremony = factory.SubFactory(DepartureCeremonyFactory)
    name = factory.Sequence(lambda n: f"Official {n}")
    order = factory.Sequence(lambda n: n + 1)


class ProgramAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgramAssignment

    program = factory.SubFactory(ProgramFactory)
    user = factory.SubFactory(UserFactory)
    role = "coordinator"


class CohortAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CohortAssignment

    cohort = factory.SubFactory(CohortFactory)
    user = factory.SubFactory(UserFactory)


def make_nik(
    birth_date: datetime.date, gender: str = "F", regency: str = "63.71", serial: int = 1
) -> str:
    """A well-formed NIK that agrees with the birth date and gender."""
    day = birth_date.day + (40 if gender == "F" else 0)
    return f"{regency.replace('.', '')}01{day:02d}{birth_date:%m%y}{serial:04d}"


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    full_name = factory.Sequence(lambda n: f"Peserta {n}")
    gender = "F"
    birth_date = datetime.date(1998, 2, 18)
    # Serials 4001–9000: the small ones and those above are left to tests that write a NIK out.
    nik = factory.LazyAttributeSequence(
        lambda p, n: make_nik(p.birth_date, p.gender, serial=4001 + n % 5000)
    )
    origin = factory.LazyFunction(lambda: Region.objects.get(code="63.71"))
    track = Participant.Track.WORKER


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Document

    participant = factory.SubFactory(ParticipantFactory)
    document_type = factory.LazyFunction(lambda: DocumentType.objects.get(code="passport"))
    number = factory.Sequence(lambda n: f"C{n:07d}")


class TransferConsentFactory(factory.django.DjangoModelFactory):
    """A signed consent to the transfer of the participant's data to their programme's partner."""

    class Meta:
        model = ConsentRecord

    participant = factory.SubFactory(ParticipantFactory)
    kind = ConsentRecord.Kind.TRANSFER
    recipient = factory.LazyAttribute(lambda o: o.participant.cohort.program.partner)
    given_on = datetime.date(2025, 3, 3)
    scope = "Identity, health and training records, for placement and employment."
    signed_file = factory.django.FileField(filename="persetujuan.pdf", data=b"%PDF-1.4\n")


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    participant = factory.SubFactory(ParticipantFactory)
    relation = Contact.Relation.MOTHER
    name = factory.Sequence(lambda n: f"Ibu {n}")


class TrainingPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingPlan

    cohort = factory.SubFactory(CohortFactory)
    start_date = datetime.date(2025, 2, 17)
    end_date = datetime.date(2026, 2, 13)


class ModuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Module

    plan = factory.SubFactory(TrainingPlanFactory)
    name = factory.Sequence(lambda n: f"Module {n}")
    kind = Module.Kind.JAPANESE_LANGUAGE
    planned_hours = 100


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    module = factory.SubFactory(ModuleFactory)
    date = datetime.date(2025, 3, 3)
    start_time = datetime.time(8, 0)
    end_time = datetime.time(10, 0)


class ExamResultFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExamResult

    participant = factory.SubFactory(ParticipantFactory)
    exam_type = factory.LazyFunction(lambda: ExamType.objects.get(code="jlpt-n4"))
    date = datetime.date(2025, 12, 7)
    passed = True


class CallFactory(factory.django.DjangoModelFactory):
    """An open call of a batch: 2 workers, 1 scholarship recipient, 1 reserve per track."""

    class Meta:
        model = Call
        skip_postgeneration_save = True

    cohort = factory.SubFactory(CohortFactory)
    program = factory.LazyAttribute(lambda call: call.cohort.program)
    title = factory.Sequence(lambda n: f"Penerimaan Calon Peserta {n}")
    opens_at = datetime.datetime(2026, 1, 5, 8, 0, tzinfo=WITA)
    closes_at = datetime.datetime(2030, 1, 30, 16, 0, tzinfo=WITA)
    quota_worker = 2
    quota_scholarship = 1
    reserves = 1
    age_reference_date = datetime.date(2026, 1, 5)
    min_age = 18
    max_age = 35
    status = Call.Status.OPEN


class StageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Stage

    call = factory.SubFactory(CallFactory)
    order = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"Tahap {n}")
    kind = Stage.Kind.OTHER
    scoring = Stage.Scoring.SCORE
    weight = 1
    pass_mark = None
    eliminates = False


class CommitteeMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommitteeMember

    call = factory.SubFactory(CallFactory)
    name = factory.Sequence(lambda n: f"Anggota Panitia {n}")
    position = CommitteeMember.Position.MEMBER
    pact_signed_at = datetime.datetime(2026, 1, 5, 8, 0, tzinfo=WITA)


class ApplicationFactory(factory.django.DjangoModelFactory):
    """An eligible application received at the counter."""

    class Meta:
        model = Application

    call = factory.SubFactory(CallFactory)
    registration_number = factory.Sequence(lambda n: f"T{n:03d}-0001")
    channel = Application.Channel.COUNTER
    submitted_at = factory.Sequence(
        lambda n: datetime.datetime(2026, 1, 6, 8, 0, tzinfo=WITA) + datetime.timedelta(minutes=n)
    )
    full_name = factory.Sequence(lambda n: f"Pendaftar {n}")
    gender = "F"
    birth_date = datetime.date(2000, 3, 14)
    nik = factory.LazyAttributeSequence(
        lambda a, n: make_nik(a.birth_date, a.gender, serial=5000 + n)
    )
    ktp_regency = factory.LazyFunction(lambda: Region.objects.get(code="63.71"))
    education_level = Participant.Education.SMA
    track = Participant.Track.WORKER
    auto_eligible = True
