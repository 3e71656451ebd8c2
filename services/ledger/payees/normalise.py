"""From a bank's description to the key of its payee, deterministically.

Card statements dress a merchant's name in noise: who processed the payment ("SQ *",
"TST*", "PAYPAL *"), how it was paid ("POS DEBIT", "CHECKCARD 0412"), the store's number,
a reference after a star, the date, the city and state. The key is what is left, in lower
case with single spaces: "SQ *BLUE BOTTLE COFFEE 0412 SAN FRANCISCO CA" and
"Blue Bottle Coffee" are both "blue bottle coffee". The same text always gives the same key;
the rules only ever remove words, never invent them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from services.ledger.models import MAX_PAYEE_KEY, MAX_PAYEE_NAME

# How the payment was made, at the start of the text (checked repeatedly, longest first).
_PAYMENT_WORDS = re.compile(
    r"^(?:"
    r"purchase authori[sz]ed on \d{1,2}/\d{1,2}|"
    r"(?:pos|debit card|debit|card|visa|mastercard|recurring|online|dbt card) purchase|"
    r"point of sale|pos debit|pos withdrawal|recurring payment|recurring|"
    r"checkcard \d{4}|check card \d{4}|ach debit|ach credit|ach|pos|purchase|"
    r"\d{1,2}/\d{1,2}(?:/\d{2,4})?"
    r")(?:\s*[-:]\s*|\s+|$)",
    re.IGNORECASE,
)

# Payment processors and platforms that put their name before the merchant's, with a star.
_PROCESSOR = re.compile(
    r"^(?:sq|squ|tst|paypal|pypl|pp|sp|dd|ic|in|bt|google|gpay|pwp|fs|wpy|cke|clv|sumup|zettle)"
    r"\s*\*\s*",
    re.IGNORECASE,
)

# A star followed by a reference code (letters and digits): the code is noise.
_STAR_CODE = re.compile(r"\s*\*\s*\S*\d\S*")

# Words announcing a store number ("STORE 12345", "#552", "NO. 7").
_STORE_WORDS = frozenset({"store", "str", "no", "unit", "loc", "location", "#"})

# ACH entry codes: what follows them is a reference, not a name.
_ACH_CODES = frozenset({"ppd", "ccd", "web", "tel"})

# Trailing words that name a company's form, not the company.
_LEGAL_FORMS = frozenset({"inc", "llc", "ltd", "corp", "gmbh"})

# US states and Canadian provinces, as statements abbreviate them.
_STATE_CODES = frozenset(
    {
        "al", "ak", "az", "ar", "ca", "co", "ct", "de", "dc", "fl", "ga", "hi", "id", "il", "in",
        "ia", "ks", "ky", "la", "me", "md", "ma", "mi", "mn", "ms", "mo", "mt", "ne", "nv", "nh",
        "nj", "nm", "ny", "nc", "nd", "oh", "ok", "or", "pa", "ri", "sc", "sd", "tn", "tx", "ut",
        "vt", "va", "wa", "wv", "wi", "wy", "ab", "bc", "mb", "nb", "nl", "ns", "nt", "nu", "on",
        "pe", "qc", "sk", "yt",
    }
)  # fmt: skip

# Cities common enough on statements to be recognised after the merchant (before a state).
_CITY_NAMES = (
    "new york", "brooklyn", "san francisco", "los angeles", "chicago", "seattle", "austin",
    "boston", "houston", "dallas", "denver", "portland", "atlanta", "miami", "philadelphia",
    "phoenix", "san diego", "san jose", "oakland", "washington", "minneapolis", "nashville",
    "las vegas", "toronto", "vancouver", "montreal", "london", "paris", "berlin", "amsterdam",
)  # fmt: skip
_CITIES = tuple(sorted(_CITY_NAMES, key=len, reverse=True))

_TLD = re.compile(r"\.(?:com|net|org|co|io|app|co\.uk|de|fr|ca)$", re.IGNORECASE)


@dataclass(frozen=True)
class PayeeKey:
    """What a description says about its payee: the key that finds the payee, and the name a
    payee first seen with it gets."""

    key: str
    name: str


def payee_key(text: str) -> PayeeKey | None:
    """The payee a description or merchant name speaks of; None when nothing is left of it."""
    clean = unicodedata.normalize("NFKC", text).strip()
    words = _merchant_words(clean) or clean.split()
    key = _bounded(" ".join(words).casefold(), MAX_PAYEE_KEY)
    if not key:
        return None
    return PayeeKey(key, _bounded(_display(words), MAX_PAYEE_NAME))


def _display(words: list[str]) -> str:
    """As written when the text has lower case ("SparkFun"), else each word capitalised
    ("STARBUCKS" -> "Starbucks")."""
    text = " ".join(words)
    if any(ch.islower() for ch in text):
        return text
    return " ".join(word[:1].upper() + word[1:].lower() for word in words)


def _merchant_words(text: str) -> list[str]:
    text = _strip_payment_words(text)
    text = _PROCESSOR.sub("", text, count=1)
    text = _STAR_CODE.sub(" ", text)
    text = re.sub(r"\s*\*\s*", " ", text)
    # Columns of fixed width ("BLUE BOTTLE     SAN FRANCISCO CA") and " - LOCATION" suffixes.
    text = re.split(r"\s{2,}| - ", text.strip(), maxsplit=1)[0]
    words = [word for word in (_clean_word(w) for w in text.split()) if word]
    if not words:
        return []
    kept = [_without_domain(words[0])]
    for index, word in enumerate(words[1:], start=1):
        following = words[index + 1] if index + 1 < len(words) else ""
        folded = word.casefold()
        if _has_digit(word) or word.startswith("#") or folded in _ACH_CODES:
            break
        if folded.rstrip(".") in _STORE_WORDS and _has_digit(following):
            break
        if _TLD.search(word.split("/")[0]):
            break  # a web address after the name ("AMZN.COM/BILL", "HELP.UBER.COM")
        kept.append(word)
    return _without_trailing_place(kept)


def _strip_payment_words(text: str) -> str:
    while True:
        stripped = _PAYMENT_WORDS.sub("", text, count=1).lstrip(" -:")
        if stripped == text or not stripped:
            return stripped or text
        text = stripped


def _clean_word(word: str) -> str:
    return word if word == "#" else word.strip(",.;:()[]\"'-_/")


def _has_digit(word: str) -> bool:
    return any(ch.isdigit() for ch in word)


def _without_domain(word: str) -> str:
    """ "netflix.com" -> "netflix", "apple.com/bill" -> "apple", "www.etsy.com" -> "etsy"."""
    host = word.split("/")[0]
    if not _TLD.search(host):
        return word
    if host.casefold().startswith("www."):
        host = host[4:]
    return _TLD.sub("", host) or word


def _without_trailing_place(words: list[str]) -> list[str]:
    """Drop a trailing state or province code, a known city before it, and a company form."""
    # Statements write the state in capitals; "Electric co" is a company, not Colorado.
    if len(words) > 1 and words[-1].isupper() and words[-1].casefold() in _STATE_CODES:
        words = words[:-1]
    folded = " ".join(words).casefold()
    for city in _CITIES:
        if folded.endswith(" " + city) and len(words) > len(city.split()):
            words = words[: -len(city.split())]
            break
    while len(words) > 1 and words[-1].casefold().rstrip(".") in _LEGAL_FORMS:
        words = words[:-1]
    return words


def _bounded(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit]
    return cut.rsplit(" ", 1)[0] if " " in cut else cut
