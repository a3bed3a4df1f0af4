"""Find records by what people know: a contract number, a company name, a phone, a lead id or an
entity key (``customer:28``), typed into one box.

:func:`find` reads the text every way it can and returns the matching records best first, each a
:class:`Hit` saying why it matched; :func:`related_keys` widens hits to the records an auditor reads
with them (a customer's cluster, contracts, leads and contacts; a contract's installments) and
:func:`receivable_scope` to the contracts and customers a receivables list shows.

- **Contract number**: equal (case folded), else containing the text.
- **Company name**: through dedupe's normaliser (:func:`dedupe.prepare`: core, trade name, pinyin), so
  a trade name (智联), a homophone typo (志联) or another spelling (智联医械(杭州)) finds the registered
  name; otherwise rapidfuzz similarity of the cores and of their pinyin (``names.SIMILAR``).
  Customers without a company name (a person's name or a phone standing in) are never compared.
- **Phone**: normalised as the intake does (:func:`mapping.normalise_phone`, E.164) and compared with the
  stored columns, which hold the number itself (E.164 from the intake, as given from an ERP): the
  search writes nothing and shows only the masked number.
- **Lead id**: ``#123``, ``lead 123``, ``线索 123``; a bare number is also tried as a lead id, ranked lower.
"""

from services.search.finder import WHY, Hit, find
from services.search.scope import MAX_RELATED, receivable_scope, related_keys

__all__ = ["MAX_RELATED", "WHY", "Hit", "find", "receivable_scope", "related_keys"]
