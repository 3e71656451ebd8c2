"""Signing up, logging in, refreshing and ending sessions, through the composed schema."""

from __future__ import annotations

import asyncio
import datetime as dt
import secrets
import uuid
from typing import Any

import jwt
import pytest
from argon2 import PasswordHasher
from sqlalchemy import func, select, update
from strawberry.types import ExecutionResult

from services.gateway.identity import passwords, tokens
from services.gateway.identity import service as identity
from services.gateway.models import RefreshToken, User, UserSession
from services.ledger import api as ledger_api
from shared.config import get_settings
from shared.db import read_session, unit_of_work
from shared.errors import Unauthenticated
from shared.graphql import Context
from shared.ids import decode_id, encode_id
from shared.validation import normalize_email
from tests.support.graphql import data, error_codes, schema

PASSWORD = "correct horse battery staple"

SIGN_UP = """
mutation($email: String!, $password: String!) {
  signUp(input: {email: $email, password: $password}) { accessToken refreshToken user { id email } }
}"""
LOG_IN = """
mutation($email: String!, $password: String!) {
  logIn(input: {email: $email, password: $password}) { accessToken refreshToken user { id email } }
}"""
REFRESH = """
mutation($token: String!) {
  refreshSession(input: {refreshToken: $token}) { accessToken refreshToken user { id email } }
}"""
LOG_OUT = "mutation { logOut { loggedOut } }"
ME = "{ me { id email } }"


def new_address() -> str:
    """A client address of its own, so that one test's throttling never touches another's."""
    return f"2001:db8::{secrets.token_hex(2)}:{secrets.token_hex(2)}"


def new_email() -> str:
    return f"someone-{uuid.uuid4().hex[:12]}@example.com"


def as_guest(address: str | None = None) -> Context:
    return Context(request=None, request_id="test", client_address=address or new_address())


async def as_holder_of(access_token: str) -> Context:
    """The context the gateway builds for a request bearing this access token."""
    user_id, session_id = await identity.authenticate(access_token)
    return Context(
        request=None,
        request_id="test",
        user_id=user_id,
        session_id=session_id,
        client_address=new_address(),
    )


async def run(
    query: str, variables: dict[str, Any] | None = None, *, context: Context | None = None
) -> ExecutionResult:
    return await schema().execute(
        query, variable_values=variables, context_value=context or as_guest()
    )


async def succeed(
    query: str, variables: dict[str, Any] | None = None, *, context: Context | None = None
) -> dict[str, Any]:
    result = await run(query, variables, context=context)
    assert not result.errors, result.errors
    assert result.data is not None
    return result.data


async def sign_up(email: str | None = None, password: str = PASSWORD) -> dict[str, Any]:
    variables = {"email": email or new_email(), "password": password}
    payload: dict[str, Any] = (await succeed(SIGN_UP, variables))["signUp"]
    return payload


async def log_in(
    email: str, password: str = PASSWORD, address: str | None = None
) -> ExecutionResult:
    return await run(LOG_IN, {"email": email, "password": password}, context=as_guest(address))


async def refresh(token: str) -> ExecutionResult:
    return await run(REFRESH, {"token": token})


async def stored_user(email: str) -> User | None:
    async with read_session() as session:
        return (await session.execute(select(User).where(User.email == email))).scalar_one_or_none()


async def users_named(email_fragment: str) -> int:
    async with read_session() as session:
        query = select(func.count()).select_from(User).where(User.email.contains(email_fragment))
        return int((await session.execute(query)).scalar_one())


def message(result: ExecutionResult) -> str:
    assert result.errors
    return result.errors[0].message


async def test_signing_up_normalizes_the_email_and_returns_tokens_that_authenticate() -> None:
    local = f"Ada.Lovelace+{uuid.uuid4().hex[:8]}"
    payload = await sign_up(f"  {local}@Example.COM \n")

    email = f"{local.lower()}@example.com"
    assert payload["user"]["email"] == email
    user = await stored_user(email)
    assert user is not None
    assert payload["user"]["id"] == encode_id("User", user.id)
    user_id, session_id = await identity.authenticate(payload["accessToken"])
    assert user_id == user.id
    context = await as_holder_of(payload["accessToken"])
    assert context.session_id == session_id
    assert await succeed(ME, context=context) == {"me": payload["user"]}


