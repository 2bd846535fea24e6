"""Tables that show every column: widths set from what each column holds, so a wide table
does not cut off its last columns (names and dates fit; long text gets the room)."""

from __future__ import annotations

from collections.abc import Collection

import pandas as pd
import streamlit as st


def column_widths(
    columns: Collection[str], *, narrow: Collection[str] = (), wide: Collection[str] = ()
) -> dict[str, object]:
    """The column_config giving each column a width: ``narrow`` small, ``wide`` large, the
    rest medium."""
    config = {}
    for column in columns:
        width = "small" if column in narrow else "large" if column in wide else "medium"
        config[column] = st.column_config.TextColumn(column, width=width)
    return config


def show_table(
    frame: pd.DataFrame, *, narrow: Collection[str] = (), wide: Collection[str] = ()
) -> None:
    """Show a table across the page with every column in view."""
    st.dataframe(
        frame,
        hide_index=True,
        width="stretch",
        column_config=column_widths(frame.columns, narrow=narrow, wide=wide),
    )
