"""Partner API v1 for feedback, customers and interactions (contract: DESIGN.md)."""

from django.conf import settings
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from cem.api.base import OrgAPIView
from cem.api.pagination import CreatedCursorPagination
from cem.errors import ApplicationError
from journeys.selectors import touchpoints_by_key
from voice import selectors
from voice.api import serializers as s
from voice.services.customers import customer_upsert
from voice.services.idempotency import StoredResponse, idempotent_call
from voice.services.ingest import feedback_ingest_many
from voice.services.ingest_one import feedback_ingest_one
from voice.services.interactions import interaction_upsert_many
from voice.validation import ANY_TOUCHPOINT, FeedbackItemCleaner, feedback_item_clean

ERR_TOO_MANY_ITEMS = "A batch holds at most {n} items; send several batches."
IDEMPOTENCY_HEADER = OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER,
                                      required=False, description="Replays the first response.")


def _check_batch_size(items: list) -> None:
    if len(items) > settings.API_MAX_BATCH_ITEMS:
        raise ApplicationError(ERR_TOO_MANY_ITEMS.format(n=settings.API_MAX_BATCH_ITEMS),
                               field="items", status_code=413)


def _clean_items(organization, raw_items: list, clean_one, touchpoints=None) -> list[dict]:
    """Validate every item; one bad item → 400 naming its index and fields, nothing stored."""
    if touchpoints is None:
        touchpoints = touchpoints_by_key(organization=organization)
    cleaned, errors = [], {}
    for index, raw in enumerate(raw_items):
        try:
            cleaned.append(clean_one(organization, raw, touchpoints))
        except serializers.ValidationError as exc:
            errors[str(index)] = exc.detail
    if errors:
        raise serializers.ValidationError({"items": errors})
    return cleaned


def _feedback_cleaner():
    """A clean_one for _clean_items sharing one FeedbackItemCleaner across the batch."""
    cleaners: dict = {}

    def clean_one(organization, raw, touchpoints):
        if "cleaner" not in cleaners:
            cleaners["cleaner"] = FeedbackItemCleaner(organization=organization,
                                                      touchpoints=touchpoints)
        return cleaners["cleaner"].clean(raw)

    return clean_one


def _clean_feedback(organization, raw, touchpoints):
    return feedback_item_clean(organization=organization, raw=raw, touchpoints=touchpoints)


def _clean_interaction(organization, raw, touchpoints):
    payload = s.InteractionUpsertInput(data=raw, context={"touchpoints": touchpoints,
                                                          "tzinfo": organization.tzinfo})
    payload.is_valid(raise_exception=True)
    return dict(payload.validated_data)


def idempotent_response(request, endpoint: str, work) -> Response:
    """Run `work` under the request's Idempotency-Key (if any) and answer its stored response."""
    stored = idempotent_call(organization=request.organization,
                             key=request.headers.get("Idempotency-Key"), endpoint=endpoint,
                             payload=request.data, work=work)
    return Response(stored.body, status=stored.status)


class FeedbackListCreateApi(OrgAPIView):
    required_scopes = {"GET": "feedback:read", "POST": "feedback:write"}

    @extend_schema(parameters=[s.FeedbackFilterInput], responses=s.FeedbackPageOut)
    def get(self, request):
        params = s.FeedbackFilterInput(data=request.query_params,
                                       context={"tzinfo": request.organization.tzinfo})
        params.is_valid(raise_exception=True)
        rows = selectors.feedback_list(organization=request.organization,
                                       filters=params.validated_data,
                                       visible_to=getattr(request, "membership", None))
        paginator = CreatedCursorPagination()
        page = paginator.paginate_queryset(rows, request, view=self)
        return paginator.get_paginated_response(s.FeedbackOut(page, many=True).data)

    @extend_schema(request=s.FeedbackCreateInput, parameters=[IDEMPOTENCY_HEADER],
                   responses={201: s.FeedbackAcceptedOut, 200: s.FeedbackAcceptedOut})
    def post(self, request):
        def general_path():
            touchpoints = touchpoints_by_key(organization=request.organization)
            data = _clean_feedback(request.organization, request.data, touchpoints)
            return feedback_ingest_many(organization=request.organization, items=[data],
                                        source="api", touchpoints=touchpoints)[0]

        def work():
            try:
                data = _clean_feedback(request.organization, request.data, ANY_TOUCHPOINT)
                result = feedback_ingest_one(organization=request.organization, data=data,
                                             source="api")
            except serializers.ValidationError:
                result = None  # the general path's 400 names every field, the touchpoint too
            if result is None:  # invalid, an unknown touchpoint or a race: the general path
                result = general_path()
            body = {"id": result.feedback.pk, "status": result.feedback.status}
            return StoredResponse(201 if result.created else 200, body)

        return idempotent_response(request, "feedback.create", work)


