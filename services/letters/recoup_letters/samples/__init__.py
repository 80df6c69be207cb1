"""Sample letter templates, one per letter type: for tests, the benchmark and a new client's first
draft (a client must still approve its own wording, R-27)."""

from __future__ import annotations

from importlib.resources import files

from ..rules.model import LetterType

_FILES = {
    LetterType.NOTICE: "notice.j2",
    LetterType.FIRST_REMINDER: "reminder.j2",
    LetterType.SECOND_REMINDER: "reminder.j2",
    LetterType.FINAL_REMINDER: "reminder.j2",
    LetterType.LAWYER: "lawyer.j2",
    LetterType.CALLBACK_NOTICE: "callback_notice.j2",
    LetterType.INSTALMENT_CONFIRMATION: "instalment_confirmation.j2",
}


def sample_template(letter_type: LetterType) -> str:
    return files(__package__).joinpath(_FILES[letter_type]).read_text(encoding="utf-8")
