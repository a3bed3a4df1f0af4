"""The ground floor: settings, the error tree, the SQLAlchemy models and personal-data masking.

Every other package may import it; it imports none of them (``lint-imports`` enforces the floors of
``docs/architecture.md``).
"""
