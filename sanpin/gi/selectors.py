"""Reads for the GI registry: scoped lookups by number, quality indicators by year, public
verification."""

from collections import defaultdict

from sanpin.core.access import can
from sanpin.core.errors import NotFound, PermissionDenied

from .models import GIAuthorization, GIQualityRecord, GIRegistration


def scoped_registration(user, number: str, action: str = "view") -> GIRegistration:
    """The registration `number` within the user's scope: 403 for a wrong role, 404 when missing
    or out of scope."""
    if not can(user, action, GIRegistration):
        raise PermissionDenied()
    registration = (
        GIRegistration.objects.restrict(user, action).select_related("holder", "holder__region")
        .filter(number=(number or "").strip().upper()).first()
    )
    if registration is None:
        raise NotFound()
    return registration


def quality_table(registration: GIRegistration) -> tuple[list[int], list[dict]]:
    """Indicators by year for one registration: the years (newest first) and one row per
    indicator and unit with its values per year (several samples in a year are all listed)."""
    records = GIQualityRecord.objects.filter(registration=registration).order_by("indicator", "year", "sampled_on")
    years = sorted({r.year for r in records}, reverse=True)
    rows: dict[tuple[str, str], dict] = {}
    for record in records:
        row = rows.setdefault((record.indicator, record.unit), {
            "indicator": record.indicator, "unit": record.unit, "by_year": defaultdict(list),
        })
        row["by_year"][record.year].append(record)
    table = [{**row, "cells": [row["by_year"].get(year, []) for year in years]} for row in rows.values()]
    return years, table


def authorizations_of(registration: GIRegistration):
    return (GIAuthorization.objects.filter(registration=registration)
            .select_related("user_entity", "user_entity__region"))


def public_lookup(number: str) -> GIRegistration | None:
    """Public verification: one indexed lookup by registration number (no scope: the national
    register of GI registrations is public)."""
    number = (number or "").strip().upper()
    if not number:
        return None
    return (GIRegistration.objects.select_related("holder").prefetch_related("counties")
            .filter(number=number).first())
