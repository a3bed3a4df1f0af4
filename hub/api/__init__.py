"""The hub's HTTP API (``synchub serve-api``): the signed web-form webhook, contract intake, routing's
"contacted" and explanation, metrics, and the tuning that keeps the webhook fast under load.
"""
