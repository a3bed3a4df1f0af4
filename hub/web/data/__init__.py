"""What each console page shows, as pydantic models (the JSON API's schema) built by plain functions.

Writes go through the rooms' own functions (``dedupe.review``, ``services.intake.quarantine``,
``services.finance.outbox``); these modules only read, and mask personal values before anything leaves.
"""
