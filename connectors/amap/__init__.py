"""Amap (高德) Web Service geocoding: batches, signature, one QPS budget per key, quota handling."""

from connectors.amap.client import GEOCODE_PATH, AmapClient, amap_signature
from connectors.amap.errors import AMAP_CODES, QuotaExhaustedError
from connectors.amap.payloads import GeocodeResult
from connectors.amap.settings import AmapSettings

__all__ = [
    "AMAP_CODES",
    "GEOCODE_PATH",
    "AmapClient",
    "AmapSettings",
    "GeocodeResult",
    "QuotaExhaustedError",
    "amap_signature",
]
