"""Notifications: templates per event, an outbox in ``notification_log``, robots and SMS within
their limits (excess folded into digests, never dropped), phone numbers always masked."""

from services.notify.channels import Senders, default_senders
from services.notify.service import DispatchReport, NotificationService, enqueue
from services.notify.templates import Template, get_template, register_template, template_keys

__all__ = [
    "DispatchReport",
    "NotificationService",
    "Senders",
    "Template",
    "default_senders",
    "enqueue",
    "get_template",
    "register_template",
    "template_keys",
]
