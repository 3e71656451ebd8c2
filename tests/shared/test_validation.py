"""One set of rules for text and email addresses, wherever they are typed."""

from __future__ import annotations

import json
import uuid

import httpx
import pytest

from shared.errors import BadUserInput
from shared.validation import MAX_EMAIL_LENGTH, clean_email, clean_text
from tests.support.client import TallyClient


def test_text_is_trimmed_and_bounded() -> None:
    assert clean_text("  Rent  ", "input.name", max_length=10) == "Rent"
    assert clean_text("  ", "input.notes", max_length=10, required=False) == ""
    for value, message in (
        ("", "input.name: must not be empty"),
        ("x" * 11, "input.name: must be at most 10 characters"),
        ("a\x00b", "input.name: must not contain control characters"),
    ):
        with pytest.raises(BadUserInput, match=message):
            clean_text(value, "input.name", max_length=10)


def test_an_email_is_normalized_or_refused_naming_the_field() -> None:
    assert clean_email("  Me@Example.COM ") == "me@example.com"
    too_long = "a" * 60 + "@" + "b" * (MAX_EMAIL_LENGTH - 60) + ".com"
    for wrong in ("", "me", "me@localhost", "me@@example.com", "me @example.com", too_long,
                  "a" * 65 + "@example.com"):  # fmt: skip
        with pytest.raises(BadUserInput) as error:
            clean_email(wrong, "input.email")
        assert error.value.field == "input.email"


def test_text_is_normalized_to_nfc_and_counted_in_code_points() -> None:
    decomposed = "Cafe\u0301"  # "e" + combining acute accent
    assert clean_text(decomposed, "input.name", max_length=4) == "Caf\u00e9"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("a\ud800b", "must be valid Unicode text"),  # a lone UTF-16 surrogate
        ("\udfffz", "must be valid Unicode text"),
        ("a\x7fb", "must not contain control characters"),  # DEL
        ("a\x85b", "must not contain control characters"),  # C1: next line
        ("a\x9bb", "must not contain control characters"),  # C1: control sequence introducer
        ("a\rb", "must not contain control characters"),
        ("a\nb", "must not contain control characters"),  # not multi-line text
        ("\ufeffRent", "must not contain a byte order mark"),
        ("Re\ufeffnt", "must not contain a byte order mark"),
        ("Rent \u202egnp.exe", "must not contain bidirectional override"),
        ("\u202aRent\u202c", "must not contain bidirectional override"),
        ("\u2066Rent\u2069", "must not contain bidirectional override"),
        ("\u2067Rent", "must not contain bidirectional override"),
        ("\u200b\u200c\u200d", "must not be empty"),  # zero-width only
        ("\u2060 \ufeff \u00ad", "must not be empty"),
        ("\u3164\u115f", "must not be empty"),  # Hangul fillers
        ("\ufe0f\ufe0e", "must not be empty"),  # variation selectors
    ],
)
def test_unsafe_or_invisible_text_is_refused_naming_the_field(value: str, message: str) -> None:
    with pytest.raises(BadUserInput, match=message) as error:
        clean_text(value, "input.name", max_length=50)
    assert error.value.field == "input.name"


def test_optional_text_that_shows_nothing_is_empty() -> None:
    assert clean_text("\u200b\u200b", "input.notes", max_length=10, required=False) == ""


def test_multiline_text_keeps_line_feeds_and_tabs_but_not_other_controls() -> None:
    notes = "first line\n\tsecond line"
    assert clean_text(notes, "input.notes", max_length=50, multiline=True) == notes
    with pytest.raises(BadUserInput, match="control characters"):
        clean_text("a\x85b", "input.notes", max_length=50, multiline=True)


def test_text_people_write_is_kept() -> None:
    for text in (
        "Caf\u00e9 \u00fcber",
        "\u05e9\u05dc\u05d5\u05dd \u200fRent",  # Hebrew with a right-to-left mark
        "\U0001f468\u200d\U0001f469\u200d\U0001f467 family",  # emoji joined by ZWJ
        "\u65e5\u672c\u8a9e",
    ):
        assert clean_text(text, "input.name", max_length=50) == text


