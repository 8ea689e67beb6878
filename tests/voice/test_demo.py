"""The voice demo step (seed_demo order 25): two survey links on demo touchpoints, invitations
(two answered), a finished import with a rejected row; running it again changes nothing."""

import pytest

from cem.demo import demo_organization_get_or_create, seed_core, seed_steps
from cem.tenancy import org_scope
from journeys.models import Journey, Stage, Touchpoint
from voice.demo import seed_voice
from voice.models import Feedback, ImportJob, SurveyInvitation, SurveyLink

pytestmark = pytest.mark.django_db


def _counts(org):
    return (SurveyLink.all_orgs.filter(organization=org).count(),
            SurveyInvitation.all_orgs.filter(organization=org).count(),
            ImportJob.all_orgs.filter(organization=org).count(),
            Feedback.all_orgs.filter(organization=org).count())


def test_seed_is_idempotent_and_realistic():
    org = demo_organization_get_or_create()
    seed_core(org)
    journey = Journey.all_orgs.create(organization=org, name="线上购物")
    stage = Stage.all_orgs.create(organization=org, journey=journey, name="配送")
    for key, name in (("delivery", "送货上门"), ("checkout", "在线支付")):
        Touchpoint.all_orgs.create(organization=org, stage=stage, key=key, name=name)
    with org_scope(org):
        seed_voice(org)
    first = _counts(org)
    assert first == (2, 4, 1, 2 + 4)  # two survey answers, four imported rows
    job = ImportJob.all_orgs.get(organization=org)
    assert (job.status, job.accepted_rows, job.rejected_rows) == ("done", 4, 1)
    assert job.errors[0]["row"] == 5
    assert SurveyInvitation.all_orgs.filter(responded_at__isnull=False).count() == 2
    assert Feedback.all_orgs.filter(channel="store", source="import").exists()  # "门店" mapped
    with org_scope(org):
        seed_voice(org)
    assert _counts(org) == first


def test_seed_without_journeys_still_shows_an_import():
    org = demo_organization_get_or_create()
    with org_scope(org):
        seed_voice(org)
    assert _counts(org)[0] == 0 and _counts(org)[2] == 1


def test_step_is_registered_after_journeys_and_demo_feedback():
    orders = {name: order for order, name, _func in seed_steps()}
    assert orders["voice-surveys-imports"] == 25
