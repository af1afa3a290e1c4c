"""``/measurements/{id}/results`` and ``/diagnoses``: what processing stored, with evidence."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from openphm.core.errors import ConfigError
from openphm.service.deps import CurrentUser, StoreDep
from openphm.service.schemas.measurements import DiagnosisPublic, ResultPublic
from openphm.store import ResultInfo, Store

router = APIRouter(tags=["results"])


def _diagnosis(result: ResultInfo, names: dict[int, str]) -> DiagnosisPublic:
    payload = dict(result.payload)
    return DiagnosisPublic(
        result_id=result.id,
        measurement_id=result.measurement_id,
        component_id=result.component_id,
        component=names.get(result.component_id or -1, ""),
        verdict=str(payload.get("verdict", "")),
        confidence=float(payload.get("confidence", 0.0)),
        reasons=[str(r) for r in payload.get("reasons", [])],
        evidence=list(payload.get("evidence", [])),
        payload=payload,
    )


def _component_names(store: Store, machine_id: int) -> dict[int, str]:
    return {c.id: c.name for c in store.components(machine_id)}


@router.get("/measurements/{measurement_id}/results")
def list_results(
    measurement_id: int, store: StoreDep, _user: CurrentUser, kind: str | None = None
) -> list[ResultPublic]:
    """A measurement's stored results with their provenance.

    Parameters
    ----------
    measurement_id : int
        The measurement.
    store : Store
        The app's store.
    _user : UserInfo
        Anyone signed in.
    kind : str, optional
        Only this kind (``"indicators"``, ``"severity"``, ``"diagnosis"``).

    Returns
    -------
    list of ResultPublic
        The results.
    """
    store.measurement(measurement_id)
    return [ResultPublic.model_validate(r) for r in store.results(measurement_id, kind=kind)]


@router.get("/measurements/{measurement_id}/diagnoses")
def measurement_diagnoses(
    measurement_id: int, store: StoreDep, _user: CurrentUser
) -> list[DiagnosisPublic]:
    """The bearing diagnoses of a measurement, with their evidence.

    Parameters
    ----------
    measurement_id : int
        The measurement.
    store : Store
        The app's store.
    _user : UserInfo
        Anyone signed in.

    Returns
    -------
    list of DiagnosisPublic
        One per bearing the point hears.
    """
    point = store.point(store.measurement(measurement_id).point_id)
    names = _component_names(store, point.machine_id)
    return [_diagnosis(r, names) for r in store.results(measurement_id, kind="diagnosis")]


@router.get("/machines/{machine_id}/components/{component_id}/diagnoses")
def component_diagnoses(
    machine_id: int,
    component_id: int,
    store: StoreDep,
    _user: CurrentUser,
    limit: Annotated[int, Query(ge=1, le=1000)] = 20,
) -> list[DiagnosisPublic]:
    """A bearing's diagnoses, newest first.

    Parameters
    ----------
    machine_id : int
        The machine.
    component_id : int
        The bearing.
    store : Store
        The app's store.
    _user : UserInfo
        Anyone signed in.
    limit : int
        At most this many.

    Returns
    -------
    list of DiagnosisPublic
        The diagnoses.
    """
    names = _component_names(store, machine_id)
    if component_id not in names:
        raise ConfigError(f"component {component_id} of machine {machine_id} not found")
    found = sorted(store.results(kind="diagnosis", component_id=component_id), key=lambda r: -r.id)
    return [_diagnosis(r, names) for r in found[:limit]]
