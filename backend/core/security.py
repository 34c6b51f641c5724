"""Tokens, password hashes and secret encryption. Nothing here logs a secret."""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import os
import secrets
import tempfile
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from backend.core.config import get_settings
from backend.domain.vocab import ROLE_RANK

__all__ = [
    "new_token",
    "hash_token",
    "tokens_equal",
    "hash_password",
    "verify_password",
    "encrypt_secret",
    "decrypt_secret",
    "reencrypt_secret",
    "signing_key",
    "tracking_webhook_secret",
    "clear_key_caches",
    "check_password_timing_safe",
    "role_allows",
]

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
    # surrogatepass: a lone surrogate in a typed password is a wrong password, not a 500
    secret = password.encode("utf-8", "surrogatepass")
    digest = hashlib.scrypt(secret, salt=salt, n=2**14, r=8, p=1, dklen=32)
    return "scrypt$" + base64.b64encode(salt).decode() + "$" + base64.b64encode(digest).decode()


@functools.lru_cache(maxsize=1)
def _dummy_hash() -> str:
    # Compared against when a username is unknown: the same scrypt work as a real user.
    return hash_password(secrets.token_urlsafe(16))


def check_password_timing_safe(password: str, stored: str | None) -> bool:
    """``verify_password`` against ``stored``, or, when there is no such user, against a
    dummy hash with the same cost: one scrypt either way, so timing tells nothing."""
    if stored is None:
        verify_password(password, _dummy_hash())
        return False
    return verify_password(password, stored)


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, salt_b64, _ = stored.split("$", 2)
    except ValueError:
        return False
    try:
        salt = base64.b64decode(salt_b64)
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    return tokens_equal(hash_password(password, salt=salt), stored)


KEY_FILE = "secret.key"


def _install_key_file(data_dir: Path) -> str:
    """This install's key, generated at first start beside the data (mode 0600).

    Several processes may start at once: each writes a candidate to a private temp file
    and hard-links it into place, which fails for all but the first; all read the winner.
    """
    path = data_dir / KEY_FILE
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=data_dir, prefix=".secret-")
        try:
            os.write(fd, Fernet.generate_key())
            os.close(fd)
            os.chmod(tmp, 0o600)
            try:
                os.link(tmp, path)
            except FileExistsError:
                pass
        finally:
            os.unlink(tmp)
    return path.read_text().strip()


# Left by `spio keys rotate` (backend.auth.keys): accepted for decryption so that a
# rotation stopped half-way loses nothing.
ROTATION_FILES = ("secret.key.next", "secret.key.previous")


@functools.lru_cache(maxsize=1)
def _keys() -> tuple[bytes, ...]:
    """The current key first, then older ones still accepted for decryption
    (SECRET_KEY_PREVIOUS, and the files a key rotation leaves)."""
    settings = get_settings()
    current = settings.secret_key.strip() or _install_key_file(settings.data_dir)
    older = [k.strip() for k in settings.secret_key_previous.split(",") if k.strip()]
    for name in (KEY_FILE, *ROTATION_FILES):
        path = settings.data_dir / name
        if path.is_file():
            older.append(path.read_text().strip())
    keys = [current, *older]
    return tuple(k.encode() for k in dict.fromkeys(keys))


@functools.lru_cache(maxsize=1)
def _fernet() -> MultiFernet:
    try:
        return MultiFernet([Fernet(key) for key in _keys()])
    except ValueError as exc:
        raise ValueError("SECRET_KEY must be a Fernet key: 32 bytes, urlsafe base64 "
                         "(`spio keys generate` prints one)") from exc


def encrypt_secret(plaintext: str) -> str:
    return _fernet().encrypt(plaintext.encode()).decode()


def decrypt_secret(ciphertext: str) -> str:
    try:
        return _fernet().decrypt(ciphertext.encode()).decode()
    except InvalidToken as exc:
        raise ValueError("secret cannot be decrypted with this SECRET_KEY") from exc


def reencrypt_secret(ciphertext: str) -> str:
    """The same secret under the current key (for key rotation)."""
    return _fernet().rotate(ciphertext.encode()).decode()


def signing_key(purpose: str) -> bytes:
    """A 32-byte key for one purpose (``"artifact-preview"``, ``"tracking-webhook"``),
    derived from this install's secret with HKDF: a leak of one purpose's key reveals
    neither the others nor the encryption key."""
    return _derived(purpose, _keys()[0])


@functools.lru_cache(maxsize=16)
def _derived(purpose: str, master: bytes) -> bytes:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"spio-agent",
                info=f"spio/{purpose}".encode())
    return hkdf.derive(base64.urlsafe_b64decode(master))


def tracking_webhook_secret() -> str:
    """The HMAC key of ``POST /webhooks/tracking``: TRACKING_WEBHOOK_SECRET when set (a
    provider's), else one derived from this install's secret."""
    configured = get_settings().tracking_webhook_secret
    return configured or signing_key("tracking-webhook").hex()


def clear_key_caches() -> None:
    """Forget the keys read (tests and key rotation switch them)."""
    _keys.cache_clear()
    _fernet.cache_clear()
