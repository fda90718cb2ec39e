"""The shared page helpers (``delegation.pages``) and the one upload field every form of
scans and signed papers uses (``delegation.forms.DocumentFileField``)."""

import pytest
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.test import RequestFactory

from cohorts.forms import AgreementForm
from cohorts.models import Agreement
from delegation.forms import DocumentFileField
from delegation.models import AuditEvent
from delegation.pages import confirm_delete, file_download
from participants.forms import ConsentForm, DocumentForm
from participants.forms_abroad import ContractForm
from participants.forms_costs import CostItemForm
from tests.factories import AgreementFactory, ProgramAssignmentFactory
from training.forms import ExamResultForm

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _request(method: str, user):
    request = getattr(RequestFactory(), method)("/")
    request.user = user
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


class TestConfirmDelete:
    def test_a_get_asks_and_deletes_nothing(self, hr, program):
        agreement = AgreementFactory(program=program)
        response = confirm_delete(_request("get", hr), agreement, back="/back/", deleted="Gone.")
        assert response.status_code == 200
        assert b"/back/" in response.content
        assert Agreement.objects.filter(pk=agreement.pk).exists()

    def test_a_post_deletes_with_its_file_records_it_says_so_and_goes_back(self, hr, program):
        agreement = AgreementFactory(program=program)
        agreement.file.save("mou.pdf", ContentFile(PDF))
        storage, name = agreement.file.storage, agreement.file.name
        request = _request("post", hr)
        response = confirm_delete(
            request, agreement, back="/back/", deleted="Gone.", files=[agreement.file], audit=True
        )
        assert (response.status_code, response["Location"]) == (302, "/back/")
        assert not Agreement.objects.filter(pk=agreement.pk).exists()
        assert not storage.exists(name)
        assert [str(m) for m in get_messages(request)] == ["Gone."]
        assert AuditEvent.objects.get().action == AuditEvent.Action.DELETE

    def test_without_audit_nothing_is_recorded(self, hr, program):
        agreement = AgreementFactory(program=program)
        confirm_delete(_request("post", hr), agreement, back="/", deleted="Gone.")
        assert not AuditEvent.objects.exists()


class TestFileDownload:
    def test_it_sends_the_file_and_logs_the_download(self, hr, program):
        agreement = AgreementFactory(program=program)
        agreement.file.save("mou.pdf", ContentFile(PDF))
        response = file_download(
            _request("get", hr),
            Agreement,
            agreement.pk,
            permission="cohorts.download_agreement",
            field="file",
        )
        assert b"".join(response.streaming_content) == PDF
        assert AuditEvent.objects.get().action == AuditEvent.Action.DOWNLOAD

    def test_someone_who_does_not_see_the_object_gets_404(self, coordinator, program):
        agreement = AgreementFactory(program=program)
        agreement.file.save("mou.pdf", ContentFile(PDF))
        with pytest.raises(Http404):
            file_download(
                _request("get", coordinator),
                Agreement,
                agreement.pk,
                permission="cohorts.download_agreement",
                field="file",
            )

    def test_someone_who_sees_it_without_the_permission_gets_403(self, leadership, program):
        ProgramAssignmentFactory(program=program, user=leadership, role="leadership")
        agreement = AgreementFactory(program=program)
        agreement.file.save("mou.pdf", ContentFile(PDF))
        with pytest.raises(PermissionDenied):
            file_download(
                _request("get", leadership),
                Agreement,
                agreement.pk,
                permission="cohorts.download_agreement",
                field="file",
            )
        assert not AuditEvent.objects.exists()


class TestDocumentFileField:
    def test_it_takes_a_real_pdf(self):
        upload = SimpleUploadedFile("scan.pdf", PDF)
        assert DocumentFileField().clean(upload) is upload

    def test_it_refuses_a_program_named_as_a_pdf(self):
        with pytest.raises(ValidationError):
            DocumentFileField().clean(SimpleUploadedFile("scan.pdf", b"MZ\x90\x00" * 8))

    def test_a_file_kept_from_before_is_not_read_again(self, program):
        agreement = AgreementFactory(program=program)
        agreement.file.save("mou.pdf", ContentFile(b"not checked again"))
        assert DocumentFileField(required=False).clean(None, agreement.file) == agreement.file

    @pytest.mark.parametrize(
        ("form", "field"),
        [
            (AgreementForm, "file"),
            (DocumentForm, "file"),
            (ConsentForm, "signed_file"),
            (ContractForm, "signed_file"),
            (CostItemForm, "receipt"),
            (ExamResultForm, "certificate"),
        ],
    )
    def test_every_form_of_scans_and_signed_papers_uses_it(self, form, field):
        assert isinstance(form.base_fields[field], DocumentFileField)
