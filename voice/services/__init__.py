"""Writes of the voice app (ingest, processing, …), re-exported per module."""
