"""ACCEPTANCE T7: feedback text, customer ids, metadata, topic names, survey titles and import
files containing HTML or script render escaped on every voice page."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.voice.helpers import analyze, make_feedback
from voice.services.csv_import import import_job_create, import_job_process
from voice.services.surveys import survey_invitation_create, survey_link_create

pytestmark = pytest.mark.django_db

EVIL = '<script>alert("x")</script><img src=x onerror=alert(1)>'
FILE_NAME = "<b onmouseover=alert(1)>报表.csv"
RAW = ("<script>alert", "<img src=x", "<b onmouseover")
ESCAPED = ("&lt;script&gt;", "&lt;img src=x", "&lt;b onmouseover", "\\u003Cscript\\u003E")


@pytest.fixture
def evil(tenant, touchpoint):
    row = make_feedback(tenant, text=EVIL, customer={"external_id": EVIL[:60], "segment": EVIL[:60]},
                        metadata={EVIL: EVIL}, external_id=EVIL[:100])[0]
    analyze(row, topics=[(EVIL[:60], "pain", EVIL)],
            explanation={"clauses": [{"start": 0, "end": 10, "score": -0.9}],
                         "words": [{"word": EVIL, "start": 1, "end": 7, "weight": -1}],
                         "rules": [EVIL]})
    with tenant.scope():
        link = survey_link_create(organization=tenant.org, touchpoint=touchpoint, question="nps",
                                  title=EVIL, intro=EVIL)
        survey_invitation_create(organization=tenant.org, link=link,
                                 customer_external_id="inv" + EVIL[:60])
        content = f"channel,text,nps\r\napp,{EVIL.replace(',', ' ')},99\r\n".encode()
        job = import_job_create(organization=tenant.org,
                                uploaded=SimpleUploadedFile(FILE_NAME, content))
        import_job_process(organization_id=tenant.org.pk, job_id=job.pk)
    return row, link, job


def _assert_escaped(body: str):
    assert not [raw for raw in RAW if raw in body]
    assert [escaped for escaped in ESCAPED if escaped in body]


def test_every_page_escapes_user_text(evil, manager_client, client):
    row, link, job = evil
    pages = [reverse("feedback-list"), reverse("feedback-detail", args=[row.pk]),
             reverse("survey-link-list"), reverse("survey-link-detail", args=[link.pk]),
             reverse("import-job-list"), reverse("import-job-detail", args=[job.pk])]
    for url in pages:
        response = manager_client.get(url)
        assert response.status_code == 200, url
        _assert_escaped(response.content.decode())
    _assert_escaped(client.get(reverse("survey-public", args=[link.token])).content.decode())
