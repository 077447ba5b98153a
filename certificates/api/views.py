"""The certificates API: my certificates, public verification, and for HR the register, its
exports and bulk ZIP downloads.

Each endpoint calls what the HTML views call (``certificates.selectors``, ``services``,
``filters``, ``exports``, ``tasks``); nothing here decides more than which queryset to use.
Files (PDF, CSV, XLSX, ZIP) are served whatever the Accept header says; errors are JSON.
"""

from django.http import Http404
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_filters.utils import translate_validation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema_view
from rest_framework import permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from certificates import exports, selectors, tasks
from certificates.api import serializers
from certificates.api.errors import ZipExpired, ZipNotReady, described
from certificates.api.filters import (
    FILTER_PARAMETERS,
    CertificateFilterSerializer,
    filter_params,
    filtered_certificates,
    invalid_filter,
)
from certificates.api.permissions import ViewsCertificates
from certificates.badges import issuing as badge_issuing
from certificates.bulk import BulkDownloadError
from certificates.downloads import pdf_response
from certificates.exceptions import FileTooLarge
from certificates.filters import InvalidFilter
from certificates.forms import MAX_PDF_BYTES, VerifyCodeForm, VerifyFileForm
from certificates.models import BulkDownload, Certificate
from certificates.views.bulk import zip_download, zip_ready
from courses import uploads
from courses.api.toolkit import APIViewSetMixin, domain_errors, error_response, extend_schema

PDF, CSV, ZIP = "application/pdf", "text/csv", "application/zip"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class PDFUploadParser(MultiPartParser):
    """DRF's multipart parser, refusing unread a body too large to hold a certificate (it
    runs before anything reads the body, the session's CSRF check included)."""

    def parse(self, stream, media_type=None, parser_context=None):
        meta = parser_context["request"].META
        if uploads.declared_body_too_large(meta, max_bytes=MAX_PDF_BYTES):
            raise FileTooLarge()
        return super().parse(stream, media_type, parser_context)


class FileNegotiation(DefaultContentNegotiation):
    """A download answers with its file whatever the client accepts; its errors are JSON."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


def file_download(**kwargs):
    """``@action`` for a file download (GET, no filters unless given, any Accept)."""
    kwargs.setdefault("filterset_class", None)
    return action(
        detail=kwargs.pop("detail", True),
        methods=["get"],
        content_negotiation_class=FileNegotiation,
        **kwargs,
    )


PDF_RESPONSE = {(200, PDF): OpenApiTypes.BINARY}


@extend_schema_view(
    list=extend_schema(summary=_("My certificates"), tags=["certificates"]),
    retrieve=extend_schema(summary=_("One of my certificates"), tags=["certificates"]),
)
class MyCertificateAPIViewSet(APIViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """The signed-in user's own certificates (replaced ones only by id, as on the site);
    anyone else's do not exist for them, whatever their role."""

    queryset = Certificate.objects.none()
    serializer_class = serializers.MyCertificateSerializer
    filterset_class = None

    def get_queryset(self):
        history = self.action != "list"
        # The course too: each certificate's verification link names the site serving it.
        return selectors.certificates_of(
            user=self.request.user, include_history=history
        ).select_related("signature", "course")

    @extend_schema(
        summary=_("My certificates being prepared"),
        description=_(
            "Completed courses whose certificate is being issued (rendered and signed in the "
            "background). Each one moves to the list of certificates once issued."
        ),
        tags=["certificates"],
        responses=serializers.PreparingCertificateSerializer(many=True),
    )
    @action(detail=False, methods=["get"], filterset_class=None, pagination_class=None)
    def preparing(self, request):
        # Not paged: a delegate has at most a few certificates in the making at once.
        enrollments = selectors.pending_certificates(user=request.user)
        return Response(serializers.PreparingCertificateSerializer(enrollments, many=True).data)

    @extend_schema(
        summary=_("The Open Badges 3.0 credential of one of my certificates"),
        description=_("404 when the site issues no Open Badges (no signing key)."),
        tags=["certificates"],
        responses=serializers.CredentialSerializer,
    )
    @action(detail=True, methods=["get"], filterset_class=None)
    def credential(self, request, pk=None):
        certificate = self.get_object()
        try:
            credential, token = badge_issuing.signed_credential(certificate)
        except badge_issuing.BadgesNotConfigured as error:
            raise Http404 from error
        return Response({"credential": credential, "jwt": token})

    @extend_schema(
        summary=_("Download one of my certificates (PDF)"),
        tags=["certificates"],
        responses=PDF_RESPONSE,
    )
    @file_download()
    def pdf(self, request, pk=None):
        return pdf_response(self.get_object(), actor=request.user)


