"""The serving process checkpoints SQLite's WAL from a thread, never inside a request's commit."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from core.models import Source
from store.engine import make_engine, session_scope
from store.migrate import upgrade
from store.wal_checkpoint import WalCheckpointer


def _autocheckpoint(engine: object) -> int:
    with engine.connect() as conn:  # type: ignore[attr-defined]
        return int(conn.execute(text("PRAGMA wal_autocheckpoint")).scalar_one())


def test_commits_leave_checkpoints_to_the_thread(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'hub.db'}")
    upgrade(engine)
    assert _autocheckpoint(engine) == 1000  # SQLite's default: checkpoint inside a commit
    checkpointer = WalCheckpointer(engine, every_s=3600).start()  # no tick during the test
    try:
        assert _autocheckpoint(engine) == 0
        for n in range(50):
            with session_scope(engine) as s:
                s.add(Source(name=f"form-{n}", kind="web_form", config={}))
        result = checkpointer.checkpoint()
        assert result is not None
        busy, frames, done = result
        assert busy == 0 and frames > 0 and done == frames  # all of the WAL copied back
    finally:
        checkpointer.stop()
    assert _autocheckpoint(engine) == 1000  # after stop, commits checkpoint again
    with session_scope(engine) as s:
        assert s.query(Source).count() == 50
    engine.dispose()


def test_nothing_to_do_for_an_in_memory_database() -> None:
    engine = make_engine("sqlite://")
    checkpointer = WalCheckpointer(engine).start()
    assert checkpointer.checkpoint() is None
    checkpointer.stop()
    engine.dispose()


def test_a_vanished_database_is_not_recreated(tmp_path: Path) -> None:
    path = tmp_path / "gone.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    checkpointer = WalCheckpointer(engine)
    path.unlink()
    assert checkpointer.checkpoint() is None and not path.exists()


def test_commits_checkpoint_again_only_when_the_last_checkpointer_stops(tmp_path: Path) -> None:
    """An import inside the serving process: the import's checkpointer ends, the server's goes on."""
    engine = make_engine(f"sqlite:///{tmp_path / 'hub.db'}")
    upgrade(engine)
    with WalCheckpointer(engine, every_s=3600):  # the server's
        with WalCheckpointer(engine, every_s=3600):  # the import's
            assert _autocheckpoint(engine) == 0
        assert _autocheckpoint(engine) == 0
    assert _autocheckpoint(engine) == 1000
    engine.dispose()


def test_an_import_hands_automatic_checkpoints_back(tmp_path: Path) -> None:
    from hub.demo.data import write_trade_show_file
    from services.intake.imports import import_leads

    path = tmp_path / "hub.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    sheet = write_trade_show_file(tmp_path / "expo.xlsx", rows=300, seed=4)
    report = import_leads(engine, sheet, "expo")
    assert report.landing.landed > 250
    assert _autocheckpoint(engine) == 1000
    engine.dispose()
