"""Importing files into an account: CSV mapped by column, OFX/QFX by FITID, QIF; previews that
write nothing; duplicates shown and skipped; re-imports that add nothing; bad input named."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from tests.ledger.imports_support import (
    GIROKONTO,
    QIF_US,
    file_text,
    import_file,
    job,
    preview,
    run,
    start,
)
from tests.ledger.support import (
    add_transaction,
    all_transactions,
    bank_account,
    create_account,
    link_item,
    new_user,
    rejected_field,
    transaction_count,
)
from tests.support.graphql import data, error_codes, execute

pytestmark = pytest.mark.usefixtures("ledger_worker")


def _stored(transactions: list[dict[str, Any]]) -> Counter[tuple[str, str, str, str | None]]:
    """What was stored, in any order (identical rows counted)."""
    return Counter(
        (t["date"], t["amount"]["amount"], t["description"], t["notes"]) for t in transactions
    )


async def test_a_semicolon_csv_with_comma_decimals_imports_as_mapped() -> None:
    user = await new_user()
    account = await create_account(user, currency="EUR")
    started = await start(user, account["id"], "CSV", file_text("girokonto.csv"), "giro.csv")
    assert started["status"] == "RECEIVING"
    assert started["firstLines"][1] == "Buchungstag;Verwendungszweck;Betrag;Notiz"

    shown = await preview(user, started["id"], GIROKONTO, first=2)
    assert shown["columns"] == ["Buchungstag", "Verwendungszweck", "Betrag", "Notiz"]
    assert (shown["rowsTotal"], shown["newRows"], shown["duplicates"]) == (5, 5, 0)
    assert shown["errorCount"] == 0
    assert shown["rows"] == [
        {"row": 3, "date": "2026-03-02", "amount": {"amount": "-4.50", "currency": "EUR"},
         "description": "Bäckerei Schmidt; Filiale 3", "notes": None, "reference": None,
         "duplicate": None},
        {"row": 4, "date": "2026-03-02", "amount": {"amount": "-3.20", "currency": "EUR"},
         "description": "Kaffee", "notes": None, "reference": None, "duplicate": None},
    ]  # fmt: skip
    assert await transaction_count(user) == 0  # a preview writes nothing

    queued = await run(user, started["id"], GIROKONTO)
    assert queued["status"] == "QUEUED"
    from services.ledger import api as ledger_api
    from tests.support.workers import drain

    await drain(ledger_api.QUEUE)
    done = await job(user, started["id"])
    assert done["status"] == "COMPLETED", done
    assert (done["rowsTotal"], done["rowsDone"], done["added"], done["duplicates"]) == (5, 5, 5, 0)
    assert done["firstLines"] == []  # the file is not kept once imported
    assert _stored(await all_transactions(user)) == Counter(
        [
            ("2026-03-02", "-3.20", "Kaffee", None),
            ("2026-03-02", "-3.20", "Kaffee", "zweiter"),
            ("2026-03-02", "-4.50", "Bäckerei Schmidt; Filiale 3", None),
            ("2026-03-05", "2500.00", "Gehalt März", "Arbeitgeber GmbH"),
            ("2026-03-07", "-1234.56", '=HYPERLINK("x")', None),
        ]
    )


async def test_reimporting_the_same_csv_adds_nothing_and_two_identical_coffees_stay_two() -> None:
    user = await new_user()
    account = await create_account(user, currency="EUR")
    first = await import_file(user, account["id"], "CSV", file_text("girokonto.csv"), GIROKONTO)
    assert first["added"] == 5

    again = await start(user, account["id"], "CSV", file_text("girokonto.csv"))
    shown = await preview(user, again["id"], GIROKONTO)
    assert (shown["newRows"], shown["duplicates"]) == (0, 5)
    assert {row["duplicate"] for row in shown["rows"]} == {"ALREADY_IMPORTED"}
    await run(user, again["id"], GIROKONTO)
    from services.ledger import api as ledger_api
    from tests.support.workers import drain

    await drain(ledger_api.QUEUE)
    second = await job(user, again["id"])
    assert (second["status"], second["added"], second["duplicates"]) == ("COMPLETED", 0, 5)
    coffees = [t for t in await all_transactions(user) if t["description"] == "Kaffee"]
    assert len(coffees) == 2


async def test_an_ofx_1_sgml_file_imports_by_fitid_with_the_banks_dates() -> None:
    user = await new_user()
    account = await create_account(user)
    done = await import_file(user, account["id"], "OFX", file_text("checking-v1.ofx"))
    assert (done["status"], done["added"]) == ("COMPLETED", 4), done
    assert _stored(await all_transactions(user)) == Counter(
        [
            ("2026-03-02", "-42.17", "WHOLE FOODS MARKET", "POS PURCHASE"),
            ("2026-03-03", "-3.50", "BLUE BOTTLE COFFEE", None),
            ("2026-03-03", "-3.50", "BLUE BOTTLE COFFEE", None),
            # Midnight at UTC+10 is still the 5th where the bank is.
            ("2026-03-05", "2500.00", "ACME CORP PAYROLL", None),
        ]
    )
    again = await import_file(user, account["id"], "OFX", file_text("checking-v1.ofx"))
    assert (again["added"], again["duplicates"]) == (0, 4)
    assert await transaction_count(user) == 4


async def test_a_qfx_ofx_2_xml_file_reads_payees_and_memos() -> None:
    user = await new_user()
    account = await create_account(user, type="CREDIT")
    started = await start(user, account["id"], "QFX", file_text("card-v2.qfx"))
    shown = await preview(user, started["id"])
    assert [(r["reference"], r["amount"]["amount"], r["description"], r["notes"])
            for r in shown["rows"]] == [
        ("2026030424692160000000001", "-19.99", "STREAMING SERVICE", "Monthly plan"),
        ("2026030624692160000000002", "-64.10", "SHELL OIL 5744", None),
        ("2026030824692160000000003", "150.00", "PAYMENT THANK YOU", None),
    ]  # fmt: skip


async def test_a_qif_file_imports_exact_amounts_and_split_totals() -> None:
    user = await new_user()
    account = await create_account(user, type="CASH")
    done = await import_file(user, account["id"], "QIF", file_text("cash.qif"), QIF_US)
    assert done["status"] == "COMPLETED", done
    assert _stored(await all_transactions(user)) == Counter(
        [
            ("2026-03-01", "-12.50", "Farmers Market", "Apples and bread"),
            ("2026-03-02", "-1250.00", "Landlord", None),
            ("2026-03-05", "-60.00", "Hardware store", None),
            ("2026-03-09", "3000.00", "Paycheck", None),
        ]
    )
    again = await import_file(user, account["id"], "QIF", file_text("cash.qif"), QIF_US)
    assert again["added"] == 0


async def test_a_row_entered_by_hand_is_shown_as_a_duplicate_and_skipped_one_for_one() -> None:
    user = await new_user()
    account = await create_account(user)
    await add_transaction(user, account["id"], "-3.50", date="2026-03-03", description="coffee")
    started = await start(user, account["id"], "OFX", file_text("checking-v1.ofx"))
    shown = await preview(user, started["id"])
    assert [row["duplicate"] for row in shown["rows"]] == [
        None, "MATCHES_EXISTING", None, None,
    ]  # fmt: skip
    await run(user, started["id"])
    from services.ledger import api as ledger_api
    from tests.support.workers import drain

    await drain(ledger_api.QUEUE)
    done = await job(user, started["id"])
    assert (done["added"], done["duplicates"]) == (3, 1)
    assert await transaction_count(user) == 4


async def test_a_big_file_arrives_in_parts_and_a_repeated_part_changes_nothing() -> None:
    user = await new_user()
    account = await create_account(user, currency="EUR")
    text = file_text("girokonto.csv")
    parts = [text[:50], text[50:130], text[130:]]
    started = await start(user, account["id"], "CSV", parts[0], total_bytes=len(text.encode()))
    run_early = "mutation($i: RunImportInput!) { runImport(input: $i) { importJob { id } } }"
    early = {"i": {"importJobId": started["id"], "settings": GIROKONTO}}
    assert error_codes(await execute(run_early, early, user_id=user)) == ["CONFLICT"]
    append = """mutation($i: AppendImportTextInput!) {
                  appendImportText(input: $i) { importJob { partsReceived bytesReceived } } }"""
    for number, part in enumerate(parts[1:], start=2):
        variables = {"i": {"importJobId": started["id"], "part": number, "text": part}}
        await data(append, variables, user_id=user)
    retried = await data(
        append, {"i": {"importJobId": started["id"], "part": 2, "text": parts[1]}}, user_id=user
    )
    assert retried["appendImportText"]["importJob"] == {
        "partsReceived": 3, "bytesReceived": len(text.encode()),
    }  # fmt: skip
    other = {"i": {"importJobId": started["id"], "part": 2, "text": "something else"}}
    assert error_codes(await execute(append, other, user_id=user)) == ["CONFLICT"]
    skipped = {"i": {"importJobId": started["id"], "part": 5, "text": "x"}}
    assert await rejected_field(append, skipped, user_id=user) == "input.part"
    shown = await preview(user, started["id"], GIROKONTO)
    assert (shown["rowsTotal"], shown["errorCount"]) == (5, 0)


async def test_a_part_over_the_limit_is_refused_naming_the_text() -> None:
    user = await new_user()
    account = await create_account(user)
    start_op = """mutation($i: StartImportInput!) { startImport(input: $i) { importJob { id } } }"""
    big = {"i": {"accountId": account["id"], "format": "CSV", "text": "x" * 400_001}}
    assert await rejected_field(start_op, big, user_id=user) == "input.text"


async def test_bad_settings_are_refused_naming_the_setting() -> None:
    user = await new_user()
    account = await create_account(user, currency="EUR")
    started = await start(user, account["id"], "CSV", file_text("girokonto.csv"))
    query = "query($i: ImportPreviewInput!) { importPreview(input: $i) { rowsTotal } }"

    async def refused(settings: dict[str, object]) -> str:
        variables = {"i": {"importJobId": started["id"], "settings": settings}}
        return await rejected_field(query, variables, user_id=user)

    beyond = {**GIROKONTO, "csv": {**GIROKONTO["csv"], "amountColumn": 9}}  # type: ignore[dict-item]
    assert await refused(beyond) == "input.settings.csv.amountColumn"
    zero = {**GIROKONTO, "csv": {**GIROKONTO["csv"], "dateColumn": 0}}  # type: ignore[dict-item]
    assert await refused(zero) == "input.settings.csv.dateColumn"
    twice = {**GIROKONTO, "csv": {**GIROKONTO["csv"], "notesColumn": 3}}  # type: ignore[dict-item]
    assert await refused(twice) == "input.settings.csv.notesColumn"
    assert await refused({"csv": GIROKONTO["csv"]}) == "input.settings.dateFormat"
    assert await refused({"dateFormat": "DD_MM_YYYY"}) == "input.settings.csv"
    run_op = "mutation($i: RunImportInput!) { runImport(input: $i) { importJob { id } } }"
    no_csv = {"i": {"importJobId": started["id"], "settings": {"dateFormat": "DD_MM_YYYY"}}}
    assert await rejected_field(run_op, no_csv, user_id=user) == "input.settings.csv"


async def test_bad_rows_are_listed_by_row_and_column_and_a_run_adds_nothing() -> None:
    user = await new_user()
    account = await create_account(user)
    text = (
        "date,description,amount\n"
        "2026-03-01,fine,-1.00\n"
        "2026-13-01,bad month,-2.00\n"
        "2026-03-02,exponent,1.5e3\n"
        "2026-03-03,float digits,-12.345\n"
        "2026-03-04,not a number,twelve\n"
    )
    settings = {
        "dateFormat": "YYYY_MM_DD",
        "csv": {"dateColumn": 1, "descriptionColumn": 2, "amountColumn": 3},
    }
    started = await start(user, account["id"], "CSV", text)
    shown = await preview(user, started["id"], settings)
    errors = [(e["row"], e["field"], e["column"]) for e in shown["errors"]]
    assert errors == [(3, "date", 1), (4, "amount", 3), (5, "amount", 3), (6, "amount", 3)]
    messages = [e["message"] for e in shown["errors"]]
    assert "exponent" in messages[1]
    assert "more than 2 decimal places for USD" in messages[2]
    assert shown["rowsTotal"] == 1

    await run(user, started["id"], settings)
    from services.ledger import api as ledger_api
    from tests.support.workers import drain

    await drain(ledger_api.QUEUE)
    failed = await job(user, started["id"])
    assert (failed["status"], failed["errorCount"], failed["added"]) == ("FAILED", 4, 0)
    assert failed["errors"][0] == {
        "row": 3, "field": "date", "column": 1,
        "message": "'2026-13-01' is not a real date (read as 2026-03-31)",
    }  # fmt: skip
    assert await transaction_count(user) == 0

    # Fixed settings cannot fix the file; a FAILED import may still run again.
    rerun = await run(user, started["id"], settings)
    assert rerun["status"] == "QUEUED"
    await drain(ledger_api.QUEUE)


async def test_a_file_that_is_not_ofx_fails_naming_the_file() -> None:
    user = await new_user()
    account = await create_account(user)
    started = await start(user, account["id"], "OFX", "date,amount\n2026-01-01,1.00\n")
    shown = await preview(user, started["id"])
    assert [(e["row"], e["field"]) for e in shown["errors"]] == [(None, "file")]
    cut_short = await start(user, account["id"], "OFX", file_text("checking-v1.ofx")[:1100])
    shown = await preview(user, cut_short["id"])
    assert [(e["row"], e["field"]) for e in shown["errors"]] == [(None, "file")]
    assert "</OFX>" in shown["errors"][0]["message"]
    eur_file = file_text("checking-v1.ofx").replace("<CURDEF>USD", "<CURDEF>EUR")
    other = await start(user, account["id"], "OFX", eur_file)
    shown = await preview(user, other["id"])
    assert [(e["field"], e["message"]) for e in shown["errors"]] == [
        ("CURDEF", "the statement is in EUR, the account in USD")
    ]


async def test_an_unknown_format_is_refused() -> None:
    user = await new_user()
    account = await create_account(user)
    result = await execute(
        """mutation($i: StartImportInput!) { startImport(input: $i) { importJob { id } } }""",
        {"i": {"accountId": account["id"], "format": "XLSX", "text": "a"}},
        user_id=user,
    )
    assert result.errors
    assert "XLSX" in result.errors[0].message


async def test_a_linked_account_takes_no_import() -> None:
    user = await new_user()
    await link_item(user, bank_account())
    linked = next(a for a in await _accounts(user) if a["linked"])
    query = """mutation($i: StartImportInput!) { startImport(input: $i) { importJob { id } } }"""
    variables = {"i": {"accountId": linked["id"], "format": "OFX", "text": "x"}}
    assert await rejected_field(query, variables, user_id=user) == "input.accountId"


async def _accounts(user: object) -> list[dict[str, object]]:
    result = await data("{ accounts { id linked } }", user_id=user)  # type: ignore[arg-type]
    found: list[dict[str, object]] = result["accounts"]
    return found


async def test_another_users_account_and_import_are_not_found() -> None:
    owner = await new_user()
    intruder = await new_user()
    account = await create_account(owner)
    started = await start(owner, account["id"], "OFX", file_text("checking-v1.ofx"))
    attempts = [
        ("mutation($i: StartImportInput!) { startImport(input: $i) { importJob { id } } }",
         {"i": {"accountId": account["id"], "format": "OFX", "text": "x"}}),
        ("query($id: ID!) { importJob(id: $id) { id } }", {"id": started["id"]}),
        ("query($i: ImportPreviewInput!) { importPreview(input: $i) { rowsTotal } }",
         {"i": {"importJobId": started["id"]}}),
        ("mutation($i: RunImportInput!) { runImport(input: $i) { importJob { id } } }",
         {"i": {"importJobId": started["id"]}}),
        ("mutation($i: AppendImportTextInput!) { appendImportText(input: $i) { importJob { id } } }",  # noqa: E501
         {"i": {"importJobId": started["id"], "part": 2, "text": "x"}}),
    ]  # fmt: skip
    for operation, variables in attempts:
        assert error_codes(await execute(operation, variables, user_id=intruder)) == ["NOT_FOUND"]
    listed = await data("{ importJobs { edges { node { id } } } }", user_id=intruder)
    assert listed["importJobs"]["edges"] == []
    mine = await data("{ importJobs(first: 5) { edges { node { id status } } } }", user_id=owner)
    assert mine["importJobs"]["edges"] == [{"node": {"id": started["id"], "status": "RECEIVING"}}]


async def test_imported_rows_in_a_foreign_currency_are_converted_like_any_new_transaction() -> None:
    user = await new_user()  # base currency USD
    await data(
        """mutation($input: SetExchangeRateInput!) {
             setExchangeRate(input: $input) { exchangeRate { id } } }""",
        {"input": {"currency": "EUR", "date": "2026-03-01", "rate": "1.10"}},
        user_id=user,
    )
    account = await create_account(user, currency="EUR")
    done = await import_file(user, account["id"], "CSV", file_text("girokonto.csv"), GIROKONTO)
    assert done["added"] == 5
    listed = await data(
        """{ transactions(first: 10) { edges { node {
             amount { amount } converted { amount { amount currency } rate } } } } }""",
        user_id=user,
    )
    figures = {
        (edge["node"]["amount"]["amount"], edge["node"]["converted"]["amount"]["amount"])
        for edge in listed["transactions"]["edges"]
    }
    assert figures == {
        ("-4.50", "-4.95"), ("-3.20", "-3.52"), ("2500.00", "2750.00"), ("-1234.56", "-1358.02"),
    }  # fmt: skip


async def test_a_closed_account_takes_no_import_and_a_deleted_one_takes_its_imports_along() -> None:
    user = await new_user()
    closed = await create_account(user, name="Old card")
    await data(
        "mutation($i: CloseAccountInput!) { closeAccount(input: $i) { account { id } } }",
        {"i": {"id": closed["id"]}},
        user_id=user,
    )
    query = """mutation($i: StartImportInput!) { startImport(input: $i) { importJob { id } } }"""
    variables = {"i": {"accountId": closed["id"], "format": "CSV", "text": "x"}}
    assert await rejected_field(query, variables, user_id=user) == "input.accountId"

    account = await create_account(user, currency="EUR")
    imported = await import_file(user, account["id"], "CSV", file_text("girokonto.csv"), GIROKONTO)
    unfinished = await start(user, account["id"], "CSV", file_text("girokonto.csv"))
    deleted = await data(
        """mutation($i: DeleteAccountInput!) { deleteAccount(input: $i) {
             deletedAccountId deletedTransactionCount } }""",
        {"i": {"id": account["id"]}},
        user_id=user,
    )

    assert deleted["deleteAccount"]["deletedTransactionCount"] == imported["added"]
    for gone in (imported["id"], unfinished["id"]):
        result = await execute(
            "query($id: ID!) { importJob(id: $id) { id } }", {"id": gone}, user_id=user
        )
        assert error_codes(result) == ["NOT_FOUND"]


async def test_imported_rows_get_the_payees_their_descriptions_name() -> None:
    user = await new_user()
    account = await create_account(user, currency="EUR")
    await add_transaction(user, account["id"], "-2.80", date="2026-02-27", description="KAFFEE")

    await import_file(user, account["id"], "CSV", file_text("girokonto.csv"), GIROKONTO)

    listed = await data(
        "{ transactions(first: 20) { edges { node { description payee { id name } } } } }",
        user_id=user,
    )
    payees = {e["node"]["description"]: e["node"]["payee"] for e in listed["transactions"]["edges"]}
    assert payees["Kaffee"] is not None
    assert payees["Kaffee"]["id"] == payees["KAFFEE"]["id"]  # the payee it already had
    assert payees["Gehalt März"] is not None
