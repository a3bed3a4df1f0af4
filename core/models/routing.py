"""Routing and notification records: the rule and territory files in force, and every message sent.

Both are audited (inherit :class:`Audited`): a rule file's content and digest are evidence of why a
lead went where it went, and the notification log is the record of who was told what and when (a
folded message points at the digest that carried it, so nothing is silently dropped).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.models.base import PII, Audited, Base, Timestamps, utcnow

__all__ = ["NotificationLog", "PersonStatus", "RoutingRuleSet"]


class RoutingRuleSet(Audited, Timestamps, Base):
    """One version of a routing rules or territories file, stored when it is first used."""

    __tablename__ = "routing_rule_sets"
    __table_args__ = (UniqueConstraint("kind", "digest"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), doc="rules | territories")
    digest: Mapped[str] = mapped_column(String(64), doc="sha256 of the file's bytes")
    version: Mapped[str | None] = mapped_column(String(40), default=None, doc="the file's own version field")
    path: Mapped[str] = mapped_column(String(300))
    content: Mapped[str] = mapped_column(Text)
    loaded_at: Mapped[datetime] = mapped_column(default=utcnow)


class NotificationLog(Audited, Timestamps, Base):
    """A message owed to a robot or a phone: sent, folded into a later digest, or failed."""

    __tablename__ = "notification_log"
    __table_args__ = (
        Index("ix_notification_log_window", "channel", "target", "sent_at"),
        Index("ix_notification_log_pending", "channel", "target", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    business_key: Mapped[str] = mapped_column(String(200), unique=True, doc="event:lead:channel:target")
    channel: Mapped[str] = mapped_column(String(20), doc="dingtalk | wecom | sms")
    target: Mapped[str] = mapped_column(String(100), doc="robot name, or the masked phone for SMS")
    recipient: Mapped[str | None] = mapped_column(String(40), default=None, info=PII, doc="SMS number")
    event: Mapped[str] = mapped_column(String(40), doc="template key, or digest")
    lead_id: Mapped[int | None] = mapped_column(ForeignKey("leads.id"), default=None, index=True)
    status: Mapped[str] = mapped_column(String(20), default="pending", doc="sent | folded | failed")
    title: Mapped[str] = mapped_column(String(200), default="")
    body: Mapped[str] = mapped_column(Text, default="", doc="as sent: phones masked")
    sent_at: Mapped[datetime | None] = mapped_column(default=None)
    digest_id: Mapped[int | None] = mapped_column(
        ForeignKey("notification_log.id"), default=None, doc="the digest that carried a folded message"
    )
    error: Mapped[str | None] = mapped_column(Text, default=None)
    not_before: Mapped[datetime | None] = mapped_column(
        default=None, doc="A throttled robot: the vendor blocks it until then (DingTalk: 10 minutes)."
    )


class PersonStatus(Audited, Timestamps, Base):
    """A salesperson who left (or came back): people are named in the territories file, their status
    lives here so that a handover is one audited change and nobody who left gets a new lead."""

    __tablename__ = "person_status"
    __table_args__ = (UniqueConstraint("person"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person: Mapped[str] = mapped_column(String(60), doc="the key in the territories file")
    status: Mapped[str] = mapped_column(String(20), default="active", doc="active | left")
    handed_to: Mapped[str | None] = mapped_column(
        String(60), default=None, doc="the colleague, or pool:TEAM, who took their customers over"
    )
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)
