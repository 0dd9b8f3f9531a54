"""Notes about a contact, each with its author and a visibility (private to the author by
default): what one teammate jots down about a person is theirs unless they share it."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.core.changes import Changes
from planner.core.errors import NotFoundError, ValidationError
from planner.core.records import NoteRecord
from planner.core.visibility import PRIVATE, clean_visibility, may_see, note_visible, viewer
from planner.db import models as m
from planner.db.database import Database
from planner.db.types import utcnow

MAX_NOTE_CHARS = 20_000


def note_record(n: m.ContactNote) -> NoteRecord:
    return NoteRecord(
        id=n.id,
        uuid=n.uuid,
        contact_id=n.contact_id,
        text=n.text or "",
        visibility=n.visibility or PRIVATE,
        created_by=n.created_by or "",
        updated_by=n.updated_by or "",
        created_at=n.created_at,
        updated_at=n.updated_at,
    )


def _clean_text(text: str) -> str:
    cleaned = str(text or "").strip()
    if not cleaned:
        raise ValidationError("text", "Write something in the note first.")
    if len(cleaned) > MAX_NOTE_CHARS:
        raise ValidationError("text", f"Keep a note under {MAX_NOTE_CHARS:,} characters.")
    return cleaned


def notes_of(s: Session, db: Database, contact_id: int) -> tuple[NoteRecord, ...]:
    """The contact's notes the current user may read, newest first (inside a session)."""
    rows = s.scalars(
        select(m.ContactNote)
        .where(m.ContactNote.contact_id == contact_id, note_visible(viewer(db)))
        .order_by(m.ContactNote.created_at.desc(), m.ContactNote.id.desc())
    ).all()
    return tuple(note_record(n) for n in rows)


class NoteService:
    """One short transaction per call; returns frozen records and what changed."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def _get(self, s: Session, note_id: int) -> m.ContactNote:
        note = s.get(m.ContactNote, note_id)
        user = viewer(self.db)
        if note is None or not may_see(user, note.visibility, note.created_by):
            raise NotFoundError("That note no longer exists.")
        return note

    def _writable(self, note: m.ContactNote) -> None:
        """Only its author changes a note (a teammate's shared note is read-only to others)."""
        user = viewer(self.db)
        if user and note.created_by and note.created_by != user:
            raise ValidationError(
                "text", f"This note is {note.created_by}'s; only they can change it."
            )

    def add(
        self, contact_id: int, text: str, visibility: str = PRIVATE
    ) -> tuple[NoteRecord, Changes]:
        with self.db.session() as s:
            if s.get(m.Contact, contact_id) is None:
                raise NotFoundError(f"Contact {contact_id} no longer exists.")
            note = m.ContactNote(
                contact_id=contact_id,
                text=_clean_text(text),
                visibility=clean_visibility(visibility),
            )
            s.add(note)
            s.flush()
            return note_record(note), Changes.of(contacts=[contact_id])

    def update(self, note_id: int, text: str, visibility: str) -> tuple[NoteRecord, Changes]:
        with self.db.session() as s:
            note = self._get(s, note_id)
            self._writable(note)
            note.text = _clean_text(text)
            note.visibility = clean_visibility(visibility)
            note.updated_at = utcnow()
            s.flush()
            return note_record(note), Changes.of(contacts=[note.contact_id])

    def get(self, note_id: int) -> NoteRecord:
        with self.db.session() as s:
            return note_record(self._get(s, note_id))

    def delete(self, note_id: int) -> tuple[NoteRecord, Changes]:
        """Remove a note; the record returned puts it back (restore)."""
        with self.db.session() as s:
            note = self._get(s, note_id)
            self._writable(note)
            record = note_record(note)
            s.delete(note)
            return record, Changes.of(contacts=[record.contact_id])

    def restore(self, record: NoteRecord) -> tuple[NoteRecord, Changes]:
        """Put a deleted note back with its id, uuid, author and dates (undo)."""
        with self.db.session() as s:
            if s.get(m.Contact, record.contact_id) is None:
                raise NotFoundError("The note's contact no longer exists.")
            note = m.ContactNote(
                id=record.id,
                uuid=record.uuid,
                contact_id=record.contact_id,
                text=record.text,
                visibility=record.visibility,
                created_by=record.created_by,
                updated_by=record.updated_by,
                created_at=record.created_at or utcnow(),
                updated_at=record.updated_at or utcnow(),
            )
            s.add(note)
            s.flush()
            return note_record(note), Changes.of(contacts=[record.contact_id])

    def list_for(self, contact_id: int) -> list[NoteRecord]:
        with self.db.session() as s:
            return list(notes_of(s, self.db, contact_id))
