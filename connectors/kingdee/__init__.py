"""Kingdee K3 Cloud (金蝶云星空) WebAPI: customers, receivables, receipts and invoices (see README.md)."""

from connectors.kingdee.client import KingdeeClient, SaveRefused
from connectors.kingdee.gateway import KingdeeGateway
from connectors.kingdee.settings import KingdeeSettings

__all__ = ["KingdeeClient", "KingdeeGateway", "KingdeeSettings", "SaveRefused"]
