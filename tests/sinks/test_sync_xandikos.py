"""The whole sink contract against Xandikos, a second CalDAV server (412 no-uid-conflict)."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest
from support.caldav_harness import CalDAVHarness
from support.env import caldav_env
from support.radicale_server import PASSWORD
from support.sink_contract import ForeignEventsContract, SinkContract
from support.xandikos_server import Xandikos

pytestmark = pytest.mark.slow
_names = itertools.count()


@pytest.fixture(scope="module")
def xandikos(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Xandikos]:
    server = Xandikos(tmp_path_factory.mktemp("xandikos")).start()
    yield server
    server.stop()


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return caldav_env(monkeypatch, tmp_path / "home", PASSWORD)


class TestXandikosContract(SinkContract, ForeignEventsContract):
    @pytest.fixture
    def harness(self, xandikos: Xandikos, home: Path) -> CalDAVHarness:
        return CalDAVHarness(xandikos, f"Follow-ups {next(_names)}")  # type: ignore[arg-type]
