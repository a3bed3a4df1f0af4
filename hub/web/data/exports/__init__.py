"""The console's lists as Excel workbooks, for the CLI (``synchub export``) and the console
(``/exports/*.xlsx``): each takes its page's filters and returns an :class:`Export` to stream."""

from hub.web.data.exports.audit import audit_export
from hub.web.data.exports.common import Export
from hub.web.data.exports.leads import LeadsQuery, leads_export
from hub.web.data.exports.quarantine import QuarantineQuery, quarantine_export
from hub.web.data.exports.receivables import receivables_export

__all__ = [
    "Export",
    "LeadsQuery",
    "QuarantineQuery",
    "audit_export",
    "leads_export",
    "quarantine_export",
    "receivables_export",
]
