"""Tencent Ads (腾讯广告) Marketing API v1.3: lead clues (线索) from WeChat / QQ ads."""

from connectors.tencent_ads.connector import TencentAdsConnector
from connectors.tencent_ads.settings import TencentAdsSettings

__all__ = ["TencentAdsConnector", "TencentAdsSettings"]
