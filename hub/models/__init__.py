"""The hub's canonical models. Importing this package registers every table on ``Base.metadata``."""

from hub.models.base import PII, Audited, Base, is_audited, pii_columns, utcnow
from hub.models.crm import ClusterMember, Contact, Customer, CustomerCluster, Lead, MatchCandidate
from hub.models.finance import Contract, Invoice, Payment, ReceivableInstallment
from hub.models.finance_ext import FinanceAlert
from hub.models.intake import QuarantinedRecord, RawRecord, Source, SyncCursor
from hub.models.ops import ExternalRef, GeocodeCache, OAuthToken, OutboxMessage
from hub.models.routing import NotificationLog, RoutingRuleSet

__all__ = [
    "PII",
    "Audited",
    "Base",
    "ClusterMember",
    "Contact",
    "Contract",
    "Customer",
    "CustomerCluster",
    "ExternalRef",
    "FinanceAlert",
    "GeocodeCache",
    "Invoice",
    "Lead",
    "MatchCandidate",
    "NotificationLog",
    "OAuthToken",
    "OutboxMessage",
    "Payment",
    "QuarantinedRecord",
    "RawRecord",
    "ReceivableInstallment",
    "RoutingRuleSet",
    "Source",
    "SyncCursor",
    "is_audited",
    "pii_columns",
    "utcnow",
]
