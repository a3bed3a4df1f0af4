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
    acct_id: str = Field("", description="Account set id (数据中心 ID, acctID).")
    username: str = Field("", description="Integration user name.")
    login: Literal["app_secret", "password"] = Field(
        "app_secret", description="LoginByAppSecret (app id + secret) or ValidateUser (password)."
    )
    app_id: str = Field(
        "", description="Third-party system app id registered in K3 Cloud (第三方系统登录授权)."
    )
    app_secret: SecretStr | None = Field(None, description="The app's secret.")
    password: SecretStr | None = Field(None, description="The user's password, for login = password.")
    lcid: int = Field(2052, description="Language: 2052 simplified Chinese.")
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
        second = ("app_id", "app_secret") if self.login == "app_secret" else ("password",)
        return self.unset("acct_id", "username", *second)
