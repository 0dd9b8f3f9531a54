"""Starter questions and pitches reach every database: new ones from any entry point, and
older ones on upgrade, without touching a library the user already filled."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select, text

from planner.app import main
from planner.db import models as m
from planner.db.database import make_engine, migrate, open_database
from planner.db.starter import STARTER_CHECKLIST, STARTER_PITCHES, STARTER_QUESTIONS


def _count(path: Path, model: type[m.Question] | type[m.Pitch]) -> int:
    db = open_database(path)
    try:
        with db.session() as s:
            return int(s.scalar(select(func.count(model.id))) or 0)
    finally:
        db.close()


def test_demo_then_open_has_starter_content(tmp_path: Path) -> None:
    """The README's start: `planner demo`, then the window opens the same file."""
    target = tmp_path / "demo.sqlite3"
    args = ["--data-dir", str(tmp_path), "--database", str(target), "demo", "--contacts", "20"]
    assert main(args) == 0
    db = open_database(target)
    try:
        with db.session() as s:
            questions = set(s.scalars(select(m.Question.text)))
            pitches = set(s.scalars(select(m.Pitch.title)))
            event_id = s.scalar(select(m.EventPlan.id))
            checklist = list(
                s.scalars(
                    select(m.EventChecklistItem.text)
                    .where(m.EventChecklistItem.event_id == event_id)
                    .order_by(m.EventChecklistItem.position)
                )
            )
    finally:
        db.close()
    assert questions == {q for q, _ in STARTER_QUESTIONS}
    assert {t for t, _ in STARTER_PITCHES} <= pitches
    assert checklist == list(STARTER_CHECKLIST)


def test_upgrade_seeds_empty_libraries_only(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine, path, target="0003_foreign_key_indexes")
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO questions (uuid, created_at, updated_at, text, tags) VALUES"
                " ('q1', '2026-01-01 00:00:00', '2026-01-01 00:00:00', 'Mine?', '')"
            )
        )
    engine.dispose()
    assert _count(path, m.Question) == 1  # the user's own bank stays as it is
    assert _count(path, m.Pitch) == len(STARTER_PITCHES)
    db = open_database(path)
    with db.session() as s:
        pitch = s.scalars(select(m.Pitch)).first()
        assert pitch is not None and pitch.uuid and pitch.created_at.tzinfo is not None
    db.close()