VERIFY_DESCRIPTION = _(
    "Open to everyone, throttled per visitor (`certificate_verify`). The code is the "
    "verification code printed under the QR code, or the register number printed on the "
    "certificate (case, spaces and Đ written as D do not matter). Unknown and malformed codes "
    "are answered alike, with the status `unknown`."
)


@extend_schema_view(
    retrieve=extend_schema(
        summary=_("Check a certificate by its verification code"),
        description=VERIFY_DESCRIPTION,
        tags=["verification"],
        parameters=[
            OpenApiParameter(
                "code",
                {"type": "string", "maxLength": VerifyCodeForm.base_fields["code"].max_length},
                OpenApiParameter.PATH,
                description=_(
                    "The verification code printed under the certificate's QR code, or its "
                    "register number."
                ),
            )
        ],
        responses={
            200: serializers.VerificationSerializer,
            400: error_response(_("No code, or far too long (`invalid_input`).")),
        },
    ),
)
class VerificationAPIViewSet(APIViewSetMixin, viewsets.GenericViewSet):
    """The public check of a certificate, as on the site's verification page."""

    permission_classes = [permissions.AllowAny]
    throttle_scope = "certificate_verify"
    serializer_class = serializers.VerificationSerializer
    lookup_field = "code"
    lookup_value_converter = "str"

    def retrieve(self, request, code=None):
        form = VerifyCodeForm(data={"code": code})  # as the page's form: spaces do not matter
        if not form.is_valid():
            raise translate_validation(form.errors)
        certificate = selectors.by_printed_reference(form.cleaned_data["code"])
        result = {"certificate": certificate, "status": selectors.public_status(certificate)}
        return Response(self.get_serializer(result).data)

    @extend_schema(
        summary=_("Check a certificate's PDF file"),
        description=_(
            "Only the exact file that was issued matches. Throttled with the code check."
        ),
        tags=["verification"],
        request=serializers.VerifyFileSerializer,
        responses={
            200: serializers.FileVerificationSerializer,
            **domain_errors(FileTooLarge, also={400: "`invalid_input`"}),
        },
    )
    @action(detail=False, methods=["post"], parser_classes=[PDFUploadParser])
    def file(self, request):
        form = VerifyFileForm(data=request.data, files=request.FILES)
        if not form.is_valid():
            raise translate_validation(form.errors)
        certificate = selectors.by_pdf_file(form.cleaned_data["file"])
        result = {"certificate": certificate, "status": selectors.public_status(certificate)}
        return Response(serializers.FileVerificationSerializer(result).data)


FILTER_ERRORS = {400: error_response(_("An invalid filter value (`invalid_input`)."))}


