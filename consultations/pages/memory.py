"""Keeping the garbage collector's rounds short in a long-lived server process."""

from __future__ import annotations

import functools
import gc


@functools.cache
def freeze_long_lived_objects(after: str) -> None:
    """Once per process and per page: take what is loaded by then (modules, spaCy's tables,
    pandas and Altair, the app's own structures) out of the garbage collector's rounds.

    Those objects live as long as the process; without this every full collection walks all of
    them again, and one landing in a page run cost that run 100 to 200 ms (bench/pages.py).
    Start-up is frozen first; each page's first run imports the libraries only it uses, so
    what it loaded is frozen after it. Garbage is collected first, so none is kept for good.
    """
    gc.collect()
    gc.freeze()
