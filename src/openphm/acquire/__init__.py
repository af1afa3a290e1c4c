"""Data acquisition (ISO 13374 DA): file readers into core types and reference-dataset loaders."""

from openphm.acquire.registry import FileSource, read, readers, register_reader

__all__ = ["FileSource", "read", "readers", "register_reader"]
