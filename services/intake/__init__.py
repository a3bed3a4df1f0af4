"""Leads in: pulls from the ad platforms, spreadsheet imports, the webhook's group-commit lander, landing
(raw payload kept, idempotent), quarantine and replay, geocoding, and the OAuth token store.
"""
