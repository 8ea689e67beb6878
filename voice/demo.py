"""Demo data of surveys and imports (seed_demo step 25, after journeys and demo feedback).

Idempotent: each part is created once, recognised by its title or file name.
"""

from __future__ import annotations

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from cem.models import Organization
from journeys.selectors import touchpoint_list
from voice.models import ImportJob, SurveyInvitation, SurveyLink
from voice.services.csv_import import import_job_create, import_job_process
from voice.services.surveys import survey_invitation_create, survey_link_create, survey_submit

DEMO_LINKS = (
    ("nps", "您会向朋友推荐我们吗？", "感谢您的光临！回答只需10秒钟。"),
    ("csat", "这次的服务您满意吗？", "您的意见会直接送到负责的团队。"),
)
#: (customer, segment, score or None when not answered, comment)
DEMO_INVITATIONS = (
    ("DEMO-C001", "会员", 9, "送货很快，快递员态度也很好。"),
    ("DEMO-C002", "普通", 4, "等了三天才发货，希望能快一点。"),
    ("DEMO-C003", "会员", None, ""),
    ("DEMO-C004", "企业", None, ""),
)
DEMO_IMPORT_NAME = "历史反馈-演示导入.csv"


def _demo_csv(touchpoint_key: str) -> bytes:
    now = timezone.localtime()
    rows = [
        ("IMPORT-DEMO-001", "call_center", "C-9001", "会员", "电话一直占线，等了二十分钟才接通。", "", "2", "",
         (now - timedelta(days=40)).strftime("%Y/%m/%d %H:%M")),
        ("IMPORT-DEMO-002", "门店", "C-9002", "普通", "店员很热情，结账也很快。", "9", "", "",
         (now - timedelta(days=38)).strftime("%Y-%m-%d %H:%M")),
        ("IMPORT-DEMO-003", "ecommerce_review", "C-9003", "会员", "包装破损，商品有划痕，质量一般。", "3", "", "",
         (now - timedelta(days=35)).strftime("%Y年%m月%d日 %H:%M")),
        ("IMPORT-DEMO-004", "app", "C-9004", "普通", "退款流程太复杂了。", "11", "", "",
         (now - timedelta(days=33)).strftime("%Y-%m-%d")),
        ("IMPORT-DEMO-005", "web", "", "", "", "", "", "6", (now - timedelta(days=30)).strftime("%Y-%m-%d")),
    ]
    header = "external_id,channel,touchpoint,customer_id,segment,text,nps,csat,ces,occurred_at"
    lines = [header] + [",".join([ext, ch, touchpoint_key, cust, seg, text, nps, csat, ces, at])
                        for ext, ch, cust, seg, text, nps, csat, ces, at in rows]
    return ("\r\n".join(lines) + "\r\n").encode("gb18030")


def _seed_links(org: Organization, touchpoints) -> None:
    for (question, title, intro), touchpoint in zip(DEMO_LINKS, touchpoints, strict=False):
        link = SurveyLink.all_orgs.filter(organization=org, title=title).first()
        if link is None:
            link = survey_link_create(organization=org, touchpoint=touchpoint, question=question,
                                      title=title, intro=intro)
        if question == "nps":
            _seed_invitations(org, link)


def _seed_invitations(org: Organization, link: SurveyLink) -> None:
    if SurveyInvitation.all_orgs.filter(organization=org, link=link).exists():
        return
    for customer, segment, score, comment in DEMO_INVITATIONS:
        if SurveyInvitation.all_orgs.filter(organization=org, customer__external_id=customer).exists():
            continue  # invited by an earlier run (the frequency cap would refuse a second one)
        invitation = survey_invitation_create(organization=org, link=link,
                                              customer_external_id=customer,
                                              customer_segment=segment)
        if score is not None:
            survey_submit(link=link, score=score, comment=comment,
                          invitation_token=invitation.token)


def _seed_import(org: Organization, touchpoint_key: str) -> None:
    if ImportJob.all_orgs.filter(organization=org, original_name=DEMO_IMPORT_NAME).exists():
        return
    upload = SimpleUploadedFile(DEMO_IMPORT_NAME, _demo_csv(touchpoint_key), "text/csv")
    with transaction.atomic():
        job = import_job_create(organization=org, uploaded=upload)
    # NOTE: imported here and now, so the demo shows a finished report even before a worker
    # runs; the queued task then finds the job done and does nothing.
    import_job_process(organization_id=org.pk, job_id=job.pk)


def seed_voice(org: Organization) -> None:
    """Two survey links on demo touchpoints (if any), four invitations (two answered), and one
    finished import with a rejected row."""
    touchpoints = list(touchpoint_list(organization=org)[:2])
    if touchpoints:
        with transaction.atomic():
            _seed_links(org, touchpoints)
    _seed_import(org, touchpoints[0].key if touchpoints else "")


def seed_keywords(org: Organization) -> None:
    """Keyword snapshots of the demo feedback (step 45), so the dashboard's word cloud shows
    keywords before the hourly worker job first runs. Idempotent: snapshots are upserted."""
    from voice.services.keywords import keyword_snapshots_refresh

    keyword_snapshots_refresh(organization_id=org.pk)
