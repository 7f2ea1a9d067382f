"""After our own writes, sync-collection (RFC 6578) tells whether the only changes since
the marker read before writing are ours: then the next unchanged sync is one request.
A user's edit made while we wrote must still be seen by the next sync. Counted on the
wire, through a proxy, against Radicale and Xandikos."""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from support.caldav_harness import CalDAVHarness
from support.cli_helpers import ok
from support.env import caldav_env
from support.fault_proxy import FaultProxy
from support.radicale_server import PASSWORD, Radicale
from support.sink_contract import log_interviews, plan_now
from support.xandikos_server import Xandikos

pytestmark = pytest.mark.slow
_names = itertools.count()


@pytest.fixture(scope="module", params=["radicale", "xandikos"])
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Any]:
    kind = Radicale if request.param == "radicale" else Xandikos
    started = kind(tmp_path_factory.mktemp(request.param)).start()
    yield started
    started.stop()


@pytest.fixture
def proxy(server: Any) -> Iterator[FaultProxy]:
    started = FaultProxy(server.port).start()
    yield started
    started.stop()


@pytest.fixture
def harness(
    server: Any, proxy: FaultProxy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> CalDAVHarness:
    caldav_env(monkeypatch, tmp_path / "home", PASSWORD)
    log_interviews()
    return CalDAVHarness(server, f"Follow-ups {next(_names)}", url=proxy.url)


def requests_of(
    proxy: FaultProxy, harness: CalDAVHarness, *flags: str
) -> tuple[dict[str, Any], list[str]]:
    before = len(proxy.methods)
    report = harness.sync(*flags)
    return report, proxy.methods[before:]


def test_the_sync_right_after_our_writes_is_one_request(
    proxy: FaultProxy, harness: CalDAVHarness
) -> None:
    report, methods = requests_of(proxy, harness)
    assert report["created"] == len(plan_now()) > 0
    assert methods[-1] == "REPORT"  # what changed since the marker: only our creations
    report, methods = requests_of(proxy, harness)
    assert methods == ["PROPFIND"]
    assert report["unchanged"] == len(plan_now())

    ok("status", "1", "rejected")  # updates and deletions this time
    report, methods = requests_of(proxy, harness)
    assert report["updated"] + report["deleted"] > 0 and methods[-1] == "REPORT"
    report, methods = requests_of(proxy, harness)
    assert methods == ["PROPFIND"]
    assert report["unchanged"] == len(plan_now())


def test_an_edit_made_while_we_write_is_seen_by_the_next_sync(
    proxy: FaultProxy, harness: CalDAVHarness
) -> None:
    proxy.delay = 0.4  # each request slowed, so the run is still writing while we edit
    done: list[dict[str, Any]] = []
    run = threading.Thread(target=lambda: done.append(harness.sync("--connections", "1")))
    run.start()
    while len(proxy.writes) < 2 and run.is_alive():  # one write went through, one is on its way
        time.sleep(0.02)
    uid = next(iter(harness.events()))  # straight to the server, not through the proxy
    harness.user_edit(uid, "Edited while the sync wrote")
    edited_at = time.monotonic()
    run.join()
    assert done and done[0]["created"] == len(plan_now())
    # The edit landed before the last write went out, so before the run asked what changed.
    assert edited_at < proxy.writes[-1][0]
    proxy.delay = 0

    before = len(proxy.methods)
    report = harness.sync()
    assert proxy.methods[before:][:2] == ["PROPFIND", "PROPFIND"]  # the marker, then a listing
    assert report["unchanged"] < len(plan_now())  # the edited event was weighed again
    assert harness.events()[uid].summary == "Edited while the sync wrote"  # and kept
    report, methods = requests_of(proxy, harness)
    assert report["unchanged"] == len(plan_now()) and len(methods) <= 2


@pytest.mark.parametrize("server", ["radicale"], indirect=True)
@pytest.mark.parametrize("answer", ["refused", "lost"])
def test_without_an_answer_to_sync_collection_the_next_sync_lists_once_more(
    proxy: FaultProxy, harness: CalDAVHarness, answer: str
) -> None:
    """A server that cannot say what changed since a token (or whose answer is lost)
    keeps the old behaviour; the writes are done and recorded, and the run succeeds."""
    if answer == "refused":
        proxy.once = ("REPORT", 501)
    else:
        proxy.drop_once("REPORT")
    report, methods = requests_of(proxy, harness)
    assert report["created"] == len(plan_now()) and methods[-1] == "REPORT"
    assert report["errors"] == [] and report["code"] == 0
    _, methods = requests_of(proxy, harness)
    assert methods == ["PROPFIND", "PROPFIND"]
    _, methods = requests_of(proxy, harness)
    assert methods == ["PROPFIND"]
