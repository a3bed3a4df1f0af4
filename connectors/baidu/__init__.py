"""Baidu Marketing (百度营销) API: lead notices (线索通知) from search and feed ads."""

from connectors.baidu.connector import BaiduConnector
from connectors.baidu.settings import BaiduSettings

__all__ = ["BaiduConnector", "BaiduSettings"]
