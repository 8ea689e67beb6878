"""Text analytics in the workers, timed through the real services (PostgreSQL):
keyword snapshots (every scope, 30 and 90 days), topic discovery and re-analysis.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/opencem_topics \\
    .venv/bin/python bench/topics_analytics.py [--rows 20000] [--reanalyze 2000]

It creates (once) the organization `bench-topics` with `--rows` feedback over 90 days on four
touchpoints, a fifth of it negative feedback on two themes no default topic covers (积分, 发票),
and prints seconds and rows per second for each job.
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SLUG = "bench-topics"
TEXTS = ("快递太慢了，等了五天才到。", "客服态度很好，问题很快解决了。", "包装破损，商品有划痕。",
         "价格实惠，质量也不错，会回购。", "退款流程太复杂，打了三次电话。", "门店店员很热情。",
         "App 经常闪退，支付失败了两次。", "次日达真的第二天就到了，点赞。")
UNMATCHED = ("会员积分又被清零了", "积分兑换礼品失败", "积分过期也不通知", "发票抬头开错了",
             "电子发票一直收不到", "重开发票要等一周")


def setup_django():
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database of your own (see the docstring).")
    os.environ.update({"DEBUG": "0", "SECRET_KEY": secrets.token_urlsafe(40),
                       "ALLOWED_HOSTS": "testserver", "DJANGO_SETTINGS_MODULE": "cem.settings"})
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def load(rows: int):
    from django.utils import timezone

    from cem import services
    from cem.models import Organization
    from cem.tenancy import org_scope
    from journeys.models import Journey, Stage, Touchpoint
    from voice.models import Feedback

    org = Organization.objects.filter(slug=SLUG).first()
    if org is None:
        org = services.organization_create(slug=SLUG, name="基准测试")
    with org_scope(org):
        have = Feedback.all_orgs.filter(organization=org).count()
        if have >= rows:
            return org
        journey, _ = Journey.all_orgs.get_or_create(organization=org, name="购物")
        stage, _ = Stage.all_orgs.get_or_create(organization=org, journey=journey, name="交付")
        tps = [Touchpoint.all_orgs.get_or_create(organization=org, stage=stage, key=f"tp{i}",
                                                 defaults={"name": f"触点{i}"})[0]
               for i in range(4)]
        rng, now = random.Random(42), timezone.now()
        batch = []
        for i in range(have, rows):
            negative = i % 5 == 0
            text = rng.choice(UNMATCHED if negative else TEXTS) + f" #{i}"
            batch.append(Feedback(
                organization=org, channel="app", source="demo", text=text,
                touchpoint=tps[i % 4], occurred_at=now - timedelta(minutes=rng.randrange(90 * 1440)),
                status="analyzed", sentiment_label="negative" if negative else "positive",
                sentiment_score=-0.6 if negative else 0.6, model_version="bench-old"))
        Feedback.all_orgs.bulk_create(batch, batch_size=2000)
    return org


def timed(label: str, rows: int, func):
    start = time.perf_counter()
    result = func()
    seconds = time.perf_counter() - start
    print(f"{label:<42} {seconds:8.2f} s  {rows / seconds:10.0f} rows/s  -> {result}")
    return result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--reanalyze", type=int, default=2_000)
    args = parser.parse_args()
    setup_django()
    from cem.tenancy import org_scope
    from voice.models import Feedback, ReanalysisJob
    from voice.nlp.wordcloud import tokens
    from voice.services import discovery, reanalysis
    from voice.services.keywords import keyword_snapshots_refresh

    org = load(args.rows)
    tokens("预热 jieba")  # NOTE: loading the dictionary is per process, not per job
    from voice.services.models import analyzer_for_organization

    version = analyzer_for_organization(organization_id=org.pk).version  # loaded once too
    with org_scope(org):
        total = Feedback.all_orgs.filter(organization=org).count()
        timed(f"keyword snapshots ({total} rows, 2 windows)", total,
              lambda: f"{keyword_snapshots_refresh(organization_id=org.pk)} snapshots")
        run = discovery.discovery_run_request(organization=org)
        unmatched = len(discovery.unmatched_negative_feedback(organization_id=org.pk))
        done = timed(f"topic discovery ({unmatched} unmatched negative)", unmatched,
                     lambda: discovery.discovery_run_execute(organization_id=org.pk, run_id=run.pk))
        for suggestion in done.suggestions.all():
            print(f"    suggestion: {'、'.join(suggestion.terms)} ({suggestion.size})")
        ReanalysisJob.all_orgs.filter(organization=org, status__in=["queued", "running"]).delete()
        job, _ = reanalysis.reanalysis_job_request(organization=org)
        limit = args.reanalyze // reanalysis.CHUNK
        timed(f"re-analysis, {limit * reanalysis.CHUNK} rows ({version})",
              limit * reanalysis.CHUNK,
              lambda: reanalysis.reanalysis_job_run(organization_id=org.pk, job_id=job.pk,
                                                    max_chunks=limit).done)
        ReanalysisJob.all_orgs.filter(pk=job.pk).update(status="done")


if __name__ == "__main__":
    main()
