"""A user's ledger as a whole: every row of theirs written out for their export (read in
keyset pages, never all at once), and every row of theirs deleted with their account."""
