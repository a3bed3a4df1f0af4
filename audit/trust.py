"""Which public keys a verification trusts.

A checkpoint names the key that signed it, so anyone holding *some* key can sign a rewritten history;
what makes a checkpoint evidence is that its key is one the verifier expected. Verification trusts:

- the keys given on the command line (``synchub audit verify --trust KEY``), and only those; or else
- the keys in ``SYNCHUB_AUDIT_TRUSTED_KEYS`` (list keys rotated out here, so their checkpoints still
  verify) and the current signing key's public key, when this machine has it.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from audit.bundle_verify import fingerprint, parse_public_key
from core.errors import ConfigError, InputError
from core.settings import HubSettings

__all__ = ["configured_keys", "default_trust", "fingerprint", "parse_trust_options"]


def configured_keys(settings: HubSettings) -> list[str]:
    """``audit_trusted_keys`` as hex, a clear error naming a key that is not one."""
    keys = []
    for text in settings.audit_trusted_keys:
        try:
            keys.append(parse_public_key(text))
        except ValueError as exc:
            raise ConfigError(f"SYNCHUB_AUDIT_TRUSTED_KEYS: {exc}") from None
    return keys


def default_trust(settings: HubSettings) -> set[str]:
    """The configured keys and the current signing key's public key (when this machine holds it)."""
    from audit.checkpoint import load_signing_key, public_key_hex

    trusted = set(configured_keys(settings))
    if settings.audit_signing_key is not None or settings.audit_signing_key_file.exists():
        trusted.add(public_key_hex(load_signing_key(settings)))
    return trusted


def parse_trust_options(values: Iterable[str]) -> set[str]:
    """``--trust`` values: a key (hex, base64 or PEM) or a file holding one (``public_key.hex``)."""
    trusted = set()
    for value in values:
        text = value
        if len(value) != 64 and Path(value).is_file():
            text = Path(value).read_text(encoding="ascii")
        try:
            trusted.add(parse_public_key(text))
        except ValueError as exc:
            raise InputError(f"--trust {value[:80]!r}: {exc}") from None
    return trusted
