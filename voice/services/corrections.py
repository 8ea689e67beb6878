"""A CX manager's corrections of sentiment and topics: applied at once, kept as an audit trail,
and used as training data of the organization's own model (`train_sentiment --org S`)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from cem import events
from cem.errors import ApplicationError
from voice.models import Feedback, FeedbackCorrection, FeedbackTopic, Polarity, Sentiment, Topic

ERR_NOTHING = _("Choose a sentiment or a set of topics to correct.")
ERR_LABEL = _("Unknown sentiment label.")
ERR_TOPIC = _("Unknown topic: {name}.")
ERR_POLARITY = _("Unknown polarity for topic {name}: use pain, delight or neutral.")


def _clean_topics(organization, topics: list[dict]) -> dict[str, tuple[Topic, str]]:
    """{name: (topic, polarity)} for a corrected topic set; raises naming the bad entry."""
    by_name = {t.name: t for t in Topic.all_orgs.filter(organization=organization)}
    cleaned: dict[str, tuple[Topic, str]] = {}
    for entry in topics:
        name, polarity = str(entry.get("name", "")).strip(), entry.get("polarity")
        if name not in by_name:
            raise ApplicationError(ERR_TOPIC.format(name=name), field="topics")
        if polarity not in Polarity.values:
            raise ApplicationError(ERR_POLARITY.format(name=name), field="topics")
        cleaned[name] = (by_name[name], polarity)
    return cleaned


@transaction.atomic
def feedback_correct(*, organization, feedback: Feedback, actor, label: str | None = None,
                     topics: list[dict] | None = None) -> FeedbackCorrection:
    """Set the sentiment label and/or the full topic set [{"name", "polarity"}] by hand.

    The correction sticks: re-analysis keeps a corrected label and corrected topics. Announces
    `feedback.changed` so metrics recompute. Raises ApplicationError naming the bad field.
    """
    if feedback.organization_id != organization.pk:
        raise Feedback.DoesNotExist
    if label is None and topics is None:
        raise ApplicationError(ERR_NOTHING)
    if label is not None and label not in Sentiment.values:
        raise ApplicationError(ERR_LABEL, field="label")
    feedback = Feedback.all_orgs.select_for_update().get(pk=feedback.pk)
    previous_topics = [{"name": link.topic.name, "polarity": link.polarity}
                       for link in feedback.topic_links.select_related("topic")]
    correction = FeedbackCorrection(organization=organization, feedback=feedback, actor=actor,
                                    previous_label=feedback.sentiment_label,
                                    previous_topics=previous_topics)
    if label is not None:
        correction.label = label
        feedback.sentiment_label, feedback.sentiment_corrected = label, True
        feedback.save(update_fields=["sentiment_label", "sentiment_corrected"])
    if topics is not None:
        cleaned = _clean_topics(organization, topics)
        correction.topics = [{"name": n, "polarity": p} for n, (_t, p) in cleaned.items()]
        FeedbackTopic.all_orgs.filter(organization=organization, feedback=feedback).delete()
        FeedbackTopic.all_orgs.bulk_create([
            FeedbackTopic(organization=organization, feedback=feedback, topic=topic,
                          polarity=polarity, corrected=True)
            for topic, polarity in cleaned.values()])
        feedback.topics_corrected = True
        feedback.save(update_fields=["topics_corrected"])
    correction.save()
    events.announce(events.FEEDBACK_CHANGED, organization_id=organization.pk,
                    feedback_ids=[feedback.pk])
    return correction
