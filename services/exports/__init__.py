"""Excel exports: a streaming .xlsx writer (:mod:`services.exports.xlsx`), receivables aging
(:mod:`services.exports.aging`) and the record of a personal-data reveal (:mod:`services.exports.reveal`).

What each export contains is decided next to the console page it mirrors (``hub.web.data.exports``),
since the pages' filters and masking live in the shell; this package holds what does not depend on them.
"""

from services.exports.aging import BUCKETS, AgingTotals, bucket_of, outstanding_of
from services.exports.reveal import REVEAL, record_reveal
from services.exports.xlsx import (
    DATE,
    DATETIME,
    FORMULA_START,
    MONEY,
    Column,
    Sheet,
    safe_text,
    write_workbook,
)

__all__ = [
    "BUCKETS",
    "DATE",
    "DATETIME",
    "FORMULA_START",
    "MONEY",
    "REVEAL",
    "AgingTotals",
    "Column",
    "Sheet",
    "bucket_of",
    "outstanding_of",
    "record_reveal",
    "safe_text",
    "write_workbook",
]
