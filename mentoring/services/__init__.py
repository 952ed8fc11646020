"""Writes that change state: each in a transaction, checking who is acting."""
