"""The REST API for partner systems (``/api/v1/``): list, read and submit intelligence.

Thin, like the views: the access policy, the audit and the rules are the selectors', the
form's and the service's. A report the caller may not read answers 404 exactly like a
missing one; a submission with the same ``submission_key`` returns the report the first
one stored. A report that mentions something appearing in intelligence the caller may not
read carries, as on its page, only a notice and a reference per such entity
(``restricted_intelligence``; DESIGN.md, hit / no-hit).
"""

import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.urls import path
from django.utils.translation import gettext as _
from rest_framework import permissions, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from lantern.core import (
    access,
    converters,  # noqa: F401  (registers <reference:…>)
)
from lantern.core.audit import AuditContext
from lantern.entities import selectors as entity_selectors
from lantern.entities.models import HitContext
from lantern.intelligence import csv_formats, selectors
from lantern.intelligence.forms import IntelligenceForm
from lantern.intelligence.serializers import ReportSerializer, ReportSummarySerializer
from lantern.intelligence.services import submission as submission_services

FIELDS = {"submission_key", *csv_formats.COLUMN_NAMES}


class ReportPages(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class MayReadOrSubmit(permissions.BasePermission):
    """Reading the list needs an intelligence role; submitting, the right to submit."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        if request.method == "POST":
            return access.can_submit_intelligence(request.user)
        return access.can_read_intelligence(request.user)


class Reports(APIView):
    permission_classes = [permissions.IsAuthenticated, MayReadOrSubmit]

    def get(self, request: Request) -> Response:
        """Readable reports, filtered with the search's query names, newest first."""
        filters = selectors.ReportFilters.from_query(request.query_params)
        reports = selectors.search_reports(request.user, filters)
        pages = ReportPages()
        page = pages.paginate_queryset(reports, request, view=self)
        context = {"request": request}
        return pages.get_paginated_response(
            ReportSummarySerializer(page, many=True, context=context).data
        )

    def post(self, request: Request) -> Response:
        """Submit one report: the submission form's fields, as in the CSV template."""
        auditing = AuditContext.from_request(request)
        data = request.data
        if not isinstance(data, dict):
            return _refused({"non_field_errors": [_("Send one report as a JSON object")]})
        unknown = sorted(set(data) - FIELDS)
        if unknown:
            return _refused({name: [_("Lantern does not know this field")] for name in unknown})
        key = _uuid(data.get("submission_key"))
        if key is None:
            message = _("Send a submission_key: a UUID that is the same when you retry")
            return _refused({"submission_key": [message]})
        user = request.user
        already = selectors.submitted_report(user, key)
        if already is not None:
            return _report(already, request, status.HTTP_200_OK, HitContext.SUBMISSION)
        submission = csv_formats.submission(data, csv_formats.Names.current())
        form = IntelligenceForm({**submission.form_data, "submission_key": str(key)})
        errors = {name: list(messages) for name, messages in form.errors.items()}
        errors |= submission.problems
        if errors:
            return _refused(errors)
        try:
            report = submission_services.submit_intelligence(
                actor=user,
                submission_key=key,
                fields=form.report_fields(submission.mentions),
                context=auditing,
            )
        except ValidationError as error:
            return _refused(error.message_dict)
        return _report(report, request, status.HTTP_201_CREATED, HitContext.SUBMISSION)


class Report(APIView):
    """One report; its read audited with purpose "API"."""

    def get(self, request: Request, reference: str) -> Response:
        auditing = AuditContext.from_request(request)
        report = selectors.report_for_reading(
            request.user, reference, context=auditing, purpose=selectors.API_READ_PURPOSE
        )
        return _report(report, request, status.HTTP_200_OK, HitContext.REPORT)


def _report(report: Any, request: Request, answer: int, where: HitContext) -> Response:
    data = ReportSerializer(report, context={"request": request}).data
    # Recorded by the read or the submission that found them: shown here, as on the page.
    restricted = entity_selectors.restricted_entities(request.user, [report])
    hits = entity_selectors.todays_hits(request.user, {entity.root_id for entity in restricted})
    data["restricted_intelligence"] = [
        {
            "reference": hit.reference,
            "notice": _(
                "Restricted intelligence exists: contact the intelligence hub and quote "
                "reference %(reference)s."
            )
            % {"reference": hit.reference},
        }
        for hit in hits.values()
    ]
    # A submission says where its report now is; a read is already there.
    headers = {"Location": data["url"]} if where == HitContext.SUBMISSION else {}
    return Response(data, status=answer, headers=headers)


def _refused(errors: dict[str, list[str]]) -> Response:
    return Response(errors, status=status.HTTP_400_BAD_REQUEST)


def _uuid(value: object) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value)) if isinstance(value, str) else None
    except ValueError:
        return None


app_name = "api"
urlpatterns = [
    path("intelligence/", Reports.as_view(), name="reports"),
    path("intelligence/<reference:reference>/", Report.as_view(), name="report_detail"),
]
