"""The canonical lead: what every source's payload is mapped to before it becomes a ``Lead`` row.

``mapping/`` produces it (pure functions); ``services.intake.landing`` turns it into rows. Validation here is
the last line of defence: a payload that cannot become a valid CanonicalLead goes to quarantine.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field, model_validator

__all__ = ["CanonicalLead"]


class CanonicalLead(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    external_id: str = Field(min_length=1, max_length=200, description="The source's own id of the lead.")
    contact_name: str | None = Field(None, max_length=100, description="Person's name without titles.")
    contact_title: str | None = Field(None, max_length=60, description="Title or department split off.")
    phone: str | None = Field(None, description="E.164, e.g. +8613812345678.")
    phone_kind: str | None = Field(None, description="mobile | landline | other")
    email: str | None = Field(None, max_length=200)
    company: str | None = Field(
        None, max_length=200, description="Company name, widths and brackets normalised."
    )
    uscc: str | None = Field(None, min_length=18, max_length=18, description="Validated USCC.")
    address: str | None = Field(None, max_length=300)
    province_hint: str | None = Field(None, max_length=40)
    city_hint: str | None = Field(None, max_length=40)
    budget_min: Decimal | None = Field(None, ge=0, description="Yuan.")
    budget_max: Decimal | None = Field(None, ge=0, description="Yuan; None means open-ended.")
    products: list[str] = Field(
        default_factory=list, description="Product-interest keys, e.g. ortho_consumables."
    )
    channel: str | None = Field(None, max_length=60)
    campaign: str | None = Field(None, max_length=100)
    remark: str | None = None
    submitted_at: datetime | None = None

    @model_validator(mode="after")
    def _reachable(self) -> CanonicalLead:
        if not (self.phone or self.email or self.company or self.uscc):
            raise ValueError("no way to identify or reach anyone: needs a phone, e-mail, company or USCC")
        if self.budget_min is not None and self.budget_max is not None and self.budget_max < self.budget_min:
            raise ValueError("budget_max is below budget_min")
        return self
