"""Thin Prefect flows over pipelines/: wiring, logging and retries only."""
