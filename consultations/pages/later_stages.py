"""What later stages (which this package must not import) register for its pages at start-up:
the demo's builder and the drafts waiting for the board."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from consultations.db import read_scope
from consultations.models import User
from consultations.pages.databases import engine
from consultations.pages.logins import Viewer, snapshot_user


def use_demo_builder(builder: Callable[[Engine], object]) -> None:
    """Build the demo with this function: app.py passes the latest stage's fullest demo."""
    global _demo_builder
    _demo_builder = builder


def build_demo(demo: Engine) -> object:
    """Build the demo in this database with the builder registered (this package's own, else)."""
    from consultations.demo import build_demo as build_base_demo

    return (_demo_builder or build_base_demo)(demo)


_demo_builder: Callable[[Engine], object] | None = None


def use_reviews_waiting(finder: Callable[[Session, User], list[Any]]) -> None:
    """Name the function listing drafts with the board: app.py passes the exports stage's."""
    global _reviews_finder
    _reviews_finder = finder


def reviews_waiting(viewer: Viewer) -> list[Any]:
    """The drafts with the board now, for a board member's home (empty before that stage)."""
    if _reviews_finder is None:
        return []
    with read_scope(engine()) as session:
        return _reviews_finder(session, snapshot_user(session, viewer))


# Board review belongs to a later stage (exports), which this package must not import.
_reviews_finder: Callable[[Session, User], list[Any]] | None = None
