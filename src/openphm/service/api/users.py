"""``/users`` and ``/tokens``: people and systems, their roles and API tokens (admins only)."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, status

from openphm.service.auth import hash_password
from openphm.service.deps import AdminUser, StoreDep
from openphm.service.schemas.users import (
    TokenCreate,
    TokenIssued,
    TokenPublic,
    UserCreate,
    UserPublic,
    UserUpdate,
)

router = APIRouter(tags=["users"])


@router.get("/users")
def list_users(store: StoreDep, _admin: AdminUser) -> list[UserPublic]:
    """All users, by name.

    Parameters
    ----------
    store : Store
        The app's store.
    _admin : UserInfo
        An admin.

    Returns
    -------
    list of UserPublic
        The users.
    """
    return [UserPublic.model_validate(u) for u in store.users()]


@router.post("/users", status_code=status.HTTP_201_CREATED)
def create_user(body: UserCreate, store: StoreDep, _admin: AdminUser) -> UserPublic:
    """Add a user.

    Parameters
    ----------
    body : UserCreate
        Name, role and password.
    store : Store
        The app's store.
    _admin : UserInfo
        An admin.

    Returns
    -------
    UserPublic
        The new user.
    """
    hashed = None if body.password is None else hash_password(body.password)
    return UserPublic.model_validate(store.add_user(body.name, body.role, hashed))


def _user(store: StoreDep, name: str) -> None:
    if store.user_by_name(name) is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"user {name!r} not found")


@router.get("/users/{name}")
def get_user(name: str, store: StoreDep, _admin: AdminUser) -> UserPublic:
    """One user.

    Parameters
    ----------
    name : str
        The user's name.
    store : Store
        The app's store.
    _admin : UserInfo
        An admin.

    Returns
    -------
    UserPublic
        The user.
    """
    found = store.user_by_name(name)
    if found is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"user {name!r} not found")
    return UserPublic.model_validate(found)


@router.patch("/users/{name}")
def update_user(name: str, body: UserUpdate, store: StoreDep, admin: AdminUser) -> UserPublic:
    """Change a user's role, activity or password.

    Parameters
    ----------
    name : str
        The user's name.
    body : UserUpdate
        The changes.
    store : Store
        The app's store.
    admin : UserInfo
        An admin (who may not demote or deactivate themself: the last admin would lock all out).

    Returns
    -------
    UserPublic
        The user as it now stands.
    """
    _user(store, name)
    if name == admin.name and (body.active is False or body.role not in (None, "admin")):
        raise HTTPException(
            status.HTTP_409_CONFLICT, "an admin may not demote or deactivate themself"
        )
    if body.password is not None:
        store.set_password(name, hash_password(body.password))
    return UserPublic.model_validate(store.update_user(name, role=body.role, active=body.active))


@router.get("/tokens")
def list_tokens(store: StoreDep, _admin: AdminUser, user: str | None = None) -> list[TokenPublic]:
    """API tokens, newest first (never their secrets).

    Parameters
    ----------
    store : Store
        The app's store.
    _admin : UserInfo
        An admin.
    user : str, optional
        Only this user's.

    Returns
    -------
    list of TokenPublic
        The tokens.
    """
    return [TokenPublic.model_validate(t) for t in store.tokens(user, kind="api")]


@router.post("/tokens", status_code=status.HTTP_201_CREATED)
def create_token(body: TokenCreate, store: StoreDep, _admin: AdminUser) -> TokenIssued:
    """Issue an API token; its secret is in this answer only.

    Parameters
    ----------
    body : TokenCreate
        Whose, what for, how long.
    store : Store
        The app's store.
    _admin : UserInfo
        An admin.

    Returns
    -------
    TokenIssued
        The token's record and secret.
    """
    _user(store, body.user)
    issued = store.add_token(body.user, kind="api", label=body.label, lifetime_s=body.lifetime_s)
    return TokenIssued(token=TokenPublic.model_validate(issued.token), secret=issued.secret)


@router.delete("/tokens/{token_id}", status_code=status.HTTP_204_NO_CONTENT)
def revoke_token(token_id: int, store: StoreDep, _admin: AdminUser) -> None:
    """Revoke an API token.

    Parameters
    ----------
    token_id : int
        The token.
    store : Store
        The app's store.
    _admin : UserInfo
        An admin.
    """
    if not any(t.id == token_id for t in store.tokens(kind="api")):
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"token {token_id} not found")
    store.revoke_token(token_id)
