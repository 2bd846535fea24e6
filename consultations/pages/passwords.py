"""The two password boxes every page that sets a password shows (invite, reset)."""

from __future__ import annotations

import streamlit as st

from consultations import accounts


def new_password(label: str, again: str) -> tuple[str, str]:
    """Show a new-password box and its confirmation inside the caller's form; return both."""
    password = st.text_input(
        label,
        type="password",
        autocomplete="new-password",
        max_chars=accounts.MAX_PASSWORD_LENGTH,
        help=f"At least {accounts.MIN_PASSWORD_LENGTH} characters.",
    )
    confirm = st.text_input(
        again,
        type="password",
        autocomplete="new-password",
        max_chars=accounts.MAX_PASSWORD_LENGTH,
    )
    return password, confirm