async def test_signing_up_again_with_the_email_in_other_case_or_spacing_is_a_conflict() -> None:
    email = new_email()
    await sign_up(email)

    for variant in (email, email.upper(), f"  {email.title()}\t"):
        result = await run(SIGN_UP, {"email": variant, "password": "another long password"})
        assert error_codes(result) == ["CONFLICT"]
    assert await users_named(email) == 1


async def test_two_simultaneous_sign_ups_with_one_email_make_one_account() -> None:
    email = new_email()
    results = await asyncio.gather(
        run(SIGN_UP, {"email": email, "password": PASSWORD}),
        run(SIGN_UP, {"email": email.upper(), "password": PASSWORD}),
    )

    assert sorted(str(error_codes(result)) for result in results) == ["['CONFLICT']", "[]"]
    assert await users_named(email) == 1


@pytest.mark.parametrize(
    ("email", "password", "field"),
    [
        (None, "eleven char", "input.password"),
        (None, "x" * 257, "input.password"),
        ("no-at-sign.example.com", PASSWORD, "input.email"),
        ("two@@example.com", PASSWORD, "input.email"),
        ("someone@localhost", PASSWORD, "input.email"),
        ("some one@example.com", PASSWORD, "input.email"),
        ("someone@example..com", PASSWORD, "input.email"),
        ("someone@-example.com", PASSWORD, "input.email"),
        (".someone@example.com", PASSWORD, "input.email"),
        ("a" * 65 + "@example.com", PASSWORD, "input.email"),
        ("a" * 64 + "@" + ".".join(["b" * 63] * 3) + ".com", PASSWORD, "input.email"),
        ("   ", PASSWORD, "input.email"),
    ],
)
async def test_bad_sign_up_input_is_refused_naming_the_field_and_nothing_is_stored(
    email: str | None, password: str, field: str
) -> None:
    marker = uuid.uuid4().hex[:12]
    email = email or f"someone-{marker}@example.com"

    result = await run(SIGN_UP, {"email": email, "password": password})

    assert error_codes(result) == ["BAD_USER_INPUT"]
    assert result.errors is not None
    assert result.errors[0].extensions is not None
    assert result.errors[0].extensions["field"] == field
    assert await users_named(marker) == 0
    assert await stored_user(normalize_email(email)) is None


async def test_passwords_of_12_and_256_characters_are_accepted() -> None:
    await sign_up(password="twelve chars")
    await sign_up(password=secrets.token_hex(128))


async def test_the_password_is_stored_only_as_an_argon2id_hash_with_owasp_parameters() -> None:
    email = new_email()
    await sign_up(email)

    user = await stored_user(email)
    assert user is not None
    assert user.password_hash.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert PASSWORD not in user.password_hash
    assert PasswordHasher().verify(user.password_hash, PASSWORD)


