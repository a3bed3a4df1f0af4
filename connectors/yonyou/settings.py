"""Settings of the Yonyou connector (environment prefix ``SYNCHUB_YONYOU_``): U8 OpenAPI or YonBIP,
and the paths that vary by edition (API-NOTES.md: medium confidence, so every path is a setting)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import SettingsConfigDict

from connectors.settings import ConnectorSettings

__all__ = ["YonyouSettings"]


class YonyouSettings(ConnectorSettings):
    model_config = SettingsConfigDict(env_prefix="SYNCHUB_YONYOU_", extra="ignore")

    edition: Literal["u8", "bip"] = Field("u8", description="u8 (U8/U8+ OpenAPI gateway) or bip (YonBIP).")
    base_url: str = Field("https://api.yonyouup.com", description="U8 OpenAPI gateway or YonBIP API root.")
    app_key: str = Field("", description="App key (U8 app_key / YonBIP appKey).")
    app_secret: SecretStr | None = Field(None, description="App secret (U8 app_secret / YonBIP appSecret).")
    from_account: str = Field("", description="U8: the calling account (from_account).")
    to_account: str = Field("", description="U8: the target enterprise account (to_account).")
    ds_sequence: str = Field("", description="U8: data source sequence (ds_sequence) of the account set.")
    u8_receivable: str = Field("oughtreceive", description="U8: OpenAPI resource of receivable vouchers.")
    u8_customer: str = Field("customer", description="U8: OpenAPI resource of customers.")
    u8_receipt: str = Field("receivevouch", description="U8: resource of receipts (收款单).")
    u8_write_off: str = Field("baddebt", description="U8: resource of bad-debt write-offs.")
    u8_invoice: str = Field("saleinvoice", description="U8: resource of sales invoices.")
    bip_token_path: str = Field(
        "/iuap-api-auth/open-auth/selfAppAuth/getAccessToken", description="YonBIP: self-built app token."
    )
    bip_customer_save: str = Field("/yonbip/digitalModel/merchant/save", description="YonBIP: customer save.")
    bip_customer_list: str = Field("/yonbip/digitalModel/merchant/list", description="YonBIP: customer list.")
    bip_receivable_save: str = Field("/yonbip/fi/oar/save", description="YonBIP: receivable save.")
    bip_receivable_list: str = Field("/yonbip/fi/oar/list", description="YonBIP: receivable list.")
    bip_receipt_list: str = Field("/yonbip/fi/receivebill/list", description="YonBIP: receipts list.")
    bip_write_off_list: str = Field("/yonbip/fi/baddebt/list", description="YonBIP: write-offs list.")
    bip_invoice_list: str = Field("/yonbip/sd/salesinvoice/list", description="YonBIP: sales invoices list.")
    page_size: int = Field(100, ge=1, le=500, description="Rows per list page.")
    timeout_read: float = Field(20.0, gt=0, description="Seconds to wait for response bytes.")

    def credentials_missing(self) -> list[str]:
        return self.unset("app_key", "app_secret")
