"""Daily rollups of feedback, kept exact by the workers (see metrics/rollups/).

A cell holds the additive `metrics.counts.Counts` of the feedback (or feedback-topic links)
of one organization-local day and one combination of dimensions; `touchpoint_id` 0 stands
for "no touchpoint" (feedback never linked or unlinked by a touchpoint deletion). Four
levels, so that a query reads the coarsest cells its grouping and filters allow:

- `FeedbackDayTotal` (day), `FeedbackDayCell` (day × touchpoint × channel × segment),
- `TopicDayTotal` (day × topic), `TopicDayCell` (day × topic × touchpoint × channel × segment),
- one dimension each (`FeedbackDayTouchpoint/Channel/Segment`, `TopicDay…`), summed in SQL
  from the full cells of the same days, for the common one-filter / one-breakdown reads,
- `InteractionDayTotal` / `InteractionDayCell`: the duration values of interactions by the
  local day they were opened (percentiles are exact only from the values themselves).

`DirtyDay` rows are written by PostgreSQL statement triggers on the feedback and topic-link
tables in the writing transaction itself: a day with a marker is read from the raw rows
until a worker recomputed it. `RollupState` says the organization's cells were built (in
which time zone).
"""

from django.db import models

from cem.models import Organization, OrgOwnedModel


class FeedbackCounts(OrgOwnedModel):
    """The additive counts of `metrics.counts.Counts` (feedback fields), as columns."""

    day = models.DateField()
    feedback = models.IntegerField(default=0)
    nps_responses = models.IntegerField(default=0)
    promoters = models.IntegerField(default=0)
    passives = models.IntegerField(default=0)
    detractors = models.IntegerField(default=0)
    csat_responses = models.IntegerField(default=0)
    csat_satisfied = models.IntegerField(default=0)
    csat_sum = models.BigIntegerField(default=0)
    ces_responses = models.IntegerField(default=0)
    ces_easy = models.IntegerField(default=0)
    ces_sum = models.BigIntegerField(default=0)
    analyzed = models.IntegerField(default=0)
    negatives = models.IntegerField(default=0)
    neutrals = models.IntegerField(default=0)
    positives = models.IntegerField(default=0)
    scored = models.IntegerField(default=0)
    sentiment_micro = models.BigIntegerField(default=0)

    class Meta(OrgOwnedModel.Meta):
        abstract = True


class TopicCounts(FeedbackCounts):
    topic_id = models.BigIntegerField()
    pain = models.IntegerField(default=0)
    delight = models.IntegerField(default=0)
    neutral_mentions = models.IntegerField(default=0)

    class Meta(OrgOwnedModel.Meta):
        abstract = True


class FeedbackDayTotal(FeedbackCounts):
    class Meta(OrgOwnedModel.Meta):
        indexes = [models.Index(fields=["organization", "day"], name="fbday_total_idx")]


class FeedbackDayCell(FeedbackCounts):
    touchpoint_id = models.BigIntegerField(default=0)
    channel = models.CharField(max_length=32)
    segment = models.CharField(max_length=64, blank=True, default="")

    class Meta(OrgOwnedModel.Meta):
        indexes = [models.Index(fields=["organization", "day"], name="fbday_cell_idx"),
                   # NOTE: the common filters read a slice of the cells, not all of them.
                   models.Index(fields=["organization", "touchpoint_id", "day"],
                                name="fbday_cell_tp_idx"),
                   models.Index(fields=["organization", "channel", "day"],
                                name="fbday_cell_channel_idx"),
                   models.Index(fields=["organization", "segment", "day"],
                                name="fbday_cell_segment_idx")]


class TopicDayTotal(TopicCounts):
    class Meta(OrgOwnedModel.Meta):
        indexes = [models.Index(fields=["organization", "day"], name="topicday_total_idx")]


class TopicDayCell(TopicCounts):
    touchpoint_id = models.BigIntegerField(default=0)
    channel = models.CharField(max_length=32)
    segment = models.CharField(max_length=64, blank=True, default="")

    class Meta(OrgOwnedModel.Meta):
        indexes = [models.Index(fields=["organization", "day"], name="topicday_cell_idx"),
                   # NOTE: the common filters read a slice of the cells, not all of them.
                   models.Index(fields=["organization", "touchpoint_id", "day"],
                                name="topicday_cell_tp_idx"),
                   models.Index(fields=["organization", "channel", "day"],
                                name="topicday_cell_channel_idx"),
                   models.Index(fields=["organization", "segment", "day"],
                                name="topicday_cell_segment_idx")]


class FeedbackDayTouchpoint(FeedbackCounts):
    touchpoint_id = models.BigIntegerField(default=0)

    class Meta(OrgOwnedModel.Meta):
        indexes = [models.Index(fields=["organization", "day"], name="fbday_tp_idx")]


