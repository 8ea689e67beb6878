"""Metrics API (scope metrics:read): summary with the previous period, time series, breakdown,
key drivers. Figures are exact; null where there is no data."""

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from cem.api.base import OrgAPIView
from metrics import selectors
from metrics.api import serializers as s


def _params(request, serializer_class) -> dict:
    payload = serializer_class(data=request.query_params,
                               context={"tzinfo": request.organization.tzinfo})
    payload.is_valid(raise_exception=True)
    return dict(payload.validated_data)


class MetricsSummaryApi(OrgAPIView):
    """NPS, CSAT, CES, churn, first response and resolution time (wall-clock and business
    hours), each with `previous` (the previous period of equal length) and `change`."""

    required_scopes = {"GET": "metrics:read"}

    @extend_schema(parameters=[s.MetricsFilterInput], responses=s.MetricsSummaryOut)
    def get(self, request):
        params = _params(request, s.MetricsFilterInput)
        return Response(selectors.metric_summary_compared(organization=request.organization,
                                                          **params))


class MetricsTimeseriesApi(OrgAPIView):
    """One point per day, week (from Monday) or month of the organization's calendar."""

    required_scopes = {"GET": "metrics:read"}

    @extend_schema(parameters=[s.TimeseriesInput], responses=s.MetricsTimeseriesOut)
    def get(self, request):
        params = _params(request, s.TimeseriesInput)
        return Response(selectors.metric_timeseries(organization=request.organization, **params))


class MetricsBreakdownApi(OrgAPIView):
    """A metric per touchpoint, channel, segment or topic, most responses first."""

    required_scopes = {"GET": "metrics:read"}

    @extend_schema(parameters=[s.BreakdownInput], responses=s.MetricsBreakdownOut)
    def get(self, request):
        params = _params(request, s.BreakdownInput)
        return Response(selectors.metric_breakdown(organization=request.organization, **params))


class MetricsKeyDriversApi(OrgAPIView):
    """Topics ranked by how much they pull NPS down (first) or up."""

    required_scopes = {"GET": "metrics:read"}

    @extend_schema(parameters=[s.MetricsFilterInput], responses=s.KeyDriversOut)
    def get(self, request):
        params = _params(request, s.MetricsFilterInput)
        return Response(selectors.key_drivers(organization=request.organization, **params))