def test_an_email_with_a_lone_surrogate_is_refused_naming_the_field() -> None:
    with pytest.raises(BadUserInput) as error:
        clean_email("me\ud800@example.com", "input.email")
    assert error.value.field == "input.email"


# Each case: an operation, its variables as raw JSON (so that "\ud800" reaches the server as a
# lone surrogate, as any client can send it), whether it needs a signed-in user, and the field
# the answer must name.
SURROGATE_CASES = [
    ("mutation($e: String!, $p: String!) { signUp(input: {email: $e, password: $p}) {"
     " accessToken } }",
     '{"e": "me\\ud800@example.com", "p": "a long enough passphrase"}', False, "input.email"),
    ("mutation($e: String!, $p: String!) { signUp(input: {email: $e, password: $p}) {"
     " accessToken } }",
     '{"e": "surrogate-signup@example.com", "p": "a long enough \\ud800passphrase"}', False,
     "input.password"),
    ("mutation($e: String!, $p: String!) { logIn(input: {email: $e, password: $p}) {"
     " accessToken } }",
     '{"e": "me\\ud800@example.com", "p": "a long enough passphrase"}', False, "input.email"),
    ("mutation($e: String!, $p: String!) { logIn(input: {email: $e, password: $p}) {"
     " accessToken } }",
     '{"e": "someone@example.com", "p": "a long enough \\ud800passphrase"}', False,
     "input.password"),
    ("mutation($t: String!) { refreshSession(input: {refreshToken: $t}) { accessToken } }",
     '{"t": "token\\udc00"}', False, "input.refreshToken"),
    ("mutation($t: String!) { linkInstitution(input: {publicToken: $t}) {"
     " linkedInstitution { id } } }", '{"t": "public-sandbox-\\ud800"}', True,
     "input.publicToken"),
    ('mutation($n: String!) { createAccount(input: {name: $n, type: CHECKING, currency: "USD"})'
     " { account { id } } }", '{"n": "Everyday \\ud800"}', True, "input.name"),
    ('mutation($n: String!) { createAccount(input: {name: $n, type: CHECKING, currency: "USD"})'
     " { account { id } } }", '{"n": "\\u200b\\u200d"}', True, "input.name"),
    ('mutation($n: String!) { createAccount(input: {name: $n, type: CHECKING, currency: "USD"})'
     " { account { id } } }", '{"n": "Rent \\u202eexe.pdf"}', True, "input.name"),
    ('mutation($n: String!) { createGoal(input: {name: $n, targetAmount: "10"}) { goal { id } } }',
     '{"n": "\\ufeffHoliday"}', True, "input.name"),
    ("query($s: String) { transactions(first: 5, filter: {search: $s}) { edges { cursor } } }",
     '{"s": "\\ud800"}', True, "filter.search"),
]  # fmt: skip


@pytest.mark.parametrize(("query", "variables", "signed_in", "field"), SURROGATE_CASES)
def test_unsafe_text_over_http_is_bad_user_input_naming_the_field(
    live_server: str, query: str, variables: str, signed_in: bool, field: str
) -> None:
    headers = {"Content-Type": "application/json"}
    if signed_in:
        client = TallyClient(live_server)
        client.sign_up(f"unsafe-text-{uuid.uuid4().hex[:12]}@example.com")
        headers["Authorization"] = f"Bearer {client.token}"
        client.close()
    body = f'{{"query": {json.dumps(query)}, "variables": {variables}}}'
    with httpx.Client(base_url=live_server, timeout=30) as http:
        response = http.post("/graphql", content=body.encode(), headers=headers)
    assert response.status_code == 200, response.text
    errors = response.json()["errors"]
    assert [error["extensions"] for error in errors] == [
        {"code": "BAD_USER_INPUT", "field": field}
    ], errors
