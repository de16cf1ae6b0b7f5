"""Applying an edited config file to a running daemon (``monitor.daemon.reload.Reloader``), with the real
loader and the real ``build`` on a real Redis: a bad edit is rejected and counted and the last good
config keeps running, a good edit rebuilds once, an unchanged file is not reloaded unless forced, and
alerts stranded on a channel the new config no longer uses are re-routed."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from monitor.daemon.components import Components, build
from monitor.daemon.reload import Reloader
from monitor.errors import ConfigError
from monitor.filing import Filing, FilingKind
from monitor.metrics import Metrics
from monitor.settings import Settings
from monitor.store import DeliveryState

MakeFiling = Callable[..., Filing]


def parse_nothing(data: bytes, reader: str) -> dict[str, Any]:
    raise AssertionError("no document is read in these tests")


def config(redis_url: str, watches: str = '[[watch]]\ncode = "2512"\nchannel = "#results"\n') -> str:
    return (f'{watches}\n[store]\nurl = "{redis_url}"\nnamespace = "reload"\n\n'
            '[daemon]\nhttp_port = 0\n')


class Rebuilds:
    """The daemon's side of a reload: builds the real components for each config it is handed (and
    keeps them, to close), or fails the way ``Daemon._rebuild`` can."""

    def __init__(self, metrics: Metrics) -> None:
        self.metrics = metrics
        self.built: list[Components] = []
        self.fail_with: Exception | None = None

    def __call__(self, settings: Settings) -> Components:
        if self.fail_with is not None:
            raise self.fail_with
        comps = build(settings, self.metrics, stop=threading.Event(), owner="reloading",
                      parse=parse_nothing)
        self.built.append(comps)
        return comps

    @property
    def settings(self) -> list[Settings]:
        return [c.settings for c in self.built]


@pytest.fixture
def metrics() -> Metrics:
    return Metrics()


@pytest.fixture
def rebuilds(metrics: Metrics) -> Iterator[Rebuilds]:
    made = Rebuilds(metrics)
    yield made
    for comps in made.built:
        comps.close()


@pytest.fixture
def path(tmp_path: Path, redis_url: str) -> Path:
    p = tmp_path / "watchlist.toml"
    p.write_text(config(redis_url))
    return p


@pytest.fixture
def wake() -> threading.Event:
    return threading.Event()


@pytest.fixture
def reloader(path: Path, metrics: Metrics, rebuilds: Rebuilds, wake: threading.Event) -> Reloader:
    return Reloader(path, metrics, rebuilds, wake=wake)


def reloads(metrics: Metrics, outcome: str) -> float:
    return metrics.registry.get_sample_value("hkexmon_config_reloads_total", {"outcome": outcome}) or 0.0


def test_an_unchanged_file_is_not_reloaded(reloader: Reloader, rebuilds: Rebuilds, metrics: Metrics) -> None:
    assert reloader.reload() is False
    assert reloader.reload() is False
    assert rebuilds.built == [] and reloads(metrics, "applied") == reloads(metrics, "rejected") == 0


def test_a_good_edit_rebuilds_once(reloader: Reloader, rebuilds: Rebuilds, metrics: Metrics, path: Path,
                                   redis_url: str) -> None:
    two = '[[watch]]\ncode = "2512"\n\n[[watch]]\ncode = "20"\nalert_on = "all"\n'
    path.write_text(config(redis_url, two))
    assert reloader.reload() is True
    assert reloader.reload() is False  # the same file again: nothing to do
    [settings] = rebuilds.settings
    assert settings.codes == ("02512", "00020") and settings.source_path == str(path)
    assert reloads(metrics, "applied") == 1 and reloads(metrics, "rejected") == 0


def test_a_file_written_again_unchanged_is_not_reloaded(reloader: Reloader, rebuilds: Rebuilds,
                                                        path: Path) -> None:
    path.write_text(path.read_text())  # touched, same bytes
    assert reloader.reload() is False and rebuilds.built == []


@pytest.mark.parametrize("bad", [
    '[[watch]]\ncode = "2512\n',  # not TOML
    '[[watch]]\ncode = "twenty"\n',  # not a stock code
    '[[watch]]\ncode = "2512"\n[slack]\nbot_token = "xoxb-1-2-3"\n',  # a secret in the file
    '[[watch]]\ncode = "2512"\n[schedule]\noff_window_s = 0\n',  # out of range
])
def test_a_bad_edit_is_rejected_counted_once_and_the_next_good_one_applies(
        bad: str, reloader: Reloader, rebuilds: Rebuilds, metrics: Metrics, path: Path,
        redis_url: str) -> None:
    path.write_text(config(redis_url, bad))
    assert reloader.reload() is False
    assert reloader.reload() is False  # the same bad file is not read (nor counted) again
    assert rebuilds.built == [] and reloads(metrics, "rejected") == 1
    path.write_text(config(redis_url, '[[watch]]\ncode = "388"\n'))
    assert reloader.reload() is True
    assert [s.codes for s in rebuilds.settings] == [("00388",)]
    assert reloads(metrics, "applied") == 1 and reloads(metrics, "rejected") == 1


def test_an_edit_that_cannot_be_applied_is_rejected(reloader: Reloader, rebuilds: Rebuilds, metrics: Metrics,
                                                    path: Path, redis_url: str) -> None:
    rebuilds.fail_with = ConfigError("daemon.http_port 9108 on 127.0.0.1 is in use")
    path.write_text(config(redis_url, '[[watch]]\ncode = "700"\n'))
    assert reloader.reload() is False
    assert rebuilds.built == [] and reloads(metrics, "rejected") == 1 and reloads(metrics, "applied") == 0


def test_a_forced_reload_rebuilds_an_unchanged_file(reloader: Reloader, rebuilds: Rebuilds,
                                                    metrics: Metrics) -> None:
    assert reloader.reload(force=True) is True
    assert reloader.reload(force=True) is True
    assert len(rebuilds.built) == 2 and reloads(metrics, "applied") == 2
    assert reloader.reload() is False


def test_a_forced_reload_of_a_bad_file_keeps_the_last_good_config(reloader: Reloader, rebuilds: Rebuilds,
                                                                   metrics: Metrics, path: Path) -> None:
    path.write_text("[[watch]]\n")
    assert reloader.reload(force=True) is False
    assert rebuilds.built == [] and reloads(metrics, "rejected") == 1


def test_a_missing_file_is_not_a_reload(reloader: Reloader, rebuilds: Rebuilds, metrics: Metrics,
                                        path: Path) -> None:
    path.unlink()
    assert reloader.reload() is False and reloader.reload(force=True) is False
    assert rebuilds.built == [] and reloads(metrics, "rejected") == 0


def test_alerts_stranded_on_a_channel_the_config_left_are_rerouted(
        reloader: Reloader, rebuilds: Rebuilds, path: Path, redis_url: str, wake: threading.Event,
        make_filing: MakeFiling) -> None:
    first = rebuilds(Settings.model_validate({"watch": [{"code": "2512", "channel": "#results"}],
                                              "store": {"url": redis_url, "namespace": "reload"}}))
    results = make_filing("2025082700001", codes=("02512",), kind=FilingKind.INTERIM_RESULTS)
    other = make_filing("2025082700002", codes=("00700",), kind=FilingKind.OTHER)  # not watched any more
    assert first.store.enqueue(results, "#results") and first.store.enqueue(other, "#results")
    path.write_text(config(redis_url, '[[watch]]\ncode = "2512"\nchannel = "#earnings"\n'))
    assert reloader.reload() is True
    assert wake.is_set()  # the deliverer is told at once
    store = rebuilds.built[-1].store
    assert store.state(results.id, "#earnings") is DeliveryState.NEW
    assert store.state(results.id, "#results") is DeliveryState.DROPPED
    assert store.state(other.id, "#results") is DeliveryState.NEW  # no channel wants it now: left alone


def test_a_reload_that_moves_nothing_does_not_wake_the_deliverer(
        reloader: Reloader, path: Path, redis_url: str, wake: threading.Event) -> None:
    path.write_text(config(redis_url, '[[watch]]\ncode = "2512"\nchannel = "#results"\nname = "Cloud"\n'))
    assert reloader.reload() is True
    assert not wake.is_set()
