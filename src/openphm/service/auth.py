"""Authentication: argon2 password hashes, bearer secrets, sessions, and the first admin.

Passwords are hashed with argon2id (:mod:`argon2`, RFC 9106 parameters of ``argon2-cffi``);
API tokens and session secrets are random and stored as their sha256
(:func:`openphm.store.users.token_hash`). There is no default password: the first start of a
service whose store has no user creates an ``admin`` with a random secret that
:func:`ensure_admin` returns once, for the caller to print.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import get_args

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from openphm.store import IssuedToken, Store, UserInfo
from openphm.store.records import UserRole
from openphm.store.users import token_hash

#: Roles, lowest first; a route open to one role is open to those above it.
ROLES: tuple[UserRole, ...] = get_args(UserRole)
#: Name of the administrator created on the first start.
FIRST_ADMIN = "admin"

_hasher = PasswordHasher()
# A hash to verify against when the user does not exist, so that a wrong name costs as long as a
# wrong password (no user enumeration by timing).
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


def role_rank(role: str) -> int:
    """The rank of a role: viewer 0, engineer 1, admin 2.

    Parameters
    ----------
    role : str
        The role.

    Returns
    -------
    int
        Its rank; -1 for an unknown role.

    Examples
    --------
    >>> role_rank("engineer") > role_rank("viewer")
    True
    """
    return ROLES.index(role) if role in ROLES else -1


def hash_password(password: str) -> str:
    """An argon2id hash of a password (salted; its own parameters inside).

    Parameters
    ----------
    password : str
        The password.

    Returns
    -------
    str
        The PHC-format hash (``$argon2id$...``).

    Examples
    --------
    >>> hash_password("correct horse").startswith("$argon2id$")
    True
    """
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Whether a password matches a hash (False for a user without a password).

    Parameters
    ----------
    password_hash : str or None
        The stored hash.
    password : str
        The password given.

    Returns
    -------
    bool
        True when it matches.

    Examples
    --------
    >>> verify_password(hash_password("s3cret"), "s3cret")
    True
    """
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


@dataclass(frozen=True)
class FirstAdmin:
    """The administrator created on the first start, with its secret (print it once).

    Parameters
    ----------
    name : str
        The user name.
    password : str
        The random password.
    """

    name: str
    password: str = field(repr=False)


def ensure_admin(store: Store) -> FirstAdmin | None:
    """Create the first administrator, with a random password, when the store has no user.

    Parameters
    ----------
    store : Store
        The service's store.

    Returns
    -------
    FirstAdmin or None
        Its name and password (shown nowhere else, stored only hashed), or None when users
        exist already.
    """
    if store.users():
        return None
    password = secrets.token_urlsafe(18)
    store.add_user(FIRST_ADMIN, "admin", hash_password(password))
    return FirstAdmin(FIRST_ADMIN, password)


def authenticate_password(store: Store, name: str, password: str) -> UserInfo | None:
    """The active user a name and password sign in, or None.

    Parameters
    ----------
    store : Store
        The service's store.
    name : str
        The user name.
    password : str
        The password.

    Returns
    -------
    UserInfo or None
        The user when the password is right and the user active.
    """
    user = store.user_by_name(name)
    ok = verify_password(None if user is None else user.password_hash, password)
    return user if ok and user is not None and user.active else None


def authenticate_secret(store: Store, secret: str) -> UserInfo | None:
    """The active user a bearer secret (API token or session) belongs to, or None.

    Parameters
    ----------
    store : Store
        The service's store.
    secret : str
        The secret as sent.

    Returns
    -------
    UserInfo or None
        The user when the secret is live.
    """
    if not secret or len(secret) > 200:
        return None
    return store.user_by_token_hash(token_hash(secret))


def start_session(store: Store, user: UserInfo, lifetime_s: float) -> IssuedToken:
    """Open a login session for a user: a secret for the session cookie.

    Parameters
    ----------
    store : Store
        The service's store.
    user : UserInfo
        Who logged in.
    lifetime_s : float
        Seconds the session lasts.

    Returns
    -------
    IssuedToken
        The session's record and secret.
    """
    return store.add_token(user.name, kind="session", label="login", lifetime_s=lifetime_s)


def end_session(store: Store, secret: str) -> None:
    """End the session (or revoke the token) a secret opens.

    Parameters
    ----------
    store : Store
        The service's store.
    secret : str
        The secret.
    """
    store.revoke_token(digest=token_hash(secret))
