"""Key rotation: a new install secret, every stored secret re-encrypted under it.

``rotate_install_key`` works on the generated key file (data_dir/secret.key):

1. the new key is written to ``secret.key.next`` (accepted for decryption from then on);
2. every connector account's secrets are re-encrypted under it, in one transaction;
3. ``secret.key`` becomes ``secret.key.previous`` and ``secret.key.next`` becomes
   ``secret.key``.

A stop at any step loses nothing: all three files are tried when decrypting. Signing
keys derive from the install secret, so preview links made before expire early and a
provider holding the derived tracking-webhook secret needs the new one
(`spio keys webhook`). Restart every process afterwards (they keep keys in memory).

With SECRET_KEY set in the environment instead, set the new key as SECRET_KEY and the
old one as SECRET_KEY_PREVIOUS, run ``reencrypt_all`` (`spio keys reencrypt`), then
drop SECRET_KEY_PREVIOUS.
"""

from __future__ import annotations

import os

from cryptography.fernet import Fernet
from sqlmodel import Session, col, select

from backend.core.config import get_settings
from backend.core.security import KEY_FILE, clear_key_caches, reencrypt_secret
from backend.models import ConnectorAccount, Job

__all__ = ["rotate_install_key", "reencrypt_all"]


def reencrypt_all(*, session: Session) -> int:
    """Re-encrypt every stored secret under the current key; returns how many."""
    rows = session.exec(select(ConnectorAccount).where(
        col(ConnectorAccount.secret_encrypted).is_not(None))).all()
    for account in rows:
        account.secret_encrypted = reencrypt_secret(str(account.secret_encrypted))
        session.add(account)
    hooked = session.exec(select(Job).where(col(Job.hook_secret_encrypted).is_not(None))).all()
    for job in hooked:  # webhook-triggered jobs' secrets
        job.hook_secret_encrypted = reencrypt_secret(str(job.hook_secret_encrypted))
        session.add(job)
    return len(rows) + len(hooked)


def rotate_install_key() -> int:
    """Rotate the generated install key (see the module doc); returns the number of
    accounts re-encrypted. Refused when SECRET_KEY comes from the environment."""
    from backend.core.db import session_scope

    settings = get_settings()
    if settings.secret_key:
        raise RuntimeError("SECRET_KEY is set in the environment: put the new key there "
                           "and the old one in SECRET_KEY_PREVIOUS, then run "
                           "`spio keys reencrypt`")
    data_dir = settings.data_dir
    current, following = data_dir / KEY_FILE, data_dir / "secret.key.next"
    clear_key_caches()
    _write_private(following, Fernet.generate_key())
    # The new key must be the one encryption uses: make it current for this process.
    os.environ["SECRET_KEY"] = following.read_text().strip()
    get_settings.cache_clear()
    clear_key_caches()
    try:
        with session_scope() as session:
            count = reencrypt_all(session=session)
    finally:
        os.environ.pop("SECRET_KEY", None)
        get_settings.cache_clear()
    os.replace(current, data_dir / "secret.key.previous")
    os.replace(following, current)
    clear_key_caches()
    return count


def _write_private(path: os.PathLike[str] | str, content: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, content)
    finally:
        os.close(fd)