@extend_schema_view(
    list=extend_schema(
        summary=_("The certificates register"),
        tags=["register"],
        parameters=FILTER_PARAMETERS,
    ),
    retrieve=extend_schema(summary=_("A certificate of the register"), tags=["register"]),
)
class CertificateAPIViewSet(APIViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """HR's register of every issued certificate, filtered as in the admin."""

    queryset = Certificate.objects.none()
    serializer_class = serializers.RegisterCertificateSerializer
    permission_classes = [ViewsCertificates]
    filterset_class = None

    def get_queryset(self):
        # The course too: each certificate's verification link names the site serving it.
        return Certificate.objects.select_related("signature", "course").order_by(
            "-issued_at", "-pk"
        )

    def filter_queryset(self, queryset):
        if self.detail:  # one certificate, by id
            return queryset
        return filtered_certificates(queryset, self.request.query_params)

    @extend_schema(
        summary=_("Download a certificate (PDF)"),
        tags=["register"],
        responses=PDF_RESPONSE,
    )
    @file_download()
    def pdf(self, request, pk=None):
        return pdf_response(self.get_object(), actor=request.user)

    @extend_schema(
        summary=_("The filtered register as CSV (UTF-8 with BOM)"),
        tags=["register"],
        parameters=FILTER_PARAMETERS,
        responses={(200, CSV): OpenApiTypes.BINARY, **FILTER_ERRORS},
    )
    @file_download(detail=False, url_path="export/csv", url_name="export-csv")
    def export_csv(self, request):
        return self.spreadsheet(exports.CSV)

    @extend_schema(
        summary=_("The filtered register as XLSX"),
        tags=["register"],
        parameters=FILTER_PARAMETERS,
        responses={(200, XLSX): OpenApiTypes.BINARY, **FILTER_ERRORS},
    )
    @file_download(detail=False, url_path="export/xlsx", url_name="export-xlsx")
    def export_xlsx(self, request):
        return self.spreadsheet(exports.XLSX)

    def spreadsheet(self, spreadsheet_format: str):
        certificates = self.filter_queryset(self.get_queryset())
        return exports.register_spreadsheet(certificates, spreadsheet_format=spreadsheet_format)


START_ERRORS = domain_errors(
    tasks.NothingToDownload, tasks.TooManyCertificates, also={400: "`invalid_input`"}
)


@extend_schema_view(
    list=extend_schema(summary=_("My certificate ZIP downloads"), tags=["register"]),
    retrieve=extend_schema(summary=_("A certificate ZIP download's progress"), tags=["register"]),
)
class BulkDownloadAPIViewSet(APIViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Many certificates as one ZIP, built in the background (``certificates.tasks``). A job is
    seen only by who started it (and superusers, as in the admin)."""

    queryset = BulkDownload.objects.none()
    serializer_class = serializers.BulkDownloadSerializer
    permission_classes = [ViewsCertificates]
    filterset_class = None

    def get_queryset(self):
        return tasks.visible_jobs(user=self.request.user).order_by("-requested_at", "-pk")

    @extend_schema(
        summary=_("Start a ZIP of the filtered certificates"),
        description=_("The certificates are fixed now; poll the job's `url` until it is finished."),
        tags=["register"],
        request=CertificateFilterSerializer,
        responses={202: serializers.BulkDownloadSerializer, **START_ERRORS},
    )
    def create(self, request):
        params = filter_params(request.data)
        try:
            job = tasks.start_bulk_download(
                user=request.user, params=params, language=get_language()
            )
        except InvalidFilter as error:
            raise invalid_filter(error) from None
        except BulkDownloadError as error:
            raise described(error) from None
        job.refresh_from_db()  # a backend that runs tasks at once may have built it already
        data = self.get_serializer(job).data
        return Response(data, status=status.HTTP_202_ACCEPTED, headers={"Location": data["url"]})

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        response["Cache-Control"] = "no-store"
        return response

    @extend_schema(
        summary=_("Download a finished ZIP"),
        tags=["register"],
        responses={(200, ZIP): OpenApiTypes.BINARY, **domain_errors(ZipNotReady, ZipExpired)},
    )
    @file_download(url_path="zip", url_name="download")
    def download(self, request, pk=None):
        job = self.get_object()
        if job.state == BulkDownload.State.EXPIRED:
            raise ZipExpired()
        if not zip_ready(job):
            raise ZipNotReady()
        return zip_download(job, actor=request.user)
