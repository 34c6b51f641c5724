"""Logging in: a session token with the user's role; wrong passwords and floods refused."""

from __future__ import annotations

from sqlmodel import select

from backend.auth import users
from backend.core.db import session_scope
from backend.core.redis import get_redis
from backend.models import ApiToken, User


def test_login_gives_a_token_of_the_users_role_and_is_rate_limited(api, env):
    created = api.post("/users", json={"username": "sari", "password": "rahasia-123",
                                       "role": "viewer"})
    assert created.status_code == 201 and "password" not in created.json()
    api.headers.pop("Authorization")
    ok = api.post("/auth/login", json={"username": "sari", "password": "rahasia-123"})
    assert ok.status_code == 200 and ok.json()["role"] == "viewer"
    viewer = {"Authorization": f"Bearer {ok.json()['token']}"}
    assert api.get("/jobs", headers=viewer).status_code == 200
    assert api.post("/jobs", json={"job_id": "x"}, headers=viewer).status_code == 403
    wrong = api.post("/auth/login", json={"username": "sari", "password": "nope-nope"})
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["path"] == "password"
    unknown = api.post("/auth/login", json={"username": "nobody", "password": "nope-nope"})
    assert unknown.json()["errors"] == wrong.json()["errors"]  # no hint which part was wrong
    codes = [api.post("/auth/login", json={"username": "sari", "password": "bad-guess"})
             .status_code for _ in range(env.login_attempts_per_minute)]
    assert codes[-1] == 429


def test_passwords_and_tokens_are_stored_hashed(env):
    with session_scope() as session:
        users.create_user(session=session, username="budi", password="kata-sandi-9",
                          role="operator")
    with session_scope() as session:
        user, token = users.login(session=session, client=get_redis(), username="budi",
                                  password="kata-sandi-9")
    with session_scope() as session:
        stored = session.get(User, user.id).password_hash
        hashes = [t.token_hash for t in session.exec(select(ApiToken)).all()]
    assert "kata-sandi-9" not in stored and stored.startswith("scrypt$")
    assert token not in hashes and all(len(h) == 64 for h in hashes)
