"""Personal data at rest (PIPL, 等保 level 3): ID numbers and phones are encrypted, never stored in clear.

- `encrypt`/`decrypt` use Fernet (AES-128-CBC + HMAC-SHA256, from `cryptography`). MultiFernet lets an
  operator rotate keys: the first key of YANZHEN_FIELD_KEYS encrypts, all of them decrypt.
- `keyed_hash` is an HMAC-SHA256 under a separate key derived from the first field key, for uniqueness and
  exact lookup without decrypting (a plain hash of an ID number is guessable: the space is small).
- `sign`/`signature_matches` are HMACs under keys derived per purpose, for files that must prove they were
  made by a holder of the field keys (the backup manifest, `ops.archive`).

Keys come from the environment (YANZHEN_FIELD_KEYS, comma-separated Fernet keys); never from the repository.
In the demo and DEBUG a development key is derived from the SECRET_KEY so `make run` needs no set-up.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings


@lru_cache(maxsize=1)
def _keys() -> tuple[bytes, ...]:
    configured = [k.strip() for k in getattr(settings, "FIELD_ENCRYPTION_KEYS", []) if k.strip()]
    if configured:
        return tuple(k.encode() for k in configured)
    # Only reached in the demo, development and tests: settings refuse to start without keys otherwise.
    derived = hashlib.sha256(("yanzhen-dev-field-key:" + settings.SECRET_KEY).encode()).digest()
    return (base64.urlsafe_b64encode(derived),)


@lru_cache(maxsize=1)
def _fernet() -> MultiFernet:
    return MultiFernet([Fernet(key) for key in _keys()])


@lru_cache(maxsize=1)
def _hash_key() -> bytes:
    return hmac.new(_keys()[0], b"yanzhen keyed hash v1", hashlib.sha256).digest()


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode() if value else ""


def decrypt(token: str) -> str:
    return _fernet().decrypt(token.encode()).decode() if token else ""


def keyed_hash(value: str) -> str:
    return hmac.new(_hash_key(), value.encode(), hashlib.sha256).hexdigest() if value else ""


def _signing_key(key: bytes, purpose: str) -> bytes:
    return hmac.new(key, b"yanzhen signature v1:" + purpose.encode(), hashlib.sha256).digest()


def sign(data: bytes, *, purpose: str) -> str:
    """HMAC-SHA256 of `data` under a key derived from the first field key and the purpose.

    Used where a file must prove it was made by a holder of the field keys (the backup manifest): a
    checksum alone is recomputed by whoever alters the file."""
    return hmac.new(_signing_key(_keys()[0], purpose), data, hashlib.sha256).hexdigest()


def signature_matches(data: bytes, signature: str, *, purpose: str) -> bool:
    """True when `signature` is `sign(data)` under any configured key, so files signed before a key
    rotation still verify while the old key is kept after the new one."""
    return any(
        hmac.compare_digest(hmac.new(_signing_key(key, purpose), data, hashlib.sha256).hexdigest(), signature)
        for key in _keys()
    )


def signers(purpose: str) -> list[hmac.HMAC]:
    """Running HMACs, one per configured key (the first signs), for files too large to hold in memory
    (the whole backup archive): feed each the same bytes, then compare with any of them."""
    return [hmac.new(_signing_key(key, purpose), digestmod=hashlib.sha256) for key in _keys()]


def generate_key() -> str:
    return Fernet.generate_key().decode()
