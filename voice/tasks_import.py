"""Celery tasks of file imports and survey invitations: ids in, one service call, idempotent.

NOTE: Celery autodiscovery imports only `voice.tasks`; `voice.tasks` (or VoiceConfig.ready)
must import this module so the worker registers these tasks.
"""

from django.db import InterfaceError, OperationalError

from cem.tasks import org_task


@org_task(name="voice.process_import_job")
def process_import_job(organization_id: int, job_id: int) -> None:
    """Import a slice of the job's rows, then re-enqueue itself until done.

    Idempotent: each chunk commits with the job's `processed_rows`, a re-run resumes there.
    """
    from voice.services.csv_import import import_job_process

    import_job_process(organization_id=organization_id, job_id=job_id)


# NOTE: smtplib errors are OSErrors; a mail server hiccup is retried with back-off.
@org_task(name="voice.send_survey_invitation",
          autoretry_for=(OperationalError, InterfaceError, OSError))
def send_survey_invitation(organization_id: int, invitation_id: int, base_url: str) -> None:
    """Email a personal survey link; an invitation already sent is skipped."""
    from voice.services.surveys import survey_invitation_send

    survey_invitation_send(organization_id=organization_id, invitation_id=invitation_id,
                           base_url=base_url)