async def test_a_wrong_password_and_an_unknown_email_get_the_same_answer_after_the_same_work(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    email = new_email()
    await sign_up(email)
    checked_hashes: list[str | None] = []
    verify = passwords.verify_password

    async def recording_verify(password_hash: str | None, password: str) -> bool:
        checked_hashes.append(password_hash)
        return await verify(password_hash, password)

    monkeypatch.setattr(passwords, "verify_password", recording_verify)

    wrong_password = await log_in(email, "not the right password")
    unknown_email = await log_in(new_email(), PASSWORD)

    assert error_codes(wrong_password) == error_codes(unknown_email) == ["UNAUTHENTICATED"]
    assert message(wrong_password) == message(unknown_email) == "Email or password is incorrect."
    # Both paths run one argon2 verification (the unknown email against a dummy hash).
    assert len(checked_hashes) == 2
    assert checked_hashes[0] is not None
    assert checked_hashes[1] is None


async def test_logging_in_opens_a_new_session_for_the_normalized_email() -> None:
    email = new_email()
    first = await sign_up(email)

    result = await log_in(f" {email.upper()} ")

    assert not result.errors, result.errors
    assert result.data is not None
    payload = result.data["logIn"]
    assert payload["user"] == first["user"]
    _, first_session = await identity.authenticate(first["accessToken"])
    _, second_session = await identity.authenticate(payload["accessToken"])
    assert first_session != second_session


async def test_a_password_logs_in_whichever_way_its_accents_are_encoded() -> None:
    email = new_email()
    composed = "caf\u00e9 au lait, s'il vous pla\u00eet"
    decomposed = "cafe\u0301 au lait, s'il vous plai\u0302t"
    await sign_up(email, composed)

    assert not (await log_in(email, decomposed)).errors


async def test_logging_in_rehashes_a_password_stored_with_weaker_parameters() -> None:
    email = new_email()
    await sign_up(email)
    weak_hash = PasswordHasher(time_cost=1, memory_cost=8_192, parallelism=1).hash(PASSWORD)
    async with unit_of_work() as work:
        await work.session.execute(
            update(User).where(User.email == email).values(password_hash=weak_hash)
        )

    assert not (await log_in(email)).errors

    user = await stored_user(email)
    assert user is not None
    assert user.password_hash.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert not (await log_in(email)).errors


async def test_refreshing_spends_the_refresh_token_and_hands_out_new_ones() -> None:
    signed_up = await sign_up()

    refreshed = (await succeed(REFRESH, {"token": signed_up["refreshToken"]}))["refreshSession"]

    assert refreshed["refreshToken"] != signed_up["refreshToken"]
    assert refreshed["accessToken"] != signed_up["accessToken"]
    assert refreshed["user"] == signed_up["user"]
    old = await identity.authenticate(signed_up["accessToken"])
    new = await identity.authenticate(refreshed["accessToken"])
    assert old == new  # the same session, carried on
    again = (await succeed(REFRESH, {"token": refreshed["refreshToken"]}))["refreshSession"]
    assert again["refreshToken"] not in (signed_up["refreshToken"], refreshed["refreshToken"])


async def test_refresh_tokens_are_stored_only_as_hashes() -> None:
    signed_up = await sign_up()
    _, session_id = await identity.authenticate(signed_up["accessToken"])

    async with read_session() as session:
        stored = (
            await session.execute(select(RefreshToken).where(RefreshToken.session_id == session_id))
        ).scalar_one()
    assert stored.token_hash == tokens.hash_refresh_token(signed_up["refreshToken"])
    assert signed_up["refreshToken"] not in stored.token_hash


async def test_reusing_a_spent_refresh_token_ends_the_whole_session() -> None:
    signed_up = await sign_up()
    stolen = signed_up["refreshToken"]
    refreshed = (await succeed(REFRESH, {"token": stolen}))["refreshSession"]

    replay = await refresh(stolen)

    assert error_codes(replay) == ["UNAUTHENTICATED"]
    # The legitimate holder's newer tokens die with the session too.
    assert error_codes(await refresh(refreshed["refreshToken"])) == ["UNAUTHENTICATED"]
    for access_token in (signed_up["accessToken"], refreshed["accessToken"]):
        with pytest.raises(Unauthenticated):
            await identity.authenticate(access_token)


async def test_two_simultaneous_refreshes_with_one_token_count_as_reuse() -> None:
    signed_up = await sign_up()

    results = await asyncio.gather(*(refresh(signed_up["refreshToken"]) for _ in range(2)))

    assert sorted(str(error_codes(result)) for result in results) == [
        "['UNAUTHENTICATED']",
        "[]",
    ]
    winner = next(result for result in results if not result.errors)
    assert winner.data is not None
    with pytest.raises(Unauthenticated):
        await identity.authenticate(winner.data["refreshSession"]["accessToken"])


async def test_an_expired_refresh_token_is_refused() -> None:
    signed_up = await sign_up()
    token_hash = tokens.hash_refresh_token(signed_up["refreshToken"])
    async with unit_of_work() as work:
        await work.session.execute(
            update(RefreshToken)
            .where(RefreshToken.token_hash == token_hash)
            .values(expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1))
        )

    assert error_codes(await refresh(signed_up["refreshToken"])) == ["UNAUTHENTICATED"]


async def test_an_unknown_refresh_token_is_refused() -> None:
    for token in ("", tokens.new_refresh_token(), "x" * 10_000):
        assert error_codes(await refresh(token)) == ["UNAUTHENTICATED"]


