#!/usr/bin/env python3
"""Verify a SyncHub audit bundle offline. Needs only Python 3.11+ and the ``cryptography`` package.

Usage: python verify.py [BUNDLE_DIR] [--trust KEY ...]   (default: the folder this script is in)

Pass the public key you were given through another channel with ``--trust`` (repeat it for keys
rotated out): the manifest and every checkpoint must then be signed by one of them. The script prints
the fingerprint of the key it trusted.

This file is also the reference implementation of the ledger encoding: SyncHub itself imports
``entry_hash`` and ``checkpoint_message`` from here, so the hub and the auditor cannot drift apart.
The encoding is specified in prose in the bundle's README (audit/README.md in the source tree).
Exit status: 0 when the bundle is intact, 1 with the first problem found otherwise.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

GENESIS_HASH = "0" * 64
ENTRY_MAGIC = b"synchub-audit-v1\x00"
CHECKPOINT_MAGIC = b"synchub-audit-checkpoint-v1\x00"
MANIFEST_MAGIC = b"synchub-audit-bundle-v1\x00"
NULL_LENGTH = b"\xff\xff\xff\xff"
ENTRY_FIELDS = (
    "seq",
    "recorded_at",
    "actor",
    "action",
    "entity_type",
    "entity_id",
    "changes",
    "reason",
    "correlation_id",
    "prev_hash",
)


def encode_fields(magic: bytes, values: Iterable[str | int | None]) -> bytes:
    """magic, then per field: 4-byte big-endian length + UTF-8 bytes; NULL is the length 0xFFFFFFFF."""
    parts = [magic]
    for value in values:
        if value is None:
            parts.append(NULL_LENGTH)
            continue
        data = str(value).encode("utf-8")
        parts.append(len(data).to_bytes(4, "big"))
        parts.append(data)
    return b"".join(parts)


def entry_hash(entry: dict[str, object]) -> str:
    """SHA-256 (hex) of one ledger entry; ``entry`` holds the ENTRY_FIELDS as stored (strings, seq int)."""
    return entry_hash_values([entry[name] for name in ENTRY_FIELDS])  # type: ignore[misc]


def entry_hash_values(values: Sequence[str | int | None]) -> str:
    """The same, from the ENTRY_FIELDS values in order (the fast path of a full verification)."""
    return hashlib.sha256(encode_fields(ENTRY_MAGIC, values)).hexdigest()


def checkpoint_message(seq: int, head_hash: str, signed_at: str) -> bytes:
    return encode_fields(CHECKPOINT_MAGIC, (seq, head_hash, signed_at))


def manifest_message(manifest: dict[str, object]) -> bytes:
    """What the manifest signature covers: the range, the count, the link to the entry before the
    range, and each file name with the SHA-256 of its bytes, in name order."""
    files: dict[str, str] = manifest["files"]  # type: ignore[assignment]
    head = [str(manifest[name]) for name in ("from_seq", "to_seq", "count", "prev_hash")]
    return encode_fields(MANIFEST_MAGIC, [*head, *(f"{n}:{d}" for n, d in sorted(files.items()))])


def verify_signature(public_key_hex: str, signature_hex: str, message: bytes) -> bool:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        key = Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_key_hex))
        key.verify(bytes.fromhex(signature_hex), message)
    except (InvalidSignature, ValueError):
        return False
    return True


def fingerprint(public_key_hex: str) -> str:
    """``SHA256:`` and the unpadded base64 of the SHA-256 of the raw key: what a person compares."""
    import base64

    digest = hashlib.sha256(bytes.fromhex(public_key_hex)).digest()
    return "SHA256:" + base64.b64encode(digest).decode("ascii").rstrip("=")


def parse_public_key(text: str) -> str:
    """An Ed25519 public key as lowercase hex, from hex, base64 of the 32 raw bytes, or PEM text."""
    import base64
    import binascii

    text = text.strip()
    if text.startswith("-----BEGIN"):
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

        key = serialization.load_pem_public_key(text.encode("ascii"))
        if not isinstance(key, Ed25519PublicKey):
            raise ValueError("not an Ed25519 public key")
        return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw).hex()
    if len(text) == 64:
        try:
            return bytes.fromhex(text).hex()
        except ValueError:
            pass
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) != 32:
        raise ValueError(f"not an Ed25519 public key (64 hex digits, base64 or PEM): {text[:80]!r}")
    return raw.hex()


def check_chain(entries: Sequence[dict[str, object]], first_prev_hash: str | None = None) -> str | None:
    """Return None when the entries form one intact chain, else a message naming the first bad seq."""
    expected_prev = first_prev_hash
    expected_seq: int | None = None
    for entry in entries:
        seq = entry["seq"]
        if not isinstance(seq, int):
            return f"seq {seq!r}: not an integer"
        if expected_seq is not None and seq != expected_seq:
            return f"seq {expected_seq}: missing (next entry found is seq {seq})"
        if expected_prev is not None and entry["prev_hash"] != expected_prev:
            return f"seq {seq}: prev_hash does not match the hash of the entry before it"
        if entry_hash(entry) != entry["hash"]:
            return f"seq {seq}: hash does not match the entry's contents"
        expected_prev = str(entry["hash"])
        expected_seq = seq + 1
    return None


def check_checkpoints(
    checkpoints: Sequence[dict[str, object]], hashes: dict[int, str], trusted_keys: set[str] | None
) -> str | None:
    """Each checkpoint must be signed by a trusted key and name a (seq, hash) present in ``hashes``."""
    for cp in checkpoints:
        seq, head, key = int(cp["seq"]), str(cp["hash"]), str(cp["public_key"])  # type: ignore[call-overload]
        if trusted_keys is not None and key not in trusted_keys:
            return f"checkpoint at seq {seq}: signed by an untrusted key ({_print_of(key)})"
        message = checkpoint_message(seq, head, str(cp["signed_at"]))
        if not verify_signature(key, str(cp["signature"]), message):
            return f"checkpoint at seq {seq}: signature does not verify"
        if seq not in hashes:
            return f"checkpoint at seq {seq}: entry missing (ledger truncated?)"
        if hashes[seq] != head:
            return f"checkpoint at seq {seq}: ledger hash differs from the signed one (history rewritten?)"
    return None


def _print_of(key: str) -> str:
    try:
        return fingerprint(key)
    except ValueError:
        return f"not a key: {key[:20]!r}"


def verify_bundle(folder: Path, trusted: set[str] | None = None) -> str | None:
    """None when the bundle is intact and signed by a trusted key, else the first problem.

    ``trusted``: the public keys (hex) the auditor was given through another channel; None trusts
    the bundle's own ``public_key.hex`` (the bundle is then only shown to be self-consistent). The
    keys a trusted manifest vouches for in ``trusted_keys.txt`` (keys rotated out) are trusted too.
    """
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    public_key = (folder / "public_key.hex").read_text(encoding="ascii").strip()
    if manifest.get("public_key") != public_key:
        return "manifest: public key differs from public_key.hex"
    if trusted is not None and public_key not in trusted:
        return f"manifest: signed by an untrusted key ({_print_of(public_key)})"
    files = manifest["files"]
    for name, digest in files.items():
        if hashlib.sha256((folder / name).read_bytes()).hexdigest() != digest:
            return f"{name}: contents differ from the signed manifest"
    if not verify_signature(public_key, manifest["signature"], manifest_message(manifest)):
        return "manifest: signature does not verify"
    vouched = set()
    if "trusted_keys.txt" in files:  # covered by the signature through its digest
        lines = (folder / "trusted_keys.txt").read_text(encoding="ascii").split()
        vouched = {parse_public_key(line) for line in lines}
    entries = [json.loads(line) for line in (folder / "entries.jsonl").read_text("utf-8").splitlines()]
    if entries and entries[0]["seq"] != manifest["from_seq"]:
        return f"entries start at seq {entries[0]['seq']}, manifest says {manifest['from_seq']}"
    if len(entries) != manifest["count"]:
        return f"bundle holds {len(entries)} entries, manifest says {manifest['count']}"
    problem = check_chain(entries, manifest.get("prev_hash"))
    if problem:
        return problem
    checkpoints = json.loads((folder / "checkpoints.json").read_text(encoding="utf-8"))
    hashes = {int(e["seq"]): str(e["hash"]) for e in entries}
    in_range = [cp for cp in checkpoints if manifest["from_seq"] <= cp["seq"] <= manifest["to_seq"]]
    return check_checkpoints(in_range, hashes, (trusted or {public_key}) | vouched)


def _trust_argument(value: str) -> str:
    path = Path(value)
    if len(value) != 64 and path.is_file():
        value = path.read_text(encoding="ascii")
    return parse_public_key(value)


def main(argv: list[str]) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="verify.py", description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=Path(__file__).resolve().parent)
    parser.add_argument(
        "--trust",
        action="append",
        metavar="KEY",
        help="public key you were given (hex, base64, PEM, or a file holding one); repeat for keys "
        "rotated out. Without it the bundle's own key is used, which shows consistency, not origin.",
    )
    args = parser.parse_args(argv[1:])
    folder: Path = args.folder
    try:
        trusted = {_trust_argument(k) for k in args.trust} if args.trust else None
        problem = verify_bundle(folder, trusted)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        problem = f"unreadable bundle: {exc.__class__.__name__}: {exc}"
    if problem:
        print(f"FAILED: {problem}")
        return 1
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    signer = fingerprint(manifest["public_key"])
    print(f"OK: {manifest['count']} entries and their checkpoints verify")
    if trusted is None:
        print(f"signed by {signer} (the bundle's own key: compare it with the one you were given, "
              "or pass --trust KEY)")  # fmt: skip
    else:
        print(f"signed by {signer}, a key you trusted with --trust")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
