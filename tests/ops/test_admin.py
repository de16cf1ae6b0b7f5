"""Pending alerts an operator can see and fix: ``hkex-monitor alerts`` and the daemon's own re-route
after a config edit (an alert stranded on a removed channel used to fail every cycle for good)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

import pytest
from slackstandin import SlackStandin

from monitor.cli import main
from monitor.daemon import Daemon
from monitor.filing import Filing, FilingKind
from monitor.settings import load_settings
from monitor.store import DeliveryState, open_store

MakeFiling = Callable[..., Filing]


def config(path: Path, store: Path, channel: str) -> Path:
    path.write_text(f'[[watch]]\ncode = "20"\nalert_on = "all"\nchannel = "{channel}"\n'
                    f'[store]\nurl = "sqlite:///{store}"\n[daemon]\nhttp_port = 0\n')
    return path


def test_stranded_alert_follows_the_config_edit(tmp_path: Path, make_filing: MakeFiling,
                                                caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    cfg = config(tmp_path / "w.toml", tmp_path / "s.db", "#gone")
    daemon = Daemon(load_settings(cfg, env={}), config_path=cfg)
    store = daemon.components.store
    filing = make_filing("2026112100001", kind=FilingKind.OTHER)
    store.enqueue(filing, "#gone")
    claim = store.claim(filing.id, "#gone", "x", 30)
    assert claim is not None
    store.release(claim, "channel_not_found")
    config(cfg, tmp_path / "s.db", "#results")
    assert daemon.reload_if_changed()
    store = daemon.components.store
    [pending] = store.pending()
    assert (pending.id, pending.channel, pending.attempts) == (filing.id, "#results", 1)
    assert store.state(filing.id, "#gone") is DeliveryState.DROPPED
    assert "re-routed 1 pending alert(s)" in caplog.text and "#gone -> #results" in caplog.text
    daemon.components.close()


def test_alerts_command_lists_retries_drops_and_reroutes(tmp_path: Path, make_filing: MakeFiling,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "s.db"
    cfg = config(tmp_path / "w.toml", db, "#results")
    store = open_store(f"sqlite:///{db}")
    a, b = make_filing("2026112100001"), make_filing("2026112100002", kind=FilingKind.OTHER)
    store.enqueue(a, "#results")
    store.enqueue(b, "#gone")
    claim = store.claim(a.id, "#results", "x", 30)
    assert claim is not None
    store.release(claim, "Slack answered HTTP 500", retry_in_s=600)
    store.submit_document(a, "results")

    assert main(["alerts", "list", "--config", str(cfg)]) == 0
    out, err = capsys.readouterr()
    assert a.id in out and "retry in" in out and "Slack answered HTTP 500" in out and "#gone" in out
    assert "2 pending alerts" in err and "1 waiting" in err

    assert main(["alerts", "retry", a.id, "--config", str(cfg)]) == 0
    assert next(p for p in store.pending() if p.id == a.id).not_before == 0

    assert main(["alerts", "reroute", "--config", str(cfg)]) == 0
    assert "#gone -> #results" in capsys.readouterr().out
    assert {(p.id, p.channel) for p in store.pending()} == {(a.id, "#results"), (b.id, "#results")}

    assert main(["alerts", "drop", "nope", "--config", str(cfg)]) == 1
    assert "no such pending alert" in capsys.readouterr().err
    assert main(["alerts", "drop", b.id, "--config", str(cfg)]) == 0
    assert [p.id for p in store.pending()] == [a.id]
    store.close()


def test_second_instance_on_a_busy_port_is_one_line_and_exit_2(tmp_path: Path, slack_standin: SlackStandin,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        cfg = tmp_path / "w.toml"
        cfg.write_text(f'[[watch]]\ncode = "20"\n[store]\nurl = "sqlite:///{tmp_path}/s.db"\n'
                       f'[daemon]\nhttp_port = {port}\n')
        assert main(["run", "--config", str(cfg)]) == 2
    err = capsys.readouterr().err
    assert f"daemon.http_port {port}" in err and "--no-http" in err and "Traceback" not in err
