"""Schemas of users, logins and API tokens."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

#: Roles, lowest first.
Role = Literal["viewer", "engineer", "admin"]


class UserPublic(BaseModel):
    """A user as the API shows it (never the password hash).

    Parameters
    ----------
    id : int
        The user's id.
    name : str
        The user's name.
    role : {"viewer", "engineer", "admin"}
        The role.
    active : bool
        Whether the user may sign in.
    created_at : datetime
        When the user was created (UTC).
    """

    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    role: Role
    active: bool
    created_at: datetime


class UserCreate(BaseModel):
    """A new user.

    Parameters
    ----------
    name : str
        Unique name, 1 to 200 printable characters.
    role : {"viewer", "engineer", "admin"}
        The role.
    password : str or None
        The password (at least 8 characters); None for a system that uses API tokens only.
    """

    name: str = Field(min_length=1, max_length=200)
    role: Role = "viewer"
    password: str | None = Field(default=None, min_length=8, max_length=1024)


class UserUpdate(BaseModel):
    """Changes to a user (what is absent stays).

    Parameters
    ----------
    role : {"viewer", "engineer", "admin"} or None
        New role.
    active : bool or None
        Whether the user may sign in (False also revokes its tokens).
    password : str or None
        New password (at least 8 characters).
    """

    role: Role | None = None
    active: bool | None = None
    password: str | None = Field(default=None, min_length=8, max_length=1024)


class LoginRequest(BaseModel):
    """A person's login.

    Parameters
    ----------
    name : str
        The user name.
    password : str
        The password.
    """

    name: str = Field(min_length=1, max_length=200)
    password: str = Field(min_length=1, max_length=1024)


class TokenCreate(BaseModel):
    """A new API token.

    Parameters
    ----------
    user : str
        The user it acts as.
    label : str
        What it is for (``"historian"``).
    lifetime_s : float or None
        Seconds until it expires (None: until revoked).
    """

    user: str = Field(min_length=1, max_length=200)
    label: str = Field(default="", max_length=200)
    lifetime_s: float | None = Field(default=None, gt=0, le=10 * 365 * 86400)


class TokenPublic(BaseModel):
    """An API token's record (never its secret).

    Parameters
    ----------
    id : int
        The token's id.
    user : str
        The user it acts as.
    kind : {"api", "session"}
        An API token or a login session.
    name : str
        Its label.
    created_at : datetime
        When it was issued.
    expires_at : datetime or None
        When it expires.
    revoked_at : datetime or None
        When it was revoked.
    """

    model_config = ConfigDict(from_attributes=True)

    id: int
    user: str
    kind: Literal["api", "session"]
    name: str
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None


class TokenIssued(BaseModel):
    """A token just issued, with its secret: shown this once, kept only hashed.

    Parameters
    ----------
    token : TokenPublic
        Its record.
    secret : str
        The secret to send as ``Authorization: Bearer <secret>``.
    """

    token: TokenPublic
    secret: str
