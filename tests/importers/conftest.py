"""The shared corpus sits next to the repository (`../shared`); its absence is a failure.

`PODIUM_SHARED_DIR` points elsewhere (a git worktree is not next to `shared/`).
"""

import os
from pathlib import Path

import pytest

SHARED = Path(
    os.environ.get("PODIUM_SHARED_DIR") or Path(__file__).resolve().parents[2] / ".." / "shared"
)
CORPUS = SHARED / "corpus" / "prisec-ml"


@pytest.fixture(scope="session")
def corpus() -> Path:
    if not (CORPUS / "about").is_dir():
        pytest.fail(
            f"The shared corpus is missing: expected {CORPUS.resolve()} (a `shared/` folder "
            "next to the repository, as CI checks it out)."
        )
    return CORPUS.resolve()


@pytest.fixture
def page_file(tmp_path):
    """Write a small page and return its path."""

    def write(text: str, name: str = "about.md") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write
