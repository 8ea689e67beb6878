"""Message formats and signatures of the outgoing webhooks, checked the way each receiver does."""

import base64
import hashlib
import hmac
import json
from urllib.parse import parse_qs, urlsplit

from improvement.webhooks import formats

PAYLOAD = {"event": "ticket.created", "ticket": {"id": 7, "url": "https://cem.example.com/tickets/7/"},
           "summary": {"title": "新工单 #7：快递太慢", "body": "优先级：紧急 · 部门：物流部\n处理期限：2026-11-01 18:00"}}
NOW = 1_790_000_000.123


def test_generic_signature_round_trip_and_tampering():
    request = formats.render("generic", url="https://x.example/hook", payload=PAYLOAD, secret="s3cret",
                             delivery_id=42, now=NOW)
    header = request.headers[formats.SIGNATURE_HEADER]
    assert header.startswith(f"t={int(NOW)},v1=")
    assert request.headers["X-OpenCEM-Event"] == "ticket.created" and request.headers["X-OpenCEM-Delivery"] == "42"
    assert json.loads(request.body) == PAYLOAD
    assert formats.verify_generic_signature("s3cret", header, request.body, now=int(NOW) + 10)
    assert not formats.verify_generic_signature("other", header, request.body, now=int(NOW))
    assert not formats.verify_generic_signature("s3cret", header, request.body + b" ", now=int(NOW))
    assert not formats.verify_generic_signature("s3cret", header, request.body, now=int(NOW) + 3600)
    assert not formats.verify_generic_signature("s3cret", "garbage", request.body, now=int(NOW))


def test_generic_without_secret_is_unsigned():
    request = formats.render("generic", url="https://x.example/hook", payload=PAYLOAD, secret="",
                             delivery_id=1, now=NOW)
    assert formats.SIGNATURE_HEADER not in request.headers


def test_wecom_markdown():
    request = formats.render("wecom", url="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=K",
                             payload=PAYLOAD, secret="", delivery_id=1, now=NOW)
    body = json.loads(request.body)
    assert body["msgtype"] == "markdown" and "新工单 #7" in body["markdown"]["content"]
    assert "(https://cem.example.com/tickets/7/)" in body["markdown"]["content"]
    huge = {**PAYLOAD, "summary": {"title": "t", "body": "长" * 5000}}
    content = json.loads(formats.render("wecom", url="https://q.example/", payload=huge, secret="",
                                        delivery_id=1, now=NOW).body)["markdown"]["content"]
    assert len(content.encode()) <= formats.WECOM_MAX_BYTES


def test_dingtalk_sign_as_the_robot_checks_it():
    request = formats.render("dingtalk", url="https://oapi.dingtalk.com/robot/send?access_token=T",
                             payload=PAYLOAD, secret="SECabc", delivery_id=1, now=NOW)
    query = parse_qs(urlsplit(request.url).query)
    timestamp, sign = query["timestamp"][0], query["sign"][0]
    assert query["access_token"] == ["T"] and timestamp == str(int(NOW * 1000))
    expected = base64.b64encode(hmac.new(b"SECabc", f"{timestamp}\nSECabc".encode(), hashlib.sha256).digest())
    assert sign.encode() == expected
    body = json.loads(request.body)
    assert body["msgtype"] == "markdown" and body["markdown"]["title"] == "新工单 #7：快递太慢"


def test_feishu_sign_in_the_body():
    request = formats.render("feishu", url="https://open.feishu.cn/open-apis/bot/v2/hook/H", payload=PAYLOAD,
                             secret="fs", delivery_id=1, now=NOW)
    body = json.loads(request.body)
    expected = base64.b64encode(hmac.new(f"{int(NOW)}\nfs".encode(), b"", hashlib.sha256).digest()).decode()
    assert body["timestamp"] == str(int(NOW)) and body["sign"] == expected
    post = body["content"]["post"]["zh_cn"]
    assert body["msg_type"] == "post" and post["title"] == "新工单 #7：快递太慢"
    assert post["content"][-1][0] == {"tag": "a", "text": "查看详情 / Open",
                                      "href": "https://cem.example.com/tickets/7/"}


def test_robot_answers():
    assert formats.robot_result("wecom", 200, '{"errcode":0,"errmsg":"ok"}') is None
    assert formats.robot_result("feishu", 200, '{"code":0,"msg":"success"}') is None
    assert formats.robot_result("feishu", 200, '{"StatusCode":0}') is None
    assert "310000" in formats.robot_result("dingtalk", 200, '{"errcode":310000,"errmsg":"sign not match"}')
    assert "19021" in formats.robot_result("feishu", 200, '{"code":19021,"msg":"sign match fail"}')
    assert formats.robot_result("generic", 204, "") is None
    assert formats.robot_result("generic", 503, "busy").startswith("HTTP 503")
    assert formats.robot_result("wecom", 200, "<html>").startswith("unexpected answer")


def test_retry_delay_grows_exponentially_with_jitter_and_a_cap(settings):
    from improvement.services.webhooks import retry_delay

    settings.WEBHOOK_RETRY_BASE_SECONDS, settings.WEBHOOK_RETRY_MAX_SECONDS = 30, 600
    for attempts, full in ((1, 30), (2, 60), (3, 120), (5, 480), (6, 600), (9, 600)):
        delays = [retry_delay(attempts) for _ in range(50)]
        assert all(full / 2 <= d <= full for d in delays), (attempts, min(delays), max(delays))
        assert len(set(delays)) > 1


def test_customer_text_cannot_plant_links_in_robot_markdown():
    payload = {**PAYLOAD, "summary": {"title": "[点我领券](http://evil.example)", "body": "<img src=x> `x`"}}
    for fmt in ("wecom", "dingtalk"):
        body = json.loads(formats.render(fmt, url="https://r.example/", payload=payload, secret="", delivery_id=1,
                                         now=NOW).body)
        text = body["markdown"].get("content") or body["markdown"]["text"]
        assert "[点我领券](" not in text and "<img" not in text and "［点我领券］" in text
        assert "](https://cem.example.com/tickets/7/)" in text
