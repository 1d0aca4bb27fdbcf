"""Declared access: every view states who may reach it, and a test checks that all do."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

View = TypeVar("View", bound=Callable[..., object])

PUBLIC = "public"


def public(view: View) -> View:
    """Anyone, logged in or not, may use this view."""
    view.access_policy = PUBLIC  # type: ignore[attr-defined]
    return view


def policy_of(view: Callable[..., object]) -> str | None:
    return getattr(view, "access_policy", None)
