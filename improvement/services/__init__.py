"""Writes of the improvement app: tickets, alerts, rules, routing, SLA, notifications, webhooks."""
