"""The baselines' source at a git ref (``benchmarks/gitsource.py``), on Pythons with and without
tarfile's extraction filters (Debian 12 ships 3.11.2, which has none: bench_market failed there)."""

from __future__ import annotations

import sys
import tarfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import gitsource  # noqa: E402

REF = "30eb135"  # the code before issues 17-22, the whole-market benchmark's baseline


@pytest.mark.parametrize("filters", [True, False])
def test_the_source_at_a_ref_is_extracted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                          filters: bool) -> None:
    if not filters:
        monkeypatch.delattr(tarfile, "data_filter", raising=False)
    got = gitsource.extract_at(REF, ["parsers"], tmp_path / "b")
    assert got == tmp_path / "b"
    assert (got / "parsers" / "__init__.py").is_file() and (got / "parsers" / "results.py").is_file()


def test_an_unknown_ref_gives_none(tmp_path: Path) -> None:
    assert gitsource.extract_at("no-such-ref-here", ["parsers"], tmp_path) is None


def test_an_unsafe_path_is_refused_without_filters() -> None:
    member = tarfile.TarInfo("../outside.py")
    with pytest.raises(ValueError, match="unsafe path: ../outside.py"):
        gitsource._plain(member)
    assert gitsource._plain(tarfile.TarInfo("parsers/x.py"))
    link = tarfile.TarInfo("parsers/link")
    link.type = tarfile.SYMTYPE
    assert not gitsource._plain(link)  # only plain files and folders are extracted
