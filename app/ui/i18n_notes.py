"""Arabic strings of notes on spans and quotes (app.ui.notes, the entity list and quote panel columns, the
adjudication window's list). A plain dict that i18n.py merges into its catalogue, as i18n_review.py."""
from __future__ import annotations

NOTES_AR_STRINGS: dict[str, str] = {
    "Note": "ملاحظة",
    "note": "ملاحظة",
    "Note…": "ملاحظة…",
    "Edit note": "تعديل الملاحظة",
    "Remove note": "حذف الملاحظة",
    "Why this label, or a doubt for the reviewer": "لماذا هذا الوسم، أو شكٌّ تتركه للمراجع",
    "Quote «{quote}»": "اقتباس «{quote}»",
    "Select a span or a quote first, then press M for its note.": "حدد وسمًا أو اقتباسًا أولًا، ثم اضغط M لملاحظته.",
    "Note on the selected span or quote (why this label; a doubt for the reviewer)":
        "ملاحظة على الوسم أو الاقتباس المحدد (لماذا هذا الوسم؛ شكٌّ للمراجع)",
    "note: {note}": "ملاحظة: {note}",
    "Notes ({n})": "الملاحظات ({n})",
}
