"""Prefect flows: thin wiring over the rooms' functions (each testable without Prefect)."""
