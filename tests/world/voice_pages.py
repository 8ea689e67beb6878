"""Victim data of the voice pages: a survey link, an answered invitation, a finished import."""

from django.core.files.uploadedfile import SimpleUploadedFile

from voice.services.csv_import import import_job_create, import_job_process
from voice.services.surveys import survey_invitation_create, survey_link_create, survey_submit


def build(tenant):
    org, marker = tenant.org, tenant.marker
    link = survey_link_create(organization=org, touchpoint=tenant.extra["touchpoint"],
                              question="nps", title=f"{marker}配送调查", intro=f"{marker}说明")
    invitation = survey_invitation_create(organization=org, link=link,
                                          customer_external_id=f"{marker}-C2",
                                          email="victim@example.test")
    survey_submit(link=link, score=2, comment=f"{marker} 问卷回答",
                  invitation_token=invitation.token)
    content = ("external_id,channel,text,nps\r\n"
               f"{marker}-IMP1,app,{marker} 导入的反馈,8\r\n"
               f"{marker}-IMP2,app,{marker} 分数错误,99\r\n").encode()
    job = import_job_create(organization=org, created_by=tenant.users["manager"],
                            uploaded=SimpleUploadedFile(f"{marker}.csv", content, "text/csv"))
    import_job_process(organization_id=org.pk, job_id=job.pk)
    job.refresh_from_db()
    tenant.extra.update(survey_link=link, invitation=invitation, import_job=job)
