"""Dependency types of the routes: the store, the settings, the current user and role checks.

A route takes ``store: StoreDep`` and ``user: CurrentUser``; one open to engineers and above
adds ``dependencies=[require("engineer")]`` (or takes ``user: EngineerUser``). The current user
comes from an ``Authorization: Bearer <token>`` header (systems) or from the session cookie set
by ``POST /api/v1/auth/login`` (people); without either the answer is 401, with a role below the
route's 403.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import APIKeyCookie, HTTPAuthorizationCredentials, HTTPBearer

from openphm.pipeline.status import FleetStatusCache
from openphm.service.auth import ROLES, authenticate_secret, role_rank
from openphm.service.settings import ServiceSettings
from openphm.store import Store, UserInfo

_bearer = HTTPBearer(auto_error=False, description="An API token (`openphm users token NAME`).")
_cookie = APIKeyCookie(
    name="openphm_session", auto_error=False, description="The session cookie set at login."
)


def get_store(request: Request) -> Store:
    """The app's store.

    Parameters
    ----------
    request : fastapi.Request
        The request.

    Returns
    -------
    Store
        The store the app was created with.
    """
    store: Store = request.app.state.store
    return store


def get_settings(request: Request) -> ServiceSettings:
    """The app's settings.

    Parameters
    ----------
    request : fastapi.Request
        The request.

    Returns
    -------
    ServiceSettings
        The settings the app was created with.
    """
    settings: ServiceSettings = request.app.state.settings
    return settings


def get_fleet_cache(request: Request) -> FleetStatusCache:
    """The app's fleet-status cache (made on first use).

    Parameters
    ----------
    request : fastapi.Request
        The request.

    Returns
    -------
    FleetStatusCache
        Kept in the app's state, shared by the fleet page and ``GET /status``.
    """
    cache: FleetStatusCache | None = getattr(request.app.state, "fleet_cache", None)
    if cache is None:
        cache = request.app.state.fleet_cache = FleetStatusCache()
    return cache


StoreDep = Annotated[Store, Depends(get_store)]
SettingsDep = Annotated[ServiceSettings, Depends(get_settings)]
FleetCacheDep = Annotated[FleetStatusCache, Depends(get_fleet_cache)]


def session_secret(request: Request, settings: ServiceSettings) -> str | None:
    """The session secret the request's cookie carries, if any.

    Parameters
    ----------
    request : fastapi.Request
        The request.
    settings : ServiceSettings
        Names the cookie.

    Returns
    -------
    str or None
        The cookie's value.
    """
    return request.cookies.get(settings.session_cookie) or None


def optional_user(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    _cookie_value: Annotated[str | None, Depends(_cookie)],
) -> UserInfo | None:
    """The user a bearer token or the session cookie names, or None (pages use it to redirect).

    Parameters
    ----------
    request : fastapi.Request
        The request.
    store : Store
        The app's store.
    settings : ServiceSettings
        The app's settings.
    bearer : HTTPAuthorizationCredentials or None
        The ``Authorization: Bearer`` header.
    _cookie_value : str or None
        Declares the cookie in the OpenAPI schema (the settings name the one read).

    Returns
    -------
    UserInfo or None
        The signed-in user.
    """
    if bearer is not None:
        return authenticate_secret(store, bearer.credentials)
    secret = session_secret(request, settings)
    return None if secret is None else authenticate_secret(store, secret)


def current_user(user: Annotated[UserInfo | None, Depends(optional_user)]) -> UserInfo:
    """The signed-in user; 401 without valid credentials.

    Parameters
    ----------
    user : UserInfo or None
        From :func:`optional_user`.

    Returns
    -------
    UserInfo
        The user.

    Raises
    ------
    fastapi.HTTPException
        401 when no valid token or session came with the request.
    """
    if user is None:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            "not signed in: send 'Authorization: Bearer <token>' or log in",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return user


CurrentUser = Annotated[UserInfo, Depends(current_user)]
OptionalUser = Annotated[UserInfo | None, Depends(optional_user)]


def require(role: str) -> Any:
    """A dependency that lets through users of ``role`` or above (viewer < engineer < admin).

    Parameters
    ----------
    role : str
        The lowest role allowed.

    Returns
    -------
    fastapi.params.Depends
        Use it in ``dependencies=[require("engineer")]`` or as ``Annotated[UserInfo, ...]``;
        it answers 401 without credentials and 403 for a lower role.

    Raises
    ------
    ValueError
        If the role is unknown (a programming error, at import time).
    """
    if role not in ROLES:
        raise ValueError(f"role {role!r} is unknown: give one of {', '.join(ROLES)}")
    needed = role_rank(role)

    def check(user: CurrentUser) -> UserInfo:
        if role_rank(user.role) < needed:
            raise HTTPException(
                status.HTTP_403_FORBIDDEN, f"role {user.role!r} may not do this: needs {role!r}"
            )
        return user

    check.__name__ = f"require_{role}"
    dependency: Callable[..., UserInfo] = check
    return Depends(dependency)


EngineerUser = Annotated[UserInfo, require("engineer")]
AdminUser = Annotated[UserInfo, require("admin")]
