"""The REST API's routers, one per resource, mounted under ``/api/v1`` by the app factory."""

from __future__ import annotations

from fastapi import APIRouter

from openphm.service.api import (
    alarms,
    auth,
    fleet,
    jobs,
    measurements,
    reports,
    results,
    status,
    users,
)

#: Every router of the API, in the order of the OpenAPI document.
ROUTERS: tuple[APIRouter, ...] = (
    auth.router,
    users.router,
    fleet.router,
    measurements.router,
    results.router,
    alarms.router,
    status.router,
    reports.router,
    jobs.router,
)
