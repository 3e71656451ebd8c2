"""Linking banks: Link tokens, the public-token exchange, storing linked items (their access
tokens encrypted) with their accounts, and listing them. `repository` also holds the lookups of
linked items that the other areas share.
"""
