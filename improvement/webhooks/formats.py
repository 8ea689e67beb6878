"""Message formats of the outgoing webhooks, and their signatures.

- generic: the event JSON as is, signed: `X-OpenCEM-Signature: t=<unix seconds>,v1=<hex>`,
  hex = HMAC-SHA256(secret, "<t>.<raw body>") (verify with `verify_generic_signature`).
- wecom (企业微信群机器人): markdown message; the robot key is in the URL.
- dingtalk (钉钉群机器人): markdown message; with a secret ("加签"), `timestamp` (ms) and
  `sign` = base64(HMAC-SHA256(secret, "<timestamp>\\n<secret>")) are added to the URL.
- feishu (飞书群机器人): rich-text "post" message; with a secret ("签名校验"), `timestamp` (s) and
  `sign` = base64(HMAC-SHA256(key="<timestamp>\\n<secret>", message="")) go into the body.
Robots answer HTTP 200 with an error code in the body; `robot_result` reads it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from dataclasses import dataclass
from urllib.parse import quote_plus, urlsplit, urlunsplit

SIGNATURE_HEADER = "X-OpenCEM-Signature"
#: Seconds a generic signature stays acceptable to a consumer (replay window).
SIGNATURE_TOLERANCE = 300
WECOM_MAX_BYTES = 4000


@dataclass(frozen=True)
class Request:
    url: str
    body: bytes
    headers: dict


def _json(data) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def generic_signature(secret: str, timestamp: int, body: bytes) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def verify_generic_signature(secret: str, header: str, body: bytes, now: int,
                             tolerance: int = SIGNATURE_TOLERANCE) -> bool:
    """What a consumer does: recompute the HMAC, compare in constant time, refuse old stamps."""
    parts = dict(p.split("=", 1) for p in header.split(",") if "=" in p)
    try:
        timestamp = int(parts.get("t", ""))
    except ValueError:
        return False
    expected = generic_signature(secret, timestamp, body).split("v1=", 1)[1]
    return abs(now - timestamp) <= tolerance and hmac.compare_digest(expected, parts.get("v1", ""))


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def feishu_sign(secret: str, timestamp: int) -> str:
    digest = hmac.new(f"{timestamp}\n{secret}".encode(), b"", hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def _with_query(url: str, extra: str) -> str:
    parts = urlsplit(url)
    query = f"{parts.query}&{extra}" if parts.query else extra
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))


def _lines(payload: dict) -> tuple[str, list[str], str]:
    summary = payload.get("summary") or {}
    link = (payload.get("ticket") or {}).get("url", "")
    return summary.get("title", payload.get("event", "")), summary.get("body", "").splitlines(), link


#: Customer text goes into robot markdown: neutralize link and HTML syntax (full-width look-alikes),
#: so a feedback cannot plant a clickable link or markup in the team chat.
_MARKDOWN_NEUTRAL = str.maketrans({"[": "［", "]": "］", "<": "＜", ">": "＞", "`": "｀"})


def _markdown(payload: dict) -> tuple[str, str]:
    title, lines, link = _lines(payload)
    title, lines = title.translate(_MARKDOWN_NEUTRAL), [line.translate(_MARKDOWN_NEUTRAL) for line in lines]
    text = f"**{title}**\n" + "".join(f"> {line}\n" for line in lines)
    if link.startswith("http"):
        text += f"\n[查看详情 / Open]({link})"
    return title, text


def render(fmt: str, *, url: str, payload: dict, secret: str, delivery_id: int, now: float) -> Request:
    """The HTTP request that carries `payload` to an endpoint of format `fmt`."""
    seconds = int(now)
    if fmt == "wecom":
        _title, text = _markdown(payload)
        text = text.encode()[:WECOM_MAX_BYTES].decode("utf-8", "ignore")
        return Request(url, _json({"msgtype": "markdown", "markdown": {"content": text}}), {})
    if fmt == "dingtalk":
        title, text = _markdown(payload)
        if secret:
            millis = int(now * 1000)
            url = _with_query(url, f"timestamp={millis}&sign={quote_plus(dingtalk_sign(secret, millis))}")
        return Request(url, _json({"msgtype": "markdown", "markdown": {"title": title, "text": text}}), {})
    if fmt == "feishu":
        title, lines, link = _lines(payload)
        content = [[{"tag": "text", "text": line}] for line in lines]
        if link.startswith("http"):
            content.append([{"tag": "a", "text": "查看详情 / Open", "href": link}])
        body = {"msg_type": "post", "content": {"post": {"zh_cn": {"title": title, "content": content}}}}
        if secret:
            body = {"timestamp": str(seconds), "sign": feishu_sign(secret, seconds), **body}
        return Request(url, _json(body), {})
    body = _json(payload)
    headers = {"X-OpenCEM-Event": payload.get("event", ""), "X-OpenCEM-Delivery": str(delivery_id),
               "X-OpenCEM-Timestamp": str(seconds)}
    if secret:
        headers[SIGNATURE_HEADER] = generic_signature(secret, seconds, body)
    return Request(url, body, headers)


def robot_result(fmt: str, status: int, text: str) -> str | None:
    """None when the endpoint accepted the message, else the reason it gave."""
    if not 200 <= status < 300:
        return f"HTTP {status}: {text[:300]}"
    if fmt == "generic":
        return None
    try:
        answer = json.loads(text or "{}")
    except ValueError:
        return f"unexpected answer: {text[:300]}"
    code = answer.get("errcode", answer.get("code", answer.get("StatusCode", 0)))
    if code in (0, "0", None):
        return None
    return f"robot error {code}: {answer.get('errmsg') or answer.get('msg') or answer.get('StatusMessage', '')}"
