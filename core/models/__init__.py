"""The hub's canonical models. Importing this package registers every table on ``Base.metadata``."""

from core.models.base import PII, Audited, Base, is_audited, pii_columns, utcnow
from core.models.crm import ClusterMember, Contact, Customer, CustomerCluster, Lead, MatchCandidate
from core.models.finance import Contract, Invoice, Payment, ReceivableInstallment
from core.models.finance_ext import FinanceAlert
from core.models.intake import QuarantinedRecord, RawRecord, Source, SyncCursor
from core.models.ops import ExternalRef, GeocodeCache, OAuthToken, OutboxMessage
from core.models.routing import NotificationLog, PersonStatus, RoutingRuleSet

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
    "PersonStatus",
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
