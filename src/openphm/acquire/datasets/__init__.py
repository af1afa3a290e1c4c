"""Loaders of reference data sets in their public layouts (they register file readers)."""
