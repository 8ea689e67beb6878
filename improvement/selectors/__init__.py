"""Reads of the improvement app; every function takes `organization=` and filters by it."""
