"""Reads of the metrics app: exact figures, every function takes `organization=`.

`filters` keys: journey (id), touchpoint (key), channel, segment, topic (name). Ranges are
`[start, end)` of aware datetimes; days, weeks and months are the organization's.
"""

from metrics.selectors.drivers import key_drivers
from metrics.selectors.series import metric_breakdown, metric_timeseries
from metrics.selectors.values import metric_summary, metric_summary_compared, metric_value

__all__ = ["key_drivers", "metric_breakdown", "metric_summary", "metric_summary_compared",
           "metric_timeseries", "metric_value"]
