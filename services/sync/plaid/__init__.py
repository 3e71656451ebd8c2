"""Plaid, as the sync service sees it: no rules of Tally's here, and no database.

`client` calls Plaid's endpoints through plaid-python (in threads, with timeouts); `records`
are what Plaid answers, read exactly (amounts as Decimals); `errors` holds `PlaidError`;
`mapping` turns Plaid's accounts and transactions into the ledger's, with the ledger's signs.
"""
