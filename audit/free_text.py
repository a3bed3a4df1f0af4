"""Personal values typed into free text never reach the chain in clear.

Columns declared personal (``info=PII``) are replaced by their digest in :mod:`audit.capture`. A phone
number typed into a remark, a company "named" after its phone, an e-mail address in an error message or
an ID number in an event's details would still enter the chain as plain text, where no erasure can reach
it. So every other text value of an entry (row values, event details, nested JSON) is scanned with
:func:`core.redact.find_personal`; a text holding a phone, an e-mail address or a resident ID number
is stored like a personal column: ``{"$pii": DIGEST}`` in the chain, the text and its salt in
``audit_personal_data``, erasable. The entry's ``reason`` is masked instead (it is not a value that
history needs back).
"""

from __future__ import annotations

from typing import Any

from audit.encoding import canonical_json, pii_digest
from core.redact import find_personal, mask_email, mask_phone

__all__ = ["mask_personal", "protect_free_text"]

_SEQUENCES = (list, tuple)
_CONTAINERS = (dict, list, tuple)  # numbers, times, decimals and None hold no text


def _stored(text: str, personal: list[dict[str, Any]], entity_id: str) -> dict[str, str]:
    value = canonical_json(text)
    salt, digest = pii_digest(value)
    personal.append({"digest": digest, "salt": salt, "value": value, "entity_id": entity_id})
    return {"$pii": digest}


def _protect(value: Any, personal: list[dict[str, Any]], entity_id: str) -> Any:
    """``value`` with its personal texts replaced; the same object when there was none (this runs for
    every value the ledger records, so nothing is copied unless it changes)."""
    if isinstance(value, str):
        return _stored(value, personal, entity_id) if find_personal(value) else value
    if isinstance(value, dict):
        if len(value) == 1 and "$pii" in value:
            return value
        changed: dict[str, Any] | None = None
        for key, item in value.items():
            if isinstance(item, str):  # inline: most values are short texts holding nothing
                if not find_personal(item):
                    continue
                new: Any = _stored(item, personal, entity_id)
            elif isinstance(item, _CONTAINERS):
                new = _protect(item, personal, entity_id)
                if new is item:
                    continue
            else:
                continue
            changed = changed if changed is not None else dict(value)
            changed[key] = new
        return value if changed is None else changed
    if isinstance(value, _SEQUENCES):
        items = [_protect(item, personal, entity_id) for item in value]
        return value if all(a is b for a, b in zip(items, value, strict=True)) else items
    return value


def protect_free_text(changes: dict[str, Any], personal: list[dict[str, Any]], entity_id: str) -> None:
    """Replace, in place, every text of ``changes`` that holds a personal value by its digest."""
    for side, values in changes.items():
        changes[side] = _protect(values, personal, entity_id)


def mask_personal(text: str | None) -> str | None:
    """``text`` with every phone, e-mail address and ID number masked (landlines too)."""
    if not text:
        return text
    found = find_personal(text)
    for match in reversed(found):
        if match.kind == "email":
            shown = mask_email(match.text)
        elif match.kind == "id":
            shown = f"{match.text[:6]}********{match.text[-4:]}"
        else:
            shown = mask_phone(match.text)
        text = text[: match.start] + shown + text[match.end :]
    return text
