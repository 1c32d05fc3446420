"""Where the tests find the W3C Web Annotation working group's checker: the shared,
read-only conformance material (run in place, never written to, never copied)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

W3C_SUITE = Path(os.environ.get("CROSSREAD_W3C_SUITE", "/work/shared/w3c-annotation-model"))
CHECKER = W3C_SUITE / "check_annotation.py"


def w3c_checker() -> Path:
    """The checker's path; a failure when CI requires it (CROSSREAD_REQUIRE_W3C_SUITE=1)
    and it is missing, else a skip that says where it was looked for."""
    if CHECKER.is_file():
        return CHECKER
    reason = f"The W3C checker is not at {CHECKER}: set CROSSREAD_W3C_SUITE to its folder."
    if os.environ.get("CROSSREAD_REQUIRE_W3C_SUITE") == "1":
        pytest.fail(reason)
    pytest.skip(reason)
