"""Data acquisition (ISO 13374 DA): file readers into core types and reference-dataset loaders."""
