"""The domain services: lead intake and landing (``intake``), routing and the SLA clock (``routing``),
notifications (``notify``), contracts to receivables (``finance``) and the ops status figures.

Plain functions over the store and the connectors; the flows, the CLI, the API and the console call
them, and they call none of those.
"""
