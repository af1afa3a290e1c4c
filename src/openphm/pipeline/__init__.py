"""The ISO 13374 chain run on measurements: one item or a batch, and ingestion."""