class FeedbackDayChannel(FeedbackCounts):
    channel = models.CharField(max_length=32)

    class Meta(OrgOwnedModel.Meta):
        indexes = [models.Index(fields=["organization", "day"], name="fbday_channel_idx")]


class FeedbackDaySegment(FeedbackCounts):
    segment = models.CharField(max_length=64, blank=True, default="")

    class Meta(OrgOwnedModel.Meta):
        indexes = [models.Index(fields=["organization", "day"], name="fbday_segment_idx")]


class TopicDayTouchpoint(TopicCounts):
    touchpoint_id = models.BigIntegerField(default=0)

    class Meta(OrgOwnedModel.Meta):
        indexes = [models.Index(fields=["organization", "day"], name="topicday_tp_idx")]


class TopicDayChannel(TopicCounts):
    channel = models.CharField(max_length=32)

    class Meta(OrgOwnedModel.Meta):
        indexes = [models.Index(fields=["organization", "day"], name="topicday_channel_idx")]


class TopicDaySegment(TopicCounts):
    segment = models.CharField(max_length=64, blank=True, default="")

    class Meta(OrgOwnedModel.Meta):
        indexes = [models.Index(fields=["organization", "day"], name="topicday_segment_idx")]


class DurationValues(OrgOwnedModel):
    """The exact durations (seconds, float64 packed as bytes) of the interactions opened on
    one local day: first response and resolution, wall-clock and within business hours
    (empty without a calendar). Percentiles need the values, so the values are kept."""

    day = models.DateField()
    frt_wall = models.BinaryField(default=b"")
    frt_business = models.BinaryField(default=b"")
    resolution_wall = models.BinaryField(default=b"")
    resolution_business = models.BinaryField(default=b"")

    class Meta(OrgOwnedModel.Meta):
        abstract = True


class InteractionDayTotal(DurationValues):
    class Meta(OrgOwnedModel.Meta):
        indexes = [models.Index(fields=["organization", "day"], name="interday_total_idx")]


class InteractionDayCell(DurationValues):
    touchpoint_id = models.BigIntegerField(default=0)
    channel = models.CharField(max_length=32)
    segment = models.CharField(max_length=64, blank=True, default="")

    class Meta(OrgOwnedModel.Meta):
        indexes = [models.Index(fields=["organization", "day"], name="interday_cell_idx"),
                   # NOTE: the common filters read a slice of the cells, not all of them.
                   models.Index(fields=["organization", "touchpoint_id", "day"],
                                name="interday_cell_tp_idx"),
                   models.Index(fields=["organization", "channel", "day"],
                                name="interday_cell_channel_idx"),
                   models.Index(fields=["organization", "segment", "day"],
                                name="interday_cell_segment_idx")]


class InteractionDayTouchpoint(DurationValues):
    touchpoint_id = models.BigIntegerField(default=0)

    class Meta(OrgOwnedModel.Meta):
        indexes = [models.Index(fields=["organization", "day"], name="interday_tp_idx")]


class InteractionDayChannel(DurationValues):
    channel = models.CharField(max_length=32)

    class Meta(OrgOwnedModel.Meta):
        indexes = [models.Index(fields=["organization", "day"], name="interday_channel_idx")]


class InteractionDaySegment(DurationValues):
    segment = models.CharField(max_length=64, blank=True, default="")

    class Meta(OrgOwnedModel.Meta):
        indexes = [models.Index(fields=["organization", "day"], name="interday_segment_idx")]


class DirtyDay(OrgOwnedModel):
    """An organization-local day whose cells may be stale (append-only markers, no unique key:
    a recompute deletes the markers it can see, so one committed after it started survives).

    No foreign-key constraint: while an organization is deleted, the deletion of its feedback
    still marks days (the trigger); the sweep purges markers of organizations gone."""

    organization = models.ForeignKey(Organization, on_delete=models.DO_NOTHING,
                                     db_constraint=False, related_name="+")
    day = models.DateField()
    marked_at = models.DateTimeField(auto_now_add=True)

    class Meta(OrgOwnedModel.Meta):
        indexes = [models.Index(fields=["organization", "day"], name="dirtyday_org_day_idx")]


class RollupState(OrgOwnedModel):
    """The organization's cells were built from its raw rows, days in `timezone`."""

    timezone = models.CharField(max_length=64)
    #: the business-hours calendar the interaction cells were computed with
    business_hours = models.JSONField(default=dict, blank=True)
    built_at = models.DateTimeField()

    class Meta(OrgOwnedModel.Meta):
        constraints = [models.UniqueConstraint(fields=["organization"],
                                               name="rollupstate_org_uniq")]
