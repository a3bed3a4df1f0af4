"""Settings of the Kingdee K3 Cloud connector (environment prefix ``SYNCHUB_KINGDEE_``)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import SettingsConfigDict

from connectors.settings import ConnectorSettings

__all__ = ["KingdeeSettings"]


class KingdeeSettings(ConnectorSettings):
    model_config = SettingsConfigDict(env_prefix="SYNCHUB_KINGDEE_", extra="ignore")

    base_url: str = Field(
        "https://example.invalid/k3cloud",
        description="WebAPI root ending in /k3cloud, e.g. https://HOST/k3cloud.",
    )
    acct_id: str = Field("", description="Account set id (数据中心 ID, acctID; SDK: X-KDApi-AcctID).")
    username: str = Field("", description="Integration user name (SDK: X-KDApi-UserName).")
    login: Literal["signed", "app_secret", "password"] = Field(
        "signed",
        description="signed: every request carries the SDK's signed headers (X-Api-*, X-Kd-*); "
        "app_secret: session login by LoginByAppSecret; password: session login by ValidateUser.",
    )
    app_id: SecretStr | None = Field(
        None,
        description="Third-party system app id (第三方系统登录授权), <client id>_<32 characters>; its second "
        "part encodes the API gateway secret, so it is kept secret (SDK: X-KDApi-AppID).",
    )
    app_secret: SecretStr | None = Field(None, description="The app's secret (SDK: X-KDApi-AppSec).")
    password: SecretStr | None = Field(None, description="The user's password, for login = password.")
    lcid: int = Field(2052, description="Language: 2052 simplified Chinese (SDK: X-KDApi-LCID).")
    org_num: int = Field(
        0, ge=0, description="Organisation number sent in X-Kd-Appdata, 0 for none (SDK: X-KDApi-OrgNum)."
    )
    main_book_currency: str = Field(
        "PRE001",
        description="AR_receivable FsubHeadFinc.FMAINBOOKSTDCURRID: the account book's base currency "
        "number (本位币; PRE001 is CNY in a fresh account set).",
    )
    exchange_type: str = Field(
        "HLTX01_SYS",
        description="AR_receivable FsubHeadFinc.FEXCHANGETYPE: exchange-rate type number (汇率类型; "
        "HLTX01_SYS is the preset 固定汇率).",
    )
    auto_submit_audit: bool = Field(
        True, description="Save with IsAutoSubmitAndAudit; when false the connector calls Submit and Audit."
    )
    query_limit: int = Field(2000, ge=1, le=10_000, description="Rows per ExecuteBillQuery page.")
    write_off_form: str = Field(
        "AR_BADDEBTLOSS", description="Form id of bad-debt write-offs (坏账损失), pulled as settlements."
    )
    special_invoice_form: str = Field("IV_SALESIC", description="VAT special invoice form (专票).")
    ordinary_invoice_form: str = Field("IV_SALESOC", description="VAT ordinary invoice form (普票).")
    timeout_read: float = Field(20.0, gt=0, description="Seconds to wait for response bytes.")

    def credentials_missing(self) -> list[str]:
        second = ("password",) if self.login == "password" else ("app_id", "app_secret")
        return self.unset("acct_id", "username", *second)