class FeedbackBatchCreateApi(OrgAPIView):
    required_scopes = {"POST": "feedback:write"}

    @extend_schema(request=s.FeedbackBatchInput, parameters=[IDEMPOTENCY_HEADER],
                   responses={201: s.FeedbackBatchOut})
    def post(self, request):
        payload = s.FeedbackBatchInput(data=request.data)
        if isinstance(request.data, dict) and isinstance(request.data.get("items"), list):
            _check_batch_size(request.data["items"])
        payload.is_valid(raise_exception=True)

        def work():
            touchpoints = touchpoints_by_key(organization=request.organization)
            items = _clean_items(request.organization, payload.validated_data["items"],
                                 _feedback_cleaner(), touchpoints)
            results = feedback_ingest_many(organization=request.organization, items=items,
                                           source="api", touchpoints=touchpoints)
            created = sum(r.created for r in results)
            body = {"items": [{"id": r.feedback.pk, "status": r.feedback.status} for r in results],
                    "created": created, "duplicates": len(results) - created}
            return StoredResponse(201, body)

        return idempotent_response(request, "feedback.batch", work)


class FeedbackDetailApi(OrgAPIView):
    required_scopes = {"GET": "feedback:read"}

    @extend_schema(responses=s.FeedbackOut)
    def get(self, request, feedback_id: int):
        feedback = selectors.feedback_get(organization=request.organization,
                                          feedback_id=feedback_id,
                                          visible_to=getattr(request, "membership", None))
        return Response(s.FeedbackOut(feedback).data)


class CustomerUpsertApi(OrgAPIView):
    required_scopes = {"POST": "feedback:write"}

    @extend_schema(request=s.CustomerUpsertInput, parameters=[IDEMPOTENCY_HEADER],
                   responses={201: s.CustomerOut, 200: s.CustomerOut})
    def post(self, request):
        payload = s.CustomerUpsertInput(data=request.data,
                                        context={"tzinfo": request.organization.tzinfo})
        payload.is_valid(raise_exception=True)

        def work():
            customer, created = customer_upsert(organization=request.organization,
                                                data=payload.validated_data)
            return StoredResponse(201 if created else 200, s.CustomerOut(customer).data)

        return idempotent_response(request, "customers.upsert", work)


class InteractionUpsertApi(OrgAPIView):
    required_scopes = {"POST": "feedback:write"}

    @extend_schema(request=s.InteractionUpsertInput, parameters=[IDEMPOTENCY_HEADER],
                   responses={201: s.InteractionOut, 200: s.InteractionOut})
    def post(self, request):
        def work():
            touchpoints = touchpoints_by_key(organization=request.organization)
            data = _clean_interaction(request.organization, request.data, touchpoints)
            row, created = interaction_upsert_many(organization=request.organization,
                                                   items=[data])[0]
            body = {"id": row.pk, "external_id": row.external_id, "created": created}
            return StoredResponse(201 if created else 200, body)

        return idempotent_response(request, "interactions.upsert", work)


class InteractionBatchUpsertApi(OrgAPIView):
    required_scopes = {"POST": "feedback:write"}

    @extend_schema(request=s.InteractionBatchInput, parameters=[IDEMPOTENCY_HEADER],
                   responses={201: s.InteractionOut(many=True)})
    def post(self, request):
        payload = s.InteractionBatchInput(data=request.data)
        if isinstance(request.data, dict) and isinstance(request.data.get("items"), list):
            _check_batch_size(request.data["items"])
        payload.is_valid(raise_exception=True)

        def work():
            items = _clean_items(request.organization, payload.validated_data["items"],
                                 _clean_interaction)
            rows = interaction_upsert_many(organization=request.organization, items=items)
            body = [{"id": r.pk, "external_id": r.external_id, "created": c} for r, c in rows]
            return StoredResponse(201, body)

        return idempotent_response(request, "interactions.batch", work)
