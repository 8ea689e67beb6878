"""Routes of the voice pages (explorer, imports, survey settings, public surveys)."""

from urllib.parse import urlencode

from tests.catalogue.route import Route


def _feedback(victim):
    return {"feedback_id": victim.extra["feedback"].pk}


def _job(victim):
    return {"job_id": victim.extra["import_job"].pk}


def _link(victim):
    return {"link_id": victim.extra["survey_link"].pk}


def _victim_filters(victim):
    # NOTE: a filter value is echoed in the form, so the marker itself is not sent here;
    # tests/voice/test_views_feedback_list.py filters by the victim's customer id.
    return urlencode({"journey": victim.extra["touchpoint"].stage.journey_id,
                      "touchpoint": "delivery"})


def _token(victim):
    return {"token": victim.extra["survey_link"].token}


ROUTES: dict[str, Route] = {
    "feedback-list": Route("page", query=_victim_filters),
    "feedback-export": Route("page", query=_victim_filters),
    "feedback-retry-failed": Route("page", methods=("POST",)),
    "feedback-detail": Route("page", kwargs=_feedback),
    "feedback-correct": Route("page", methods=("POST",), kwargs=_feedback,
                              body=lambda victim: {"label": "positive"}),
    "feedback-retry": Route("page", methods=("POST",), kwargs=_feedback),
    "import-job-list": Route("page", methods=("GET", "POST")),
    "import-template-csv": Route("page"),
    "import-template-xlsx": Route("page"),
    "import-job-detail": Route("page", kwargs=_job),
    "import-job-status": Route("page", kwargs=_job),
    "import-job-rejected": Route("page", kwargs=_job),
    "import-job-resume": Route("page", methods=("POST",), kwargs=_job),
    "survey-link-list": Route("page", methods=("GET", "POST")),
    "survey-invite-cap": Route("page", methods=("POST",),
                               body=lambda victim: {"survey_invite_cap_days": 3}),
    "survey-link-detail": Route("page", kwargs=_link),
    "survey-link-toggle": Route("page", methods=("POST",), kwargs=_link,
                                body=lambda victim: {"active": "0"}),
    "survey-invitation-create": Route("page", methods=("POST",), kwargs=_link,
                                      body=lambda victim: {"customer_id": "attacker"}),
    # The public survey names its organization by an unguessable token; tests/voice/
    # test_views_survey_public.py checks that no other tenant's data shows through it.
    "survey-public": Route("public", methods=("GET", "POST"), kwargs=_token,
                           reason="public survey form: shows only the link's title and intro"),
    "survey-thanks": Route("public", kwargs=_token, reason="public thank-you page"),
}
