"""The selection's shared test world: a call under selection with two stages, its
committee (one member with a declared relation, a secretary, an assessor without an
account), four applicants and a document, and users of every role around it."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile

from recruitment.models import ApplicationDocument, Call
from tests.factories import (
    ApplicationFactory,
    CallFactory,
    CommitteeMemberFactory,
    ProgramAssignmentFactory,
    StageFactory,
    UserFactory,
)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def world():
    call = CallFactory(status=Call.Status.SCORING, required_documents=["KTP"])
    language = StageFactory(call=call, order=1, name="Bahasa Jepang", kind="language", weight=60)
    interview = StageFactory(call=call, order=2, name="Wawancara", kind="interview", weight=40)
    users = {
        "hr": UserFactory(username="hr", role="hr_staff"),
        "coordinator": UserFactory(username="coordinator", role="coordinator"),
        "leadership": UserFactory(username="leadership", role="leadership"),
        "member": UserFactory(username="member", role="selection_committee"),
        "secretary": UserFactory(username="secretary", role="selection_committee"),
        "stranger": UserFactory(username="stranger", role="selection_committee"),
        "outsider": UserFactory(username="outsider", role="coordinator"),
    }
    ProgramAssignmentFactory(program=call.program, user=users["coordinator"])
    ProgramAssignmentFactory(program=call.program, user=users["leadership"], role="leadership")
    member = CommitteeMemberFactory(call=call, user=users["member"], name="Dr. Rina")
    member.stages.set([language])
    secretary = CommitteeMemberFactory(
        call=call, user=users["secretary"], position="secretary", name="Budi, S.Sos."
    )
    paper = CommitteeMemberFactory(call=call, user=None, name="Tanaka Hiroshi")
    paper.stages.set([interview])
    relative = ApplicationFactory(call=call, full_name="Keponakan Rina")
    others = [ApplicationFactory(call=call, full_name=f"Pendaftar {n}") for n in range(3)]
    member.conflicts.create(application=relative, relation="Keponakan")
    document = ApplicationDocument.objects.create(application=others[0], name="KTP")
    document.file.save("ktp.pdf", ContentFile(PDF))
    return {
        "call": call,
        "stages": (language, interview),
        "users": users,
        "members": (member, secretary, paper),
        "relative": relative,
        "others": others,
        "document": document,
    }
