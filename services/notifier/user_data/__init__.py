"""A user's alerts as a whole: where they go, the rules and the notifications written out for
the user's export, and all of it deleted with their account."""
