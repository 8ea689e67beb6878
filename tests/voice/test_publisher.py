"""The publisher thread (voice.services.publisher): requests hand over ids and never wait on
the broker; ids are published once, merged per organization; the real path reaches a worker."""

import os
import threading

import pytest
from django.urls import reverse

from tests.processing.harness import wait_for
from voice.models import Feedback
from voice.services.publisher import BackgroundPublisher


class _Recorder:
    def __init__(self, gate=None, fail_for=()):
        self.calls: list[tuple[int, list[int]]] = []
        self.gate = gate
        self.fail_for = set(fail_for)
        self.entered = threading.Event()

    def __call__(self, organization_id, ids):
        self.entered.set()
        if self.gate is not None:
            self.gate.wait(5)
        if organization_id in self.fail_for:
            raise ConnectionError("broker down")
        self.calls.append((organization_id, list(ids)))
        return len(ids)


def test_hand_overs_are_published_once_and_merged_per_organization():
    gate = threading.Event()
    recorder = _Recorder(gate=gate)
    publisher = BackgroundPublisher(recorder)
    publisher.submit(1, [1])  # held at the gate while the next ones queue up
    assert recorder.entered.wait(5)
    for ids in ([2, 3], [4]):
        publisher.submit(1, ids)
    publisher.submit(2, [5])
    gate.set()
    assert publisher.flush(5)
    assert sorted(i for _org, ids in recorder.calls for i in ids) == [1, 2, 3, 4, 5]
    assert recorder.calls[0] == (1, [1])
    assert sorted(recorder.calls[1:]) == [(1, [2, 3, 4]), (2, [5])]


def test_a_failed_publish_is_logged_and_the_thread_goes_on(caplog):
    recorder = _Recorder(fail_for={7})
    publisher = BackgroundPublisher(recorder)
    publisher.submit(7, [1])
    assert publisher.flush(5)
    publisher.submit(8, [2])
    assert publisher.flush(5)
    assert recorder.calls == [(8, [2])]
    assert "left to the sweep" in caplog.text


def test_submit_returns_while_the_broker_is_slow():
    gate = threading.Event()
    publisher = BackgroundPublisher(_Recorder(gate=gate))
    publisher.submit(1, [1])
    publisher.submit(1, [2])  # returns although the first publish is still blocked
    assert not publisher.flush(0.2)
    gate.set()
    assert publisher.flush(5)


def test_a_forked_child_starts_its_own_thread():
    recorder = _Recorder()
    publisher = BackgroundPublisher(recorder)
    publisher.submit(1, [1])
    assert publisher.flush(5)
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: the parent's thread does not exist here
        try:
            publisher.submit(1, [2])
            ok = publisher.flush(5) and recorder.calls[-1] == (1, [2])
            os.write(write, b"1" if ok else b"0")
        finally:
            os._exit(0)
    os.waitpid(pid, 0)
    assert os.read(read, 1) == b"1"
    assert recorder.calls == [(1, [1])]


@pytest.mark.django_db(transaction=True)
def test_posted_feedback_reaches_the_worker_through_the_thread(tenant, real_worker, settings,
                                                               api_client):
    from journeys.models import Journey, Stage, Touchpoint

    settings.ANALYSIS_PUBLISH_FROM_THREAD = True
    journey = Journey.all_orgs.create(organization=tenant.org, name="电商购物")
    stage = Stage.all_orgs.create(organization=tenant.org, journey=journey, name="物流配送")
    Touchpoint.all_orgs.create(organization=tenant.org, stage=stage, key="delivery", name="送货上门")
    writer = api_client(scopes=["feedback:write"])
    ids = [writer.post(reverse("api-feedback"), {"channel": "app", "touchpoint": "delivery",
                                                 "text": f"送货太慢了，第{i}次", "external_id": f"t-{i}"},
                       format="json").json()["id"] for i in range(5)]
    wait_for(lambda: Feedback.all_orgs.filter(pk__in=ids, status="analyzed").count() == 5,
             what="feedback handed over by the publisher thread to be analyzed")
    assert set(Feedback.all_orgs.filter(pk__in=ids).values_list("sentiment_label", flat=True)) == {
        "negative"}
