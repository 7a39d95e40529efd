"""The DuckDB warehouse: its stored tables (schema.sql), its layered SQL models (models.py), its dictionary,
and the copy-and-rename that publishes it (publish.py)."""
