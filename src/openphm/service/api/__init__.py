"""The REST API's routers, one per resource, mounted under ``/api/v1`` by the app factory."""

from __future__ import annotations

from fastapi import APIRouter

from openphm.service.api import auth, users

#: Every router of the API, in the order of the OpenAPI document.
ROUTERS: tuple[APIRouter, ...] = (auth.router, users.router)
