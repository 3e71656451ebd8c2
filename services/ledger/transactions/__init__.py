"""Transactions: recording, editing and deleting them by hand, and the filtered, keyset-paged
list (TransactionQuery). Bank transactions arrive through bank_ingest instead."""
