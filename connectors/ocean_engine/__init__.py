"""Ocean Engine (巨量引擎) Marketing API: leads (线索) from Douyin / Toutiao ads."""

from connectors.ocean_engine.connector import OceanEngineConnector
from connectors.ocean_engine.settings import OceanEngineSettings

__all__ = ["OceanEngineConnector", "OceanEngineSettings"]
