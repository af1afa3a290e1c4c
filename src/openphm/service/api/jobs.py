"""``/jobs``: re-processing jobs ("re-run diagnosis of machine X with settings v2 over 90 days").

Engineers submit, anyone signed in reads. Jobs run on the app's
:class:`~openphm.pipeline.batch.JobBoard`, created with the app's first job on the executor the
settings name (``OPENPHM_BATCH_EXECUTOR``: serial on a background thread, a process pool, or a
Dask scheduler). Job state is kept in memory (no table): a restarted service forgets its jobs,
and a job submitted again resumes from the results the store holds.
"""

from __future__ import annotations

import threading
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Request, status
from pydantic import BaseModel, ConfigDict, Field

from openphm.pipeline.batch import JobBoard, JobStatus
from openphm.service.deps import CurrentUser, EngineerUser, StoreDep
from openphm.service.settings import ServiceSettings

router = APIRouter(tags=["jobs"])

_BOARD_LOCK = threading.Lock()


class JobCreate(BaseModel):
    """A re-processing job to submit.

    Parameters
    ----------
    machine : int or str
        The machine: its id or ``site/machine``.
    days : float or None
        The last N days of measurements (instead of ``since``).
    since, until : datetime.datetime or None
        Acquisition-time span, ``since <= t < until`` (UTC when no zone is given).
    settings : dict
        Processing settings to change (fields of a processing context).
    """

    model_config = ConfigDict(extra="forbid")

    machine: int | str = Field(description="The machine: its id or site/machine.")
    days: Annotated[float, Field(ge=0.0, le=36_500.0)] | None = Field(
        default=None, description="The last N days (instead of since)."
    )
    since: datetime | None = Field(default=None, description="From this acquisition time.")
    until: datetime | None = Field(default=None, description="Before this acquisition time.")
    settings: dict[str, Any] = Field(
        default_factory=dict,
        description='Processing settings to change, e.g. {"diagnosis": {"n_harmonics": 4}}.',
    )


class JobSummaryPublic(BaseModel):
    """What a finished job did (see :class:`openphm.pipeline.batch.BatchSummary`).

    Parameters
    ----------
    items : int
        Measurements in the job.
    skipped : int
        Measurements whose results of these settings were stored already.
    processed : int
        Measurements processed now.
    windows : int
        Windows processed now (one per measurement).
    failed : int
        Measurements that could not be processed (their results before stay).
    lost : int
        Measurements the executor lost (a job submitted again does them).
    seconds : float
        Wall time, s.
    errors : list of str
        The failures' reasons (the first 50).
    """

    items: int
    skipped: int
    processed: int
    windows: int
    failed: int
    lost: int
    seconds: float
    errors: list[str]


class JobPublic(BaseModel):
    """A re-processing job and where it stands (see :class:`openphm.pipeline.batch.JobStatus`).

    Parameters
    ----------
    id : int
        The job.
    machine : str
        ``site/machine``.
    since, until : datetime.datetime or None
        Acquisition-time span.
    settings : dict
        The settings it changes.
    user : str
        Who submitted it.
    state : str
        ``queued``, ``running``, ``done`` or ``failed``.
    submitted_at : datetime.datetime
        When it was submitted.
    items : int
        Measurements to process.
    finished : int
        Measurements finished.
    summary : JobSummaryPublic or None
        What it did, once done.
    error : str
        Why it failed.
    """

    id: int
    machine: str
    since: datetime | None
    until: datetime | None
    settings: dict[str, Any]
    user: str
    state: str
    submitted_at: datetime
    items: int
    finished: int
    summary: JobSummaryPublic | None
    error: str


def _public(job: JobStatus) -> JobPublic:
    return JobPublic.model_validate(job.to_dict())


def job_board(request: Request, store: StoreDep) -> JobBoard:
    """The app's job board, made on first use with the executor its settings name.

    Parameters
    ----------
    request : fastapi.Request
        The request (its app holds the board).
    store : Store
        The app's store.

    Returns
    -------
    JobBoard
        The board.
    """
    state = request.app.state
    with _BOARD_LOCK:
        board = getattr(state, "jobs", None)
        if board is None:
            settings: ServiceSettings = state.settings
            board = JobBoard(store, settings.batch_executor, settings.batch_workers)
            state.jobs = board
    assert isinstance(board, JobBoard)
    return board


@router.post("/jobs", status_code=status.HTTP_202_ACCEPTED)
def submit_job(body: JobCreate, request: Request, store: StoreDep, user: EngineerUser) -> JobPublic:
    """Submit a re-processing job of a machine's stored measurements.

    Parameters
    ----------
    body : JobCreate
        Machine, time span and the settings to change.
    request : fastapi.Request
        The request.
    store : Store
        The app's store.
    user : UserInfo
        An engineer or admin.

    Returns
    -------
    JobPublic
        The queued job (202); follow it at ``/jobs/{id}``.
    """
    board = job_board(request, store)
    job = board.submit(
        body.machine,
        days=body.days,
        since=body.since,
        until=body.until,
        settings=body.settings,
        user=user.name,
    )
    return _public(job)


@router.get("/jobs")
def list_jobs(request: Request, store: StoreDep, _user: CurrentUser) -> list[JobPublic]:
    """Every job since the service started, newest first.

    Parameters
    ----------
    request : fastapi.Request
        The request.
    store : Store
        The app's store.
    _user : UserInfo
        Anyone signed in.

    Returns
    -------
    list of JobPublic
        The jobs.
    """
    return [_public(j) for j in job_board(request, store).jobs()]


@router.get("/jobs/{job_id}")
def get_job(job_id: int, request: Request, store: StoreDep, _user: CurrentUser) -> JobPublic:
    """One job: its state, progress and, once done, its summary.

    Parameters
    ----------
    job_id : int
        The job.
    request : fastapi.Request
        The request.
    store : Store
        The app's store.
    _user : UserInfo
        Anyone signed in.

    Returns
    -------
    JobPublic
        The job (404 when unknown).
    """
    return _public(job_board(request, store).get(job_id))
