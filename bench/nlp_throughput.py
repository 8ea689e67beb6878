#!/usr/bin/env python
"""The worker's batch path against PostgreSQL: `feedback_analyze_batch` (claim, sentiment +
topics with the default model, save analyses/topic links/status) on N pending rows.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/opencem_bench DEBUG=1 \\
        .venv/bin/python bench/nlp_throughput.py [--rows 20000] [--batch 500]

Creates the organization `bench-nlp` with a 9-topic taxonomy, inserts N pending feedback rows
(short CX texts of varied wording), analyzes them in batches in this one process and prints
items/s (wall clock and this process's CPU time), then deletes the rows again. The model is
loaded (or trained) before the clock starts.
"""

import argparse
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cem.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402

from cem import services as cem_services  # noqa: E402
from cem.models import Organization  # noqa: E402
from cem.tenancy import org_scope  # noqa: E402
from voice.models import Feedback, FeedbackAnalysis, FeedbackTopic, Topic  # noqa: E402
from voice.services.analysis import feedback_analyze_batch  # noqa: E402, F401
from voice.services.models import analyzer_for_organization  # noqa: E402

SLUG = "bench-nlp"
TAXONOMY = {"物流配送": ["物流", "快递", "配送", "送货", "发货", "到货", "骑手", "送达"],
            "产品质量": ["质量", "做工", "材质", "破损", "坏了", "瑕疵"],
            "价格费用": ["价格", "贵", "便宜", "优惠", "运费", "性价比"],
            "服务态度": ["客服", "态度", "服务", "店员", "耐心"],
            "售后退换": ["退货", "换货", "退款", "售后", "退换货"],
            "支付结算": ["支付", "付款", "扣款", "发票"],
            "应用体验": ["app", "APP", "闪退", "卡顿", "界面", "小程序"],
            "门店环境": ["门店", "环境", "卫生", "装修"],
            "等待时长": ["等了", "排队", "太慢", "超时", "小时"]}
PARTS = ("物流很快", "快递太慢了，等了三天", "质量不错", "做工粗糙", "价格实惠", "有点贵",
         "客服小姐姐很耐心", "客服态度很差", "退款一直不到账", "售后处理很及时", "付款时扣款两次",
         "APP总是闪退", "门店环境干净", "排队排了一个小时", "包装破损", "非常满意，会回购",
         "一般般吧", "再也不买了", "下次还会再来", "送达准时，饭还是热的")


def organization() -> Organization:
    org = Organization.objects.filter(slug=SLUG).first()
    return org or cem_services.organization_create(slug=SLUG, name="压测NLP")


def seed(org, n: int) -> list[int]:
    rnd = random.Random(42)
    now = timezone.now()
    rows = [Feedback(organization=org, channel="app", occurred_at=now,
                     text="，".join(rnd.sample(PARTS, rnd.randint(1, 3))) + rnd.choice("。！~")
                     + str(i % 97))
            for i in range(n)]
    return [row.pk for row in Feedback.all_orgs.bulk_create(rows, batch_size=2000)]


def cleanup(org):
    FeedbackTopic.all_orgs.filter(organization=org).delete()
    FeedbackAnalysis.all_orgs.filter(organization=org).delete()
    Feedback.all_orgs.filter(organization=org).delete()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=20000)
    parser.add_argument("--batch", type=int, default=500)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    org = organization()
    with org_scope(org):
        for name, keywords in TAXONOMY.items():
            Topic.all_orgs.update_or_create(organization=org, name=name,
                                            defaults={"keywords": keywords})
        cleanup(org)
        analyzer = analyzer_for_organization(organization_id=org.pk)
        analyzer.analyze_many(["预热"], [])
        ids = seed(org, args.rows)
        try:
            wall, cpu = time.perf_counter(), time.process_time()
            done = 0
            for i in range(0, len(ids), args.batch):
                done += len(feedback_analyze_batch(organization_id=org.pk,
                                                   feedback_ids=ids[i:i + args.batch]))
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            links = FeedbackTopic.all_orgs.filter(organization=org).count()
            print(f"model {analyzer.version}: {done} feedback analyzed+saved in batches of "
                  f"{args.batch}, {links} topic links")
            print(f"  wall {wall:.2f} s = {done / wall:.0f} items/s; this process's CPU "
                  f"{cpu:.2f} s = {done / cpu:.0f} items/s per CPU-second")
        finally:
            cleanup(org)


if __name__ == "__main__":
    main()
