"""The store: engines and sessions with the ledger always on, schema migrations (Alembic) and SQLite's
WAL checkpoints. It sits on ``audit`` so that no engine or session it hands out can skip the ledger.
"""
