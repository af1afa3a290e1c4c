"""``/auth``: log in (sets the session cookie), log out, and who am I."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request, Response, status

from openphm.service.auth import authenticate_password, end_session, start_session
from openphm.service.deps import CurrentUser, SettingsDep, StoreDep, session_secret
from openphm.service.schemas.users import LoginRequest, UserPublic

router = APIRouter(prefix="/auth", tags=["auth"])


@router.post("/login")
def login(
    body: LoginRequest, response: Response, store: StoreDep, settings: SettingsDep
) -> UserPublic:
    """Log a person in: check the password and set the session cookie.

    Parameters
    ----------
    body : LoginRequest
        Name and password.
    response : fastapi.Response
        Receives the cookie.
    store : Store
        The app's store.
    settings : ServiceSettings
        Cookie name, lifetime and security.

    Returns
    -------
    UserPublic
        The user now signed in.
    """
    user = authenticate_password(store, body.name, body.password)
    if user is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "wrong user name or password")
    issued = start_session(store, user, settings.session_lifetime_s)
    response.set_cookie(
        settings.session_cookie,
        issued.secret,
        max_age=int(settings.session_lifetime_s),
        httponly=True,
        samesite="strict",
        secure=settings.session_cookie_secure,
        path="/",
    )
    return UserPublic.model_validate(user)


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT)
def logout(request: Request, response: Response, store: StoreDep, settings: SettingsDep) -> None:
    """End the session of the cookie sent (if any) and clear the cookie.

    Parameters
    ----------
    request : fastapi.Request
        Carries the cookie.
    response : fastapi.Response
        Clears it.
    store : Store
        The app's store.
    settings : ServiceSettings
        The cookie's name.
    """
    secret = session_secret(request, settings)
    if secret is not None:
        end_session(store, secret)
    response.delete_cookie(settings.session_cookie, path="/")


@router.get("/me")
def me(user: CurrentUser) -> UserPublic:
    """The user signed in.

    Parameters
    ----------
    user : UserInfo
        From the token or session.

    Returns
    -------
    UserPublic
        The user.
    """
    return UserPublic.model_validate(user)
