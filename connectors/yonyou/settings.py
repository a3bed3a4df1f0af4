"""Settings of the Yonyou connector (environment prefix ``SYNCHUB_YONYOU_``): U8 OpenAPI or YonBIP.

Paths and resources stay settings (README.md, conformance table: most are medium confidence). On
YonBIP ``base_url`` is the data-centre lookup host: the tenant's gateway and token addresses come from
``getGatewayAddress?tenantId=`` (``connectors.yonyou.datacenter``), as every oar API page says."""

from __future__ import annotations

from typing import Literal, Self

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import SettingsConfigDict

from connectors.settings import ConnectorSettings

__all__ = ["BIP_DATACENTER_URL", "U8_BASE_URL", "YonyouSettings"]

U8_BASE_URL = "https://api.yonyouup.com"
BIP_DATACENTER_URL = "https://apigateway.yonyoucloud.com"


class YonyouSettings(ConnectorSettings):
    model_config = SettingsConfigDict(env_prefix="SYNCHUB_YONYOU_", extra="ignore")

    edition: Literal["u8", "bip"] = Field("u8", description="u8 (U8/U8+ OpenAPI gateway) or bip (YonBIP).")
    base_url: str = Field(
        U8_BASE_URL,
        description=f"U8 OpenAPI gateway; on YonBIP the data-centre lookup host ({BIP_DATACENTER_URL}).",
    )
    app_key: str = Field("", description="App key (U8 app_key / YonBIP appKey).")
    app_secret: SecretStr | None = Field(None, description="App secret (U8 app_secret / YonBIP appSecret).")
    tenant_id: str = Field("", description="YonBIP: tenant id, to look up the tenant's data-centre gateway.")
    from_account: str = Field("", description="U8: the calling account (from_account).")
    to_account: str = Field("", description="U8: the target enterprise account (to_account).")
    ds_sequence: str = Field("", description="U8: data source sequence (ds_sequence) of the account set.")
    u8_receivable: str = Field("oughtreceive", description="U8: OpenAPI resource of receivable vouchers.")
    u8_customer: str = Field("customer", description="U8: OpenAPI resource of customers.")
    u8_receipt: str = Field("acceptlist", description="U8: list resource of receipts (收款单列表).")
    u8_write_off: str = Field("baddebt", description="U8: resource of bad-debt write-offs (unsourced).")
    u8_invoice: str = Field("saleinvoicelist", description="U8: list resource of sales invoices.")
    bip_gateway_lookup_path: str = Field(
        "/open-auth/dataCenter/getGatewayAddress", description="YonBIP: data-centre lookup, on base_url."
    )
    bip_token_path: str = Field(
        "/open-auth/selfAppAuth/getAccessToken", description="YonBIP: self-built app token, on tokenUrl."
    )
    bip_customer_save: str = Field("/yonbip/digitalModel/merchant/save", description="YonBIP: customer save.")
    bip_customer_list: str = Field("/yonbip/digitalModel/merchant/list", description="YonBIP: customer list.")
    bip_receivable_save: str = Field(
        "/yonbip/fi/oar/single/save",
        description="YonBIP: receivable save: oar/single/save (resubmitCheckKey) or oar/save (batch).",
    )
    bip_receivable_list: str = Field("/yonbip/fi/oar/list", description="YonBIP: receivable list.")
    bip_receipt_list: str = Field(
        "/yonbip/fi/receivebill/list/v2",
        description="YonBIP: receipts list (v2; v1 receivebill/list is marked 即将废弃 by Yonyou).",
    )
    bip_write_off_list: str = Field("/yonbip/fi/baddebt/list", description="YonBIP: write-offs list.")
    bip_invoice_list: str = Field("/yonbip/sd/salesinvoice/list", description="YonBIP: sales invoices list.")
    page_size: int = Field(100, ge=1, le=500, description="Rows per list page.")
    timeout_read: float = Field(20.0, gt=0, description="Seconds to wait for response bytes.")

    @model_validator(mode="after")
    def _bip_default_host(self) -> Self:
        if self.edition == "bip" and "base_url" not in self.model_fields_set:
            self.base_url = BIP_DATACENTER_URL
        return self

    @property
    def bip_single_save(self) -> bool:
        """True when the receivable save is ``oar/single/save`` (an object body and resubmitCheckKey)."""
        return self.bip_receivable_save.rstrip("/").endswith("/single/save")

    def credentials_missing(self) -> list[str]:
        extra = ("tenant_id",) if self.edition == "bip" else ()
        return self.unset("app_key", "app_secret", *extra)
