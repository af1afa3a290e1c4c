"""``/reports``: the per-measurement diagnosis report (HTML) as :mod:`openphm.diagnose.report`
draws it, from the stored diagnosis and the stored file."""

from __future__ import annotations

from fastapi import APIRouter, status
from fastapi.responses import HTMLResponse

from openphm.core.diagnosis import Diagnosis
from openphm.core.errors import ConfigError, DataError
from openphm.diagnose.report import render_report
from openphm.diagnose.settings import DiagnosisSettings
from openphm.service.deps import CurrentUser, StoreDep
from openphm.service.waveforms import stored_waveform

router = APIRouter(tags=["reports"])


@router.get(
    "/reports/measurements/{measurement_id}",
    response_class=HTMLResponse,
    responses={status.HTTP_200_OK: {"content": {"text/html": {}}}},
)
def measurement_report(
    measurement_id: int, store: StoreDep, _user: CurrentUser, component: int | None = None
) -> HTMLResponse:
    """The diagnosis report of a measurement: verdict, reasons, evidence table and plots.

    Parameters
    ----------
    measurement_id : int
        The measurement.
    store : Store
        The app's store.
    _user : UserInfo
        Anyone signed in.
    component : int, optional
        The bearing (default: the first the point hears); the others are listed beside it.

    Returns
    -------
    fastapi.responses.HTMLResponse
        A self-contained HTML page.
    """
    found = stored_waveform(store, measurement_id)
    results = store.results(measurement_id, kind="diagnosis")
    if not results:
        raise DataError(
            f"measurement {measurement_id} has no diagnosis (status {found.measurement.status})"
        )
    names = {c.id: c.name for c in store.components(found.point.machine_id)}
    order = {cid: i for i, cid in enumerate(found.point.component_ids)}
    chosen = (
        min(results, key=lambda r: order.get(r.component_id or -1, len(order)))
        if component is None
        else next((r for r in results if r.component_id == component), None)
    )
    if chosen is None:
        raise ConfigError(f"component {component} of measurement {measurement_id} not found")
    stored_settings = (chosen.settings or {}).get("diagnosis")
    settings = None if not stored_settings else DiagnosisSettings.from_dict(stored_settings)
    others = {
        names.get(r.component_id or -1, str(r.component_id)): Diagnosis.from_dict(r.payload)
        for r in results
        if r.id != chosen.id
    }
    page = render_report(
        found.waveform, Diagnosis.from_dict(chosen.payload), settings, others=others
    )
    return HTMLResponse(page)
