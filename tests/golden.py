"""Golden files (tests/golden/): an output compared, byte for byte, with the file that holds it.

A missing or different file FAILS the test. To write (or rewrite) the files after a change whose
new output you have checked, run the tests with EDITION_UPDATE_GOLDEN=1 (or UPDATE_GOLDEN=1), e.g.

    EDITION_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_golden_documents.py tests/test_render.py

and review `git diff tests/golden/` before committing (docs/architecture.md).
"""

import os
from pathlib import Path

GOLDEN = Path(__file__).parent / "golden"
UPDATE_VARIABLE = "EDITION_UPDATE_GOLDEN"


def updating() -> bool:
    return "1" in (os.environ.get(UPDATE_VARIABLE), os.environ.get("UPDATE_GOLDEN"))


def check_golden(name: str, got: str | bytes) -> None:
    """Assert that `got` is the content of tests/golden/<name> (rewritten instead when updating)."""
    data = got.encode("utf-8") if isinstance(got, str) else got
    if not data.endswith(b"\n"):
        data += b"\n"
    path = GOLDEN / name
    if updating():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return
    assert path.exists(), f"golden file tests/golden/{name} is missing ({UPDATE_VARIABLE}=1 writes it)"
    assert data == path.read_bytes(), f"{name} differs from tests/golden/{name} ({UPDATE_VARIABLE}=1 rewrites it)"
