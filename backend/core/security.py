"""Tokens, password hashes and secret encryption. Nothing here logs a secret."""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import os
import secrets

from cryptography.fernet import Fernet, InvalidToken

from backend.core.config import get_settings

__all__ = [
    "new_token",
    "hash_token",
    "tokens_equal",
    "hash_password",
    "verify_password",
    "encrypt_secret",
    "decrypt_secret",
    "ROLE_RANK",
    "role_allows",
]

ROLE_RANK = {"viewer": 0, "operator": 1, "admin": 2}
TOKEN_PREFIX = "spio_"


def role_allows(role: str, needed: str) -> bool:
    return ROLE_RANK.get(role, -1) >= ROLE_RANK[needed]


def new_token() -> str:
    """A fresh bearer token (256 bits); only its hash is ever stored."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    # Tokens are long and random, so a fast hash is right here (unlike passwords).
    return hashlib.sha256(token.encode()).hexdigest()


def tokens_equal(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


def hash_password(password: str, *, salt: bytes | None = None) -> str:
    salt = salt or os.urandom(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=2**14, r=8, p=1, dklen=32)
    return "scrypt$" + base64.b64encode(salt).decode() + "$" + base64.b64encode(digest).decode()


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, salt_b64, _ = stored.split("$", 2)
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    return tokens_equal(hash_password(password, salt=base64.b64decode(salt_b64)), stored)


@functools.lru_cache(maxsize=1)
def _fernet() -> Fernet:
    settings = get_settings()
    key = settings.secret_key
    if key == "change-me":
        # Development: one key per install, kept beside the database.
        path = settings.data_dir / "secret.key"
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            path.write_bytes(Fernet.generate_key())
            path.chmod(0o600)
        key = path.read_text().strip()
    return Fernet(key.encode())


def encrypt_secret(plaintext: str) -> str:
    return _fernet().encrypt(plaintext.encode()).decode()


def decrypt_secret(ciphertext: str) -> str:
    try:
        return _fernet().decrypt(ciphertext.encode()).decode()
    except InvalidToken as exc:
        raise ValueError("secret cannot be decrypted with this SECRET_KEY") from exc
