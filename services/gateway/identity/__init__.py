"""Identity: who a user is and how they prove it.

- `service`: sign-up, log-in, session refresh, log-out, and checking an access token.
- `repository`: users, sessions and refresh tokens (stored as hashes).
- `passwords`: argon2id hashing and the password rules.
- `tokens`: short-lived signed access tokens.
- `throttle`: log-in and sign-up attempts counted per account and per address.
"""
