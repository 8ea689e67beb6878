"""Plain-Python generation of the demo voice (no ORM): feedback, customers and interactions over
the last 6 months, from a fixed random seed, with a story the demo's charts and tickets tell:

- logistics pain rises in the last three weeks (物流慢, 快递破损), with a burst a few hours ago;
- a product-quality issue three months ago (质量问题) and broken packaging in the last two weeks;
- good service at the online service desk and the in-store advisors; queues at the checkout.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from voice.demo_feedback import texts as t

SEED = 20261123
DAYS = 180
FEEDBACK_COUNT = 2800
CUSTOMER_COUNT = 1100
INTERACTION_COUNT = 700

#: (touchpoint key or None, volume weight, positive share, negative share)
PROFILES = (
    ("ec-search", 6, .55, .15), ("ec-product-page", 6, .55, .15), ("ec-checkout", 6, .5, .18),
    ("ec-payment", 5, .6, .12), ("ec-delivery", 14, .5, .25), ("ec-tracking", 6, .45, .25),
    ("ec-unboxing", 8, .5, .22), ("ec-usage", 9, .55, .2), ("ec-hotline", 6, .5, .3),
    ("ec-online-service", 7, .78, .08), ("ec-return", 5, .5, .25),
    ("store-arrival", 4, .55, .2), ("store-reception", 4, .65, .15), ("store-advice", 5, .8, .07),
    ("store-trial", 3, .55, .2), ("store-checkout", 5, .4, .4), ("store-membership", 3, .5, .25),
    ("store-followup", 3, .6, .15), (None, 3, .45, .3),
)
CHANNELS = {
    "ec-search": ["app", "web"], "ec-product-page": ["app", "web", "ecommerce_review"],
    "ec-checkout": ["app", "web"], "ec-payment": ["app", "web"],
    "ec-delivery": ["app", "call_center", "survey"], "ec-tracking": ["app", "web"],
    "ec-unboxing": ["app", "ecommerce_review"], "ec-usage": ["ecommerce_review", "survey", "social"],
    "ec-hotline": ["call_center"], "ec-online-service": ["app", "web"],
    "ec-return": ["app", "web", "call_center"], "store-checkout": ["store", "app"],
    "store-membership": ["app", "store"], "store-followup": ["call_center", "survey"],
    None: ["social", "email", "web"],
}
#: channel → [(score field or None, weight)]
SCORE_FIELDS = {
    "survey": [("nps", 7), ("csat", 3)], "app": [("nps", 6), ("ces", 2), (None, 2)],
    "web": [("ces", 4), ("nps", 3), (None, 3)], "call_center": [("csat", 8), (None, 2)],
    "ecommerce_review": [("csat", 1)], "store": [("nps", 5), ("csat", 4), ("ces", 1)],
    "social": [(None, 1)], "email": [(None, 1)],
}
SCORES = {
    t.POSITIVE: {"nps": [10, 10, 9, 9, 9, 8], "csat": [5, 5, 4], "ces": [7, 6, 6, 5]},
    t.NEGATIVE: {"nps": [0, 1, 2, 3, 3, 4, 5, 6, 6, 2], "csat": [1, 1, 2, 2, 3], "ces": [1, 2, 2, 3, 3]},
    t.NEUTRAL: {"nps": [7, 8, 7, 6, 8], "csat": [3, 4, 3], "ces": [4, 5, 4, 3]},
}
SEGMENTS = (("会员", 45), ("普通", 35), ("企业", 8), ("新客", 12))
AGENTS = ("王丽", "李强", "张敏", "刘洋", "陈静", "赵磊")
TEAMS = ("华东客服组", "华南客服组", "物流专线")


@dataclass
class Demo:
    customers: list[dict] = field(default_factory=list)
    feedback: list[dict] = field(default_factory=list)
    interactions: list[dict] = field(default_factory=list)


def _shares(key, days_ago: float, weekday: int, pos: float, neg: float) -> tuple[float, float]:
    """The story: how the base positive / negative shares move with time."""
    if key in ("ec-delivery", "ec-tracking") and days_ago < 21:
        neg = min(.85, neg + (21 - days_ago) / 21 * (.6 if key == "ec-delivery" else .3))
        return (1 - neg) * .7, neg
    elif key == "ec-usage" and 70 <= days_ago <= 100:
        neg = .5
    elif key == "ec-unboxing" and 2 <= days_ago <= 14:
        neg = .5
    elif key == "store-checkout" and weekday >= 5:
        neg = .6
    return max(0.0, min(pos, 1 - neg)), neg


def _mood(rng, pos: float, neg: float) -> str:
    roll = rng.random()
    return t.POSITIVE if roll < pos else t.NEGATIVE if roll < pos + neg else t.NEUTRAL


def _text(rng, key, mood: str) -> str:
    pool = t.SENTENCES.get(key or "*", t.SENTENCES["*"])[mood]
    body = rng.choice(pool)
    if len(pool) > 1 and rng.random() < .3:
        body += "，" + rng.choice([s for s in pool if s != body])
    return rng.choice(t.OPENERS[mood]) + body + rng.choice(t.CLOSERS[mood])


def _moment(rng, now: datetime, days_ago: float) -> datetime:
    day = now - timedelta(days=int(days_ago))
    hour = rng.choice((9, 10, 11, 12, 14, 15, 16, 19, 20, 20, 21, 21, 22))
    at = day.replace(hour=hour, minute=rng.randrange(60), second=rng.randrange(60), microsecond=0)
    return at if at < now else now - timedelta(minutes=rng.randrange(5, 600))


def _one(rng, now, key, mood: str, at: datetime, customer: dict | None, text: str | None = None):
    channel = rng.choice(CHANNELS.get(key, ["store"]))
    fields, weights = zip(*SCORE_FIELDS[channel], strict=True)
    score_field = rng.choices(fields, weights)[0]
    item = {"touchpoint": key, "channel": channel, "occurred_at": at, "nps": None, "csat": None,
            "ces": None, "customer": customer["external_id"] if customer else None,
            "segment": customer["segment"] if customer else "",
            "text": text if text is not None else _text(rng, key, mood)}
    if score_field:
        item[score_field] = rng.choice(SCORES[mood][score_field])
        if channel in ("survey", "store") and rng.random() < .12:
            item["text"] = ""  # a score without a comment
    return item


def _customers(rng, now) -> list[dict]:
    names, weights = zip(*SEGMENTS, strict=True)
    return [{"external_id": f"DEMO-CU-{i:04d}", "segment": rng.choices(names, weights)[0],
             "since": None, "churned_at": None, "moods": []} for i in range(1, CUSTOMER_COUNT + 1)]


def _feedback(rng, now, customers) -> list[dict]:
    keys, weights = [p[0] for p in PROFILES], [p[1] for p in PROFILES]
    shares = {p[0]: (p[2], p[3]) for p in PROFILES}
    rows = []
    extra = [("ec-delivery", rng.uniform(0, 21)) for _ in range(220)]
    plain = [(rng.choices(keys, weights)[0], DAYS * rng.random() ** 1.2)
             for _ in range(FEEDBACK_COUNT - len(extra))]
    for key, days_ago in plain + extra:
        at = _moment(rng, now, days_ago)
        pos, neg = _shares(key, days_ago, at.weekday(), *shares[key])
        mood = _mood(rng, pos, neg)
        customer = rng.choice(customers) if rng.random() < .85 else None
        rows.append(_one(rng, now, key, mood, at, customer))
    for i in range(14):
        at = now - timedelta(hours=5, minutes=50) + timedelta(minutes=4 * i + rng.randrange(3))
        text = rng.choice(t.LOGISTICS_BURST) + rng.choice(t.CLOSERS[t.NEGATIVE])
        rows.append(_one(rng, now, "ec-delivery", t.NEGATIVE, at, rng.choice(customers), text))
    complaint = _one(rng, now, "ec-return", t.NEGATIVE, now - timedelta(minutes=40),
                     rng.choice(customers), t.COMPLAINT)
    rows.append(complaint)
    return rows


def _customer_dates(rng, now, customers, feedback) -> None:
    """`since` before the first feedback; churn more likely after negative experiences."""
    by_id = {c["external_id"]: c for c in customers}
    for row in feedback:
        if row["customer"]:
            by_id[row["customer"]]["moods"].append((row["occurred_at"], row["nps"], row["csat"]))
    for c in customers:
        moments = sorted(m[0] for m in c["moods"])
        first = moments[0] if moments else now - timedelta(days=rng.randrange(30, 900))
        back = rng.randrange(0, 10) if c["segment"] == "新客" else rng.randrange(20, 1200)
        c["since"] = first - timedelta(days=back, hours=rng.randrange(24))
        bad = sum(1 for _at, nps, csat in c["moods"]
                  if (nps is not None and nps <= 6) or (csat is not None and csat <= 2))
        risk = .04 + .3 * (bad / len(c["moods"]) if c["moods"] else 0)
        if rng.random() < risk:
            last = moments[-1] if moments else now - timedelta(days=rng.randrange(1, DAYS))
            churned = last + timedelta(days=rng.randrange(2, 40), hours=rng.randrange(24))
            if churned < now:
                c["churned_at"] = churned
        del c["moods"]


def _interactions(rng, now) -> list[dict]:
    rows = []
    sites = (("ec-hotline", "call_center", 5), ("ec-online-service", "app", 4),
             ("ec-online-service", "web", 2), ("ec-return", "call_center", 2),
             ("ec-delivery", "call_center", 3), ("store-followup", "call_center", 1))
    for i in range(1, INTERACTION_COUNT + 1):
        key, channel, _w = rng.choices(sites, [s[2] for s in sites])[0]
        days_ago = DAYS * rng.random() ** 1.2
        opened = _moment(rng, now, days_ago)
        fast = channel == "call_center"
        first = opened + timedelta(seconds=rng.lognormvariate(4.5 if fast else 6, 1))
        slow = 3 if key == "ec-delivery" and days_ago < 21 else 1
        resolved = first + timedelta(minutes=slow * rng.lognormvariate(4, 1.2))
        row = {"external_id": f"DEMO-IX-{i:04d}", "touchpoint": key, "channel": channel,
               "customer": f"DEMO-CU-{rng.randrange(1, CUSTOMER_COUNT + 1):04d}",
               "agent": rng.choice(AGENTS), "team": rng.choice(TEAMS), "opened_at": opened,
               "reopened_at": None, "first_response_at": first, "resolved_at": resolved,
               "csat": rng.choice([5, 5, 4, 4, 3, 2, 1]) if rng.random() < .4 else None}
        if rng.random() < .05:  # reopened: the first-response clock restarts at the reopening
            row["reopened_at"] = resolved + timedelta(hours=rng.randrange(2, 48))
            row["first_response_at"] = row["reopened_at"] + timedelta(minutes=rng.randrange(1, 90))
            row["resolved_at"] = row["first_response_at"] + timedelta(hours=rng.randrange(1, 30))
        if rng.random() < .05 or row["resolved_at"] >= now:
            row["resolved_at"] = None  # still open
        if row["first_response_at"] >= now:
            row["first_response_at"] = None
        rows.append(row)
    return rows


def generate(now: datetime) -> Demo:
    """The whole demo voice for `now` (deterministic for a given `now`)."""
    rng = random.Random(SEED)
    customers = _customers(rng, now)
    feedback = _feedback(rng, now, customers)
    _customer_dates(rng, now, customers, feedback)
    feedback.sort(key=lambda row: row["occurred_at"])
    for i, row in enumerate(feedback, start=1):
        row["external_id"] = f"DEMO-FB-{i:05d}"
    return Demo(customers=customers, feedback=feedback, interactions=_interactions(rng, now))
