"""Daily feedback rollups: exact, recomputed from the raw rows by the workers.

- `levels`: the four cell tables and which one answers a grouping.
- `build`: services recomputing dirty days / rebuilding an organization (idempotent).
- `read`: counts from the cells, for the whole clean days of a range.
"""
