"""Shared bits of the sentiment commands."""

from __future__ import annotations

from django.core.management.base import CommandError

from cem.models import Organization
from voice.nlp.evaluation import read_labelled_csv

ERR_ORG = "No organization with slug {slug!r}."


def organization(slug: str) -> Organization:
    try:
        return Organization.objects.get(slug=slug)
    except Organization.DoesNotExist as exc:
        raise CommandError(ERR_ORG.format(slug=slug)) from exc


def labelled_rows(path: str) -> list[dict]:
    try:
        return read_labelled_csv(path)
    except FileNotFoundError as exc:
        raise CommandError(f"No such file: {path}") from exc
    except (ValueError, UnicodeDecodeError) as exc:
        raise CommandError(f"{path}: {exc}") from exc
