"""Victim data of the taxonomy and text analytics: a custom topic, a discovery run with a
suggestion, keyword snapshots and a finished re-analysis job (all carrying the marker)."""

from django.utils import timezone

from voice.models import KeywordSnapshot, ReanalysisJob, TopicDiscoveryRun, TopicSuggestion
from voice.services.topics import topic_create


def build(tenant):
    org, marker = tenant.org, tenant.marker
    now = timezone.now()
    topic = topic_create(organization=org, actor=tenant.users["manager"], name=f"{marker}话题",
                         keywords=[f"{marker}关键词"], department=tenant.departments["质量部"])
    run = TopicDiscoveryRun.all_orgs.create(organization=org, status="done", feedback_count=12,
                                            suggestion_count=1, started_at=now, finished_at=now)
    suggestion = TopicSuggestion.all_orgs.create(
        organization=org, run=run, terms=[f"{marker}积分", "清零"], size=12,
        examples=[{"id": tenant.extra["feedback"].pk, "text": f"{marker} 积分清零"}])
    words = [{"word": f"{marker}词", "weight": 1.0, "count": 3}]
    for kind, scope_id in (("organization", 0), ("touchpoint", tenant.extra["touchpoint"].pk),
                           ("topic", topic.pk)):
        KeywordSnapshot.all_orgs.create(organization=org, scope_kind=kind, scope_id=scope_id,
                                        window_days=30, words=words, feedback_count=3,
                                        computed_at=now)
    job = ReanalysisJob.all_orgs.create(organization=org, status="done", total=1, done=1,
                                        model_version=f"{marker}-model", finished_at=now)
    tenant.extra.update(topic=topic, suggestion=suggestion, discovery_run=run,
                        reanalysis_job=job)
