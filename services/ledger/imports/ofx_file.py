"""OFX 1.x (SGML), OFX 2 (XML) and Quicken's QFX (OFX with Intuit's extra tags), read by
ofxtools' parser into an element tree. Each STMTTRN is then read strictly: its FITID (the
bank's id of the transaction, what re-imports are matched by), DTPOSTED as the bank wrote it
(converting to UTC would move a late-evening or far-east transaction to another day), TRNAMT
exactly (already in the ledger's sign: money in positive), NAME or PAYEE's NAME, MEMO.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET

from ofxtools.header import OFXHeaderError, OFXHeaderV1, OFXHeaderV2
from ofxtools.Parser import ParseError, TreeBuilder

from services.ledger.imports.fields import (
    Account,
    FieldError,
    FileRows,
    ParsedRow,
    RowError,
    clean_text,
)
from services.ledger.imports.settings import ImportSettings
from services.ledger.models import MAX_DESCRIPTION, MAX_NOTES
from services.ledger.periods import EARLIEST_DATE, LATEST_DATE
from shared.money import MAX_INTEGER_DIGITS

MAX_FITID = 255
_STATEMENTS = ("STMTRS", "CCSTMTRS")
_OFX_DATE = re.compile(r"([0-9]{4})([0-9]{2})([0-9]{2})")
# OFX amounts: an optional sign, digits, and a point or (some locales) a comma; no thousands.
_OFX_AMOUNT = re.compile(r"([+-]?)([0-9]*)(?:[.,]([0-9]*))?\Z")


def read_ofx(text: str, settings: ImportSettings, account: Account) -> FileRows:
    found = FileRows()
    try:
        root = _element_tree(text)
    except (OFXHeaderError, ParseError, ValueError, IndexError) as error:
        found.error(
            RowError(None, "file", f"is not an OFX file ofxtools can read: {_short(error)}")
        )
        return found
    statements = [element for element in root.iter() if element.tag in _STATEMENTS]
    accounts = {_account_id(statement) for statement in statements}
    if len(accounts) > 1:
        found.error(
            RowError(
                None,
                "file",
                f"holds statements of {len(accounts)} accounts; export one account per file",
            )
        )
        return found
    number = 0
    for statement in statements:
        currency = (statement.findtext("CURDEF") or "").strip().upper()
        if currency != account.currency:
            found.error(
                RowError(
                    None,
                    "CURDEF",
                    f"the statement is in {currency[:8] or 'no currency'}, the account in "
                    f"{account.currency}",
                )
            )
            return found
        for transaction in statement.iterfind("BANKTRANLIST/STMTTRN"):
            number += 1
            row = _transaction(number, transaction, account, found)
            if row is not None:
                found.rows.append(row)
    return found


def _element_tree(text: str) -> ET.Element:
    """ofxtools' header classes and tree builder on text (its own `OFXTree.parse` wants bytes to
    decode by the header's charset; the client has already decoded them)."""
    source = text.strip()
    if not source.endswith("</OFX>"):
        # An OFX document closes its root, even in SGML: a file that does not was cut short.
        raise ValueError("it does not end with </OFX>: is a part of it missing?")
    header_class = OFXHeaderV2 if source.startswith("<?xml") else OFXHeaderV1
    _header, end = header_class.parse(source)
    builder = TreeBuilder()
    builder.feed(source[end:].strip())
    root = builder.close()
    if root.tag != "OFX":
        raise ValueError(f"the root element is <{root.tag}>, not <OFX>")
    return root


def _account_id(statement: ET.Element) -> str:
    return (
        statement.findtext("BANKACCTFROM/ACCTID") or statement.findtext("CCACCTFROM/ACCTID") or ""
    )


def _transaction(
    number: int, element: ET.Element, account: Account, found: FileRows
) -> ParsedRow | None:
    failed = False

    def fail(field: str, message: str) -> None:
        nonlocal failed
        found.error(RowError(number, field, message))
        failed = True

    fitid = (element.findtext("FITID") or "").strip()
    if not fitid:
        fail("FITID", "is missing: OFX transactions need the bank's id")
    elif len(fitid) > MAX_FITID:
        fail("FITID", f"is longer than {MAX_FITID} characters")
    day = amount = None
    try:
        day = _date(element.findtext("DTPOSTED"))
    except FieldError as error:
        fail("DTPOSTED", str(error))
    try:
        amount = _amount(element.findtext("TRNAMT"), account)
    except FieldError as error:
        fail("TRNAMT", str(error))
    currency = (element.findtext("CURRENCY/CURSYM") or account.currency).strip().upper()
    if currency != account.currency:
        fail("CURRENCY", f"is {currency[:8]}; the account is in {account.currency}")
    name = element.findtext("NAME") or element.findtext("PAYEE/NAME")
    memo = clean_text(element.findtext("MEMO"), MAX_NOTES, multiline=True) or None
    description = clean_text(name, MAX_DESCRIPTION) or (memo or "")[:MAX_DESCRIPTION]
    if failed or day is None or amount is None:
        return None
    return ParsedRow(
        number, day, amount, description or "Imported transaction", memo, reference=fitid
    )


def _date(text: str | None) -> dt.date:
    value = (text or "").strip()
    match = _OFX_DATE.match(value)
    if not match:
        raise FieldError(f"{value[:40]!r} is not an OFX date (YYYYMMDD...)")
    try:
        day = dt.date(*(int(part) for part in match.groups()))
    except ValueError:
        raise FieldError(f"{value[:40]!r} is not a real date") from None
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        raise FieldError(f"{day} is not between {EARLIEST_DATE} and {LATEST_DATE}")
    return day


def _amount(text: str | None, account: Account) -> int:
    value = (text or "").strip()
    match = _OFX_AMOUNT.match(value)
    if not value or not match or not (match.group(2) or match.group(3)):
        raise FieldError(f"{value[:40]!r} is not an amount like -1234.56")
    sign, whole, fraction = match.group(1), match.group(2) or "0", (match.group(3) or "")
    fraction = fraction.rstrip("0")
    if len(whole.lstrip("0")) > MAX_INTEGER_DIGITS:
        raise FieldError(f"{value[:40]!r} is too large")
    exponent = account.exponent
    if len(fraction) > exponent:
        raise FieldError(
            f"{value[:40]!r} has more than {exponent} decimal places for {account.currency}"
        )
    scale: int = 10**exponent
    minor = int(whole) * scale + (int(fraction.ljust(exponent, "0")) if exponent else 0)
    return -minor if sign == "-" else minor


def _short(error: BaseException) -> str:
    message = str(error).splitlines()[0] if str(error) else type(error).__name__
    return message[:200]
