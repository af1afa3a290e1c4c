"""Pydantic v2 schemas of the API: a Create / Update / Public family per entity."""
