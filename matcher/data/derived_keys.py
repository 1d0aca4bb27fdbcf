"""Keys derived from the signing key, one per purpose, so that no two uses share a key.

HKDF-SHA256 under a purpose label turns SECRET_KEY (and each of SECRET_KEY_FALLBACKS) into
a key for one job: the citizen's answer cookie, the TOTP secrets at rest when they have no
key of their own, the hand-off codes. The newest key encrypts; every key decrypts, so
rotating SECRET_KEY with the old one kept as a fallback keeps what was written readable.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF


def signing_keys(config: Mapping[str, Any]) -> tuple[bytes, ...]:
    """SECRET_KEY, then its fallbacks, as bytes (the material every derived key starts from)."""
    material = (config.get("SECRET_KEY"), *(config.get("SECRET_KEY_FALLBACKS") or ()))
    return tuple(item.encode() if isinstance(item, str) else bytes(item)
                 for item in material if item)


def derive(material: str | bytes, purpose: bytes) -> bytes:
    """32 bytes for purpose from material (HKDF-SHA256, no salt: the material is a key)."""
    raw = material.encode() if isinstance(material, str) else bytes(material)
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose).derive(raw)


def fernet_key(material: str | bytes, purpose: bytes) -> bytes:
    return base64.urlsafe_b64encode(derive(material, purpose))


@lru_cache(maxsize=16)
def cipher(materials: tuple[bytes, ...], purpose: bytes) -> MultiFernet:
    """The newest key encrypts, all decrypt; made once per key set (HKDF is not free on
    every request)."""
    return MultiFernet([Fernet(fernet_key(raw, purpose)) for raw in materials])
