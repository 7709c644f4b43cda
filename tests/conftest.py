"""Shared fixtures: the shipped registry, loaded once."""

from __future__ import annotations

import pandas as pd
import pytest

from servicemap.registry import DEFAULT_DATA_PATH, load_registry


@pytest.fixture(scope="session")
def shipped_sites() -> pd.DataFrame:
    return load_registry(DEFAULT_DATA_PATH).sites
