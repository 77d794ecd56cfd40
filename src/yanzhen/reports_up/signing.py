"""Signing the snapshots filed upward (issue 20 §3): Ed25519 over the canonical JSON of a snapshot's content.

Each deployment holds one private key (`YANZHEN_SIGNING_KEY`: the 32-byte seed, base64; `yanzhen snapshot
generate-key` makes one). Its key id is the first 16 hex digits of the SHA-256 of the raw public key, and every
signature carries it, so a deployment receiving a file knows which public key to check it with. A province's
deployment trusts its own key and the public keys of its counties' deployments (`YANZHEN_TRUSTED_SIGNING_KEYS`,
comma-separated base64 public keys; `yanzhen snapshot public-key` prints a deployment's). In the demo and DEBUG a
development key is derived from the SECRET_KEY; in production a deployment without a key cannot submit (the
message names the setting) and can still import what others signed.

The canonical JSON is `json.dumps(..., sort_keys=True, ensure_ascii=False, separators=(",", ":"))` in UTF-8:
the same content gives the same bytes whatever order its keys were written in.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.conf import settings
from django.core.exceptions import ValidationError

ALGORITHM = "Ed25519"
NO_KEY_MESSAGE = "本部署未配置签名密钥 YANZHEN_SIGNING_KEY（用 yanzhen snapshot generate-key 生成），不能上报"


def canonical(content: dict) -> bytes:
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def _seed() -> bytes | None:
    configured = getattr(settings, "SIGNING_KEY", "")
    if configured:
        try:
            seed = base64.b64decode(configured, validate=True)
        except (binascii.Error, ValueError):
            seed = b""
        if len(seed) != 32:
            raise ValidationError({"signature": "签名密钥 YANZHEN_SIGNING_KEY 无效：应为 32 字节的 base64"})
        return seed
    if settings.DEVELOPMENT_DEFAULTS:
        return hashlib.sha256(("yanzhen-dev-signing-key:" + settings.SECRET_KEY).encode()).digest()
    return None


def private_key() -> Ed25519PrivateKey:
    seed = _seed()
    if seed is None:
        raise ValidationError({"signature": NO_KEY_MESSAGE})
    return Ed25519PrivateKey.from_private_bytes(seed)


def raw_public(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(Encoding.Raw, PublicFormat.Raw)


def key_id_of(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()[:16]


def own_public_key() -> str:
    """This deployment's public key, base64 (what a province adds to its trusted keys)."""
    return base64.b64encode(raw_public(private_key().public_key())).decode()


def trusted_keys() -> dict[str, Ed25519PublicKey]:
    """Key id: public key, for every key this deployment accepts: its own, and the configured ones."""
    found: dict[str, Ed25519PublicKey] = {}
    texts = [text.strip() for text in getattr(settings, "TRUSTED_SIGNING_KEYS", []) if text.strip()]
    if _seed() is not None:
        texts.append(own_public_key())
    for text in texts:
        try:
            raw = base64.b64decode(text, validate=True)
            found[key_id_of(raw)] = Ed25519PublicKey.from_public_bytes(raw)
        except (binascii.Error, ValueError):
            continue  # a malformed configured key trusts nothing
    return found


@dataclass(frozen=True)
class Signature:
    key_id: str
    value: str  # base64

    def as_dict(self) -> dict:
        return {"algorithm": ALGORITHM, "key_id": self.key_id, "value": self.value}


def sign(content: dict) -> Signature:
    key = private_key()
    return Signature(
        key_id=key_id_of(raw_public(key.public_key())),
        value=base64.b64encode(key.sign(canonical(content))).decode(),
    )


def verifies(content: dict, key_id: str, value: str) -> bool:
    """True when `value` is a signature of the content by the trusted key `key_id`."""
    key = trusted_keys().get(key_id)
    if key is None:
        return False
    try:
        key.verify(base64.b64decode(value, validate=True), canonical(content))
    except (InvalidSignature, binascii.Error, ValueError):
        return False
    return True


def generate_key() -> str:
    """A new private key's seed, base64 (for YANZHEN_SIGNING_KEY)."""
    from cryptography.hazmat.primitives.serialization import NoEncryption, PrivateFormat

    key = Ed25519PrivateKey.generate()
    return base64.b64encode(key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())).decode()
