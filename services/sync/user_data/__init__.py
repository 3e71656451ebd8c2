"""A user's banks as a whole: their linked institutions written out for their export, and, when
they delete their account, every item revoked at Plaid and deleted here. An item Plaid did not
confirm removing is kept (its encrypted access token alone, nothing of the user) and removed
by a job retried until Plaid confirms."""