async def test_logging_out_ends_that_session_and_no_other() -> None:
    email = new_email()
    phone = await sign_up(email)
    laptop_result = await log_in(email)
    assert laptop_result.data is not None
    laptop = laptop_result.data["logIn"]

    assert await succeed(LOG_OUT, context=await as_holder_of(phone["accessToken"])) == {
        "logOut": {"loggedOut": True}
    }

    with pytest.raises(Unauthenticated):
        await identity.authenticate(phone["accessToken"])
    assert error_codes(await refresh(phone["refreshToken"])) == ["UNAUTHENTICATED"]
    await identity.authenticate(laptop["accessToken"])
    assert not (await refresh(laptop["refreshToken"])).errors
    async with read_session() as session:
        revoked = await session.scalar(
            select(func.count())
            .select_from(UserSession)
            .join(User, User.id == UserSession.user_id)
            .where(User.email == email, UserSession.revoked_at.is_not(None))
        )
    assert revoked == 1


async def test_an_expired_access_token_is_refused() -> None:
    signed_up = await sign_up()
    user_id, session_id = await identity.authenticate(signed_up["accessToken"])
    sixteen_minutes_ago = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=16)

    expired = tokens.issue_access_token(user_id, session_id, now=sixteen_minutes_ago)

    with pytest.raises(Unauthenticated, match="expired"):
        await identity.authenticate(expired)


async def test_forged_and_malformed_access_tokens_are_refused() -> None:
    signed_up = await sign_up()
    claims = jwt.decode(signed_up["accessToken"], options={"verify_signature": False})
    key = get_settings().secret("secret_key")
    forged = [
        jwt.encode(claims, "another key that is long enough for HS256 use", algorithm="HS256"),
        jwt.encode(claims, "", algorithm="none"),
        jwt.encode({**claims, "aud": "someone-else"}, key, algorithm="HS256"),
        jwt.encode({**claims, "sid": str(uuid.uuid4())}, key, algorithm="HS256"),
        jwt.encode({**claims, "sub": str(uuid.uuid4())}, key, algorithm="HS256"),
        jwt.encode({name: value for name, value in claims.items() if name != "exp"}, key),
        signed_up["accessToken"][:-2],
        signed_up["refreshToken"],
        "",
    ]
    for token in forged:
        with pytest.raises(Unauthenticated):
            await identity.authenticate(token)


async def test_me_and_log_out_need_a_signed_in_user() -> None:
    assert error_codes(await run(ME)) == ["UNAUTHENTICATED"]
    assert error_codes(await run(LOG_OUT)) == ["UNAUTHENTICATED"]


async def test_a_new_user_starts_with_default_categories_and_an_overspending_alert() -> None:
    context = await as_holder_of((await sign_up())["accessToken"])

    found = await succeed(
        "{ categories { name group } alertRules { kind enabled } }", context=context
    )

    assert {"Groceries", "Rent", "Income"} <= {category["name"] for category in found["categories"]}
    assert {"kind": "BUDGET_OVERSPENT", "enabled": True} in found["alertRules"]


async def test_a_sign_up_that_fails_to_provision_leaves_no_account(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async def broken_provision(*_: object) -> None:
        raise RuntimeError("the ledger is down")

    monkeypatch.setattr(ledger_api, "provision_user", broken_provision)
    email = new_email()

    result = await run(SIGN_UP, {"email": email, "password": PASSWORD})

    assert error_codes(result) == ["INTERNAL"]
    assert await stored_user(email) is None


async def test_the_base_currency_can_be_chosen_at_sign_up_and_a_bad_one_names_the_field() -> None:
    sign_up = """mutation($email: String!, $password: String!, $currency: String) {
      signUp(input: {email: $email, password: $password, baseCurrency: $currency}) {
        accessToken user { id } } }"""
    euro = {"email": new_email(), "password": PASSWORD, "currency": "eur"}
    signed_up = (await succeed(sign_up, euro))["signUp"]
    user_id = decode_id("User", signed_up["user"]["id"])
    settings = await data("{ ledgerSettings { baseCurrency } }", user_id=user_id)
    assert settings == {"ledgerSettings": {"baseCurrency": "EUR"}}

    marker = new_email()
    refused = await run(sign_up, {"email": marker, "password": PASSWORD, "currency": "EURO"})
    assert error_codes(refused) == ["BAD_USER_INPUT"]
    assert refused.errors is not None and refused.errors[0].extensions is not None
    assert refused.errors[0].extensions["field"] == "input.baseCurrency"
    assert await stored_user(marker) is None
