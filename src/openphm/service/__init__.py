"""The monitoring service: a FastAPI app serving the REST API (``/api/v1``) and the dashboard.

It holds no science: it parses requests, calls :mod:`openphm.pipeline` (ingestion, fleet status,
trends), the store and, for spectra computed on request, :mod:`openphm.signal`, and serialises
the answers. Build the app with :func:`openphm.service.app.create_app`; ``openphm serve`` runs it
with Uvicorn on 127.0.0.1.
"""
