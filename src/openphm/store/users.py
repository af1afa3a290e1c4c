"""Users of the service and their bearer secrets (API tokens and login sessions).

A user has a role (``viewer`` < ``engineer`` < ``admin``) and, for a person, an argon2 password
hash made by :mod:`openphm.service.auth` (the store never sees a password). A bearer secret is
random (256 bits from :func:`secrets.token_urlsafe`) and kept only as its sha256: with that much
entropy a fast hash is enough, and a stolen catalogue yields no usable token. These functions run
inside a session that :class:`openphm.store.Store` opens.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import cast, get_args

from sqlalchemy import select
from sqlalchemy.orm import Session

from openphm.core.errors import ConfigError
from openphm.store.models import ApiToken, User
from openphm.store.records import IssuedToken, TokenInfo, TokenKind, UserInfo, UserRole

#: Roles, lowest first.
ROLES: tuple[UserRole, ...] = get_args(UserRole)
#: Prefix of every secret, so that a leaked one is recognised by scanners and people.
SECRET_PREFIX = "ophm_"


def token_hash(secret: str) -> str:
    """The sha256 (hex) under which a bearer secret is stored.

    Parameters
    ----------
    secret : str
        The secret as the client sends it.

    Returns
    -------
    str
        64 hex digits.

    Examples
    --------
    >>> len(token_hash("ophm_abc"))
    64
    """
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def _check_role(role: str) -> UserRole:
    if role not in ROLES:
        raise ConfigError(f"role {role!r} is unknown: give one of {', '.join(ROLES)}")
    return role


def _check_user_name(name: str) -> str:
    clean = name.strip() if isinstance(name, str) else ""
    if not clean or len(clean) > 200 or not clean.isprintable():
        raise ConfigError(f"user name {name!r} is invalid: give 1 to 200 printable characters")
    return clean


def user_info(row: User) -> UserInfo:
    """A user row as a :class:`UserInfo`.

    Parameters
    ----------
    row : User
        The row.

    Returns
    -------
    UserInfo
        Its plain copy (with the password hash, which the service never shows).
    """
    return UserInfo(
        id=row.id,
        name=row.name,
        role=cast(UserRole, row.role),
        active=row.active,
        created_at=row.created_at,
        password_hash=row.password_hash,
    )


def token_info(row: ApiToken, user: str) -> TokenInfo:
    """A token row as a :class:`TokenInfo`.

    Parameters
    ----------
    row : ApiToken
        The row.
    user : str
        Its user's name.

    Returns
    -------
    TokenInfo
        Its plain copy (never the secret, which is not kept).
    """
    return TokenInfo(
        id=row.id,
        user_id=row.user_id,
        user=user,
        kind=cast(TokenKind, row.kind),
        name=row.name,
        created_at=row.created_at,
        expires_at=row.expires_at,
        revoked_at=row.revoked_at,
    )


def user_row(session: Session, name: str) -> User | None:
    """The user of that name, if any.

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Open session.
    name : str
        The user's name.

    Returns
    -------
    User or None
        The row.
    """
    return session.scalars(select(User).where(User.name == name)).one_or_none()


def _existing_user(session: Session, name: str) -> User:
    row = user_row(session, name)
    if row is None:
        raise ConfigError(f"user {name!r} not found")
    return row


def add_user(
    session: Session, name: str, role: str, password_hash: str | None, now: datetime
) -> UserInfo:
    """Add a user.

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Open session.
    name : str
        Unique name.
    role : str
        ``"viewer"``, ``"engineer"`` or ``"admin"``.
    password_hash : str or None
        argon2 hash of the password (None: the user signs in with tokens only).
    now : datetime.datetime
        Creation time.

    Returns
    -------
    UserInfo
        The new user.

    Raises
    ------
    ConfigError
        If the name is invalid or taken, or the role unknown.
    """
    clean = _check_user_name(name)
    checked = _check_role(role)
    if user_row(session, clean) is not None:
        raise ConfigError(f"user {clean!r} already exists")
    row = User(name=clean, role=checked, password_hash=password_hash, active=True, created_at=now)
    session.add(row)
    session.flush()
    return user_info(row)


def update_user(
    session: Session,
    name: str,
    *,
    role: str | None = None,
    active: bool | None = None,
    password_hash: str | None = None,
) -> UserInfo:
    """Change a user's role, activity or password hash (what is None stays).

    Deactivating a user revokes its tokens and sessions.

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Open session.
    name : str
        The user.
    role : str, optional
        New role.
    active : bool, optional
        Whether the user may sign in.
    password_hash : str, optional
        New argon2 password hash.

    Returns
    -------
    UserInfo
        The user as it now stands.

    Raises
    ------
    ConfigError
        If there is no such user or the role is unknown.
    """
    row = _existing_user(session, name)
    if role is not None:
        row.role = _check_role(role)
    if password_hash is not None:
        row.password_hash = password_hash
    if active is not None:
        row.active = active
    session.flush()
    return user_info(row)


def list_users(session: Session) -> list[UserInfo]:
    """All users, by name.

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Open session.

    Returns
    -------
    list of UserInfo
        The users.
    """
    return [user_info(r) for r in session.scalars(select(User).order_by(User.name))]


def add_token(
    session: Session,
    name: str,
    kind: str,
    label: str,
    now: datetime,
    lifetime_s: float | None,
) -> IssuedToken:
    """Issue a new bearer secret to a user; the secret is returned once and kept only hashed.

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Open session.
    name : str
        The user.
    kind : str
        ``"api"`` or ``"session"``.
    label : str
        What it is for (``"historian"``).
    now : datetime.datetime
        Creation time.
    lifetime_s : float or None
        Seconds until it expires (None: until revoked).

    Returns
    -------
    IssuedToken
        Its record and the secret.

    Raises
    ------
    ConfigError
        If there is no such user, or it is inactive, or the kind is unknown.
    """
    if kind not in get_args(TokenKind):
        raise ConfigError(f"token kind {kind!r} is unknown: give 'api' or 'session'")
    user = _existing_user(session, name)
    if not user.active:
        raise ConfigError(f"user {name!r} is inactive: activate it before issuing a token")
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(
        user_id=user.id,
        kind=kind,
        name=label,
        token_hash=token_hash(secret),
        created_at=now,
        expires_at=None if lifetime_s is None else now + timedelta(seconds=lifetime_s),
        revoked_at=None,
    )
    session.add(row)
    session.flush()
    return IssuedToken(token_info(row, user.name), secret)


def user_by_token_hash(session: Session, digest: str, now: datetime) -> UserInfo | None:
    """The active user whose live (not revoked, not expired) secret hashes to ``digest``.

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Open session.
    digest : str
        :func:`token_hash` of the secret presented.
    now : datetime.datetime
        The current time.

    Returns
    -------
    UserInfo or None
        The user, or None when no live secret matches.
    """
    found = session.execute(
        select(ApiToken, User)
        .join(User, User.id == ApiToken.user_id)
        .where(ApiToken.token_hash == digest, ApiToken.revoked_at.is_(None), User.active)
    ).one_or_none()
    if found is None:
        return None
    token, user = found
    if token.expires_at is not None and token.expires_at <= now:
        return None
    return user_info(user)


def revoke_token(session: Session, token_id: int, now: datetime) -> TokenInfo:
    """Revoke a token (or end a session); revoking twice keeps the first time.

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Open session.
    token_id : int
        The token.
    now : datetime.datetime
        The current time.

    Returns
    -------
    TokenInfo
        The token as it now stands.

    Raises
    ------
    ConfigError
        If there is no such token.
    """
    row = session.get(ApiToken, token_id)
    if row is None:
        raise ConfigError(f"token {token_id} not found")
    if row.revoked_at is None:
        row.revoked_at = now
    session.flush()
    return token_info(row, session.get_one(User, row.user_id).name)


def revoke_by_hash(session: Session, digest: str, now: datetime) -> None:
    """Revoke the secret that hashes to ``digest``, if any (a logout).

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Open session.
    digest : str
        :func:`token_hash` of the secret.
    now : datetime.datetime
        The current time.
    """
    row = session.scalars(select(ApiToken).where(ApiToken.token_hash == digest)).one_or_none()
    if row is not None and row.revoked_at is None:
        row.revoked_at = now


def list_tokens(session: Session, name: str | None, kind: str | None) -> list[TokenInfo]:
    """Tokens, newest first, of one user or all, of one kind or all.

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Open session.
    name : str, optional
        Only this user's.
    kind : str, optional
        Only ``"api"`` or ``"session"``.

    Returns
    -------
    list of TokenInfo
        The tokens (never their secrets).
    """
    query = select(ApiToken, User.name).join(User, User.id == ApiToken.user_id)
    if name is not None:
        query = query.where(User.name == name)
    if kind is not None:
        query = query.where(ApiToken.kind == kind)
    rows = session.execute(query.order_by(ApiToken.id.desc())).all()
    return [token_info(t, u) for t, u in rows]
