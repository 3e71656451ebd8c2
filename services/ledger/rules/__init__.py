"""Transaction rules: conditions on a transaction (its description, payee, amount, account)
and what to do to the transactions they match (set a category or a payee, add tags, mark it a
transfer).

- conditions.py: a rule's conditions as given and stored (the filter language's account,
  payee and amount conditions, plus text that the description or payee contains or matches),
  and their checks.
- matching.py: the one function that says whether a transaction matches, and what the user's
  rules, in order, make of it (pure: no database).
- service.py, repository.py: the rules themselves (create, update, delete, reorder, list), and
  what bank ingest needs of them (ingest applies them to every new bank transaction).
- history.py: a rule applied to the transactions already there, or previewed without writing.
- arrivals.py: the enabled rules applied to a file import's new rows.

Nothing a user chose is ever changed by a rule: a category, payee or tags the user set stay.
"""
