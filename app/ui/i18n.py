"""Interface strings in English and Arabic. `t("English text")` returns the string in the current language.

A dictionary rather than Qt Linguist files: the catalogue is small, lives next to the code, is testable without
lrelease, and an untranslated string falls back to English instead of vanishing.
"""
from __future__ import annotations

EN, AR = "en", "ar"
_language = EN

AR_STRINGS: dict[str, str] = {
    "&File": "&ملف",
    "&Edit": "&تحرير",
    "&View": "&عرض",
    "&Annotate": "&توسيم",
    "&Help": "&مساعدة",
    "Export JSONL…": "تصدير JSONL…",
    "Open project…": "فتح مشروع…",
    "Live updates stopped: {reason}": "توقّف التحديث المباشر: {reason}",
    "Not saved": "لم يُحفظ",
    "Browse…": "استعراض…",
    "Project file or PostgreSQL URL:": "ملف المشروع أو عنوان PostgreSQL:",
    "The edit was not saved.": "لم يُحفظ التعديل.",
    "Quit": "خروج",
    "Undo": "تراجع",
    "Redo": "إعادة",
    "Delete span": "حذف الوسم",
    "Done and next": "تم، التالي",
    "Skip": "تخطٍّ",
    "Flag…": "تعليم بملاحظة…",
    "Next document": "المستند التالي",
    "Previous document": "المستند السابق",
    "Bigger text": "تكبير الخط",
    "Smaller text": "تصغير الخط",
    "Annotator name…": "اسم المُوسِّم…",
    "Annotator name": "اسم المُوسِّم",
    "Your name (every annotation is saved under it):": "اسمك (تُحفظ كل الوسوم باسمك):",
    "Documents": "المستندات",
    "Labels": "الوسوم",
    "Search (ignores diacritics and tatweel)": "بحث (يتجاهل التشكيل والتطويل)",
    "All": "الكل",
    "todo": "للعمل",
    "done": "منجز",
    "skipped": "متخطى",
    "flagged": "معلَّم",
    "id": "المعرّف",
    "title": "العنوان",
    "status": "الحالة",
    "labels": "الوسوم",
    "Exported {n} line(s) to {path}": "صُدِّر {n} سطر إلى {path}",
    "Export finished": "اكتمل التصدير",
    "Export failed": "فشل التصدير",
    "Exporting…": "جارٍ التصدير…",
    "Export cancelled; nothing was written": "أُلغي التصدير؛ لم يُكتب شيء",
    "Cancel": "إلغاء",
    "{done} of {total} done": "{done} من {total} منجز",
    "Flag document": "تعليم المستند",
    "What is wrong with this document?": "ما المشكلة في هذا المستند؟",
    "Annotator: {name}": "المُوسِّم: {name}",
    "Add {label}": "إضافة {label}",
    "Relabel as {label}": "تغيير الوسم إلى {label}",
    "Delete {label}": "حذف {label}",
    "Mark {status}": "وضع الحالة: {status}",
    "All documents are done.": "أُنجزت كل المستندات.",
    "Select text, then press a label key (1–9).": "حدِّد نصًا ثم اضغط مفتاح الوسم (1–9).",
    # guidelines panel and label editor
    "Guidelines": "دليل التوسيم",
    "Edit": "تحرير",
    "Save": "حفظ",
    "Edit labels…": "تحرير الوسوم…",
    "Edit labels": "تحرير الوسوم",
    "Label legend": "دليل الوسوم",
    "Label": "الوسم",
    "Name": "الاسم",
    "Arabic name": "الاسم العربي",
    "Colour": "اللون",
    "Key": "المفتاح",
    "In use": "مستخدم في",
    "Kind:": "النوع:",
    "Entity labels": "وسوم الكيانات",
    "Stance labels": "وسوم الموقف",
    "Quote kinds": "أنواع الاقتباس",
    "Add…": "إضافة…",
    "Rename…": "إعادة تسمية…",
    "Remove…": "حذف…",
    "Add label": "إضافة وسم",
    "Name of the new label (no spaces):": "اسم الوسم الجديد (دون مسافات):",
    "Rename label": "إعادة تسمية الوسم",
    "New name for {name}:": "الاسم الجديد لـ {name}:",
    "Remove label": "حذف الوسم",
    "Label not changed": "لم يتغير الوسم",
    "{n} annotation(s) use {old}. Rename the label and all of them to {new}?":
        "يستخدم {n} توسيمًا الوسمَ {old}. أتعيد تسمية الوسم وكل توسيماته إلى {new}؟",
    "{n} annotation(s) use {name}. They will be moved to another label. Continue?":
        "يستخدم {n} توسيمًا الوسمَ {name}. ستُنقل إلى وسم آخر. أتتابع؟",
    "Move the {n} annotation(s) of {name} to:": "انقل توسيمات {name} ({n}) إلى:",
    "{name} is the last label of its kind.": "{name} هو آخر وسم من نوعه.",
    "Colour of {name}": "لون {name}",
}

_TABLES = {AR: AR_STRINGS}


def set_language(lang: str) -> None:
    global _language
    _language = lang if lang in (EN, AR) else EN


def language() -> str:
    return _language


def t(text: str, **fmt) -> str:
    out = _TABLES.get(_language, {}).get(text, text)
    return out.format(**fmt) if fmt else out


# Edits that cannot be saved, undo that finds its annotation changed, a project open twice.
AR_STRINGS.update({
    "the project is locked by another program": "المشروع مقفل من برنامج آخر",
    "the disk is full": "القرص ممتلئ",
    "the project file cannot be written": "لا يمكن الكتابة في ملف المشروع",
    "{path}: the edit was not saved: {cause}.\nRetry when the file can be written again, or Cancel to leave the "
    "project as it was.": "{path}: لم يُحفظ التعديل: {cause}.\nأعد المحاولة حين تمكن الكتابة في الملف، أو ألغِ "
                          "ليبقى المشروع كما كان.",
    "this annotation was changed in another window/process since; undo skipped":
        "غُيِّر هذا الوسم في نافذة أو عملية أخرى منذ ذلك الحين؛ لم يُنفَّذ التراجع",
    "this annotation was changed in another window/process since; redo skipped":
        "غُيِّر هذا الوسم في نافذة أو عملية أخرى منذ ذلك الحين؛ لم تُنفَّذ الإعادة",
    "{verb} skipped: {problem}": "لم يُنفَّذ {verb}: {problem}",
    "edit": "التعديل",
    "undo": "التراجع",
    "redo": "الإعادة",
    "This window is read-only (the project is open for {name} elsewhere): the edit was not made.":
        "هذه النافذة للقراءة فقط (المشروع مفتوح باسم {name} في مكان آخر): لم يُجرَ التعديل.",
    "read-only": "للقراءة فقط",
    "process {pid} on {host}, since {when}": "العملية {pid} على {host}، منذ {when}",
    "{path} is already open for {name} in another window:\n{where}\n\nTwo windows annotating as the same person "
    "can undo each other's work. Open it read-only, or open it anyway?":
        "{path} مفتوح باسم {name} في نافذة أخرى:\n{where}\n\nنافذتان توسِّمان باسم الشخص نفسه قد تتراجع إحداهما عن "
        "عمل الأخرى. أتفتحه للقراءة فقط، أم تفتحه على أي حال؟",
    "Open read-only": "فتح للقراءة فقط",
    "Open anyway": "فتح على أي حال",
})


# Quotes, stance and hints.
AR_STRINGS.update({
    "Quotes": "الاقتباسات",
    "Stance": "الموقف",
    "quote": "الاقتباس",
    "speaker": "المتحدث",
    "cue": "فعل القول",
    "kind": "النوع",
    "stance": "الموقف",
    "target": "الهدف",
    "Speaker": "المتحدث",
    "Cue": "فعل القول",
    "Kind": "النوع",
    "Toward": "تجاه",
    "Target": "الهدف",
    "direct": "مباشر",
    "indirect": "غير مباشر",
    "favor": "مؤيد",
    "against": "معارض",
    "neutral": "محايد",
    "unclear": "غير واضح",
    "Add quote": "إضافة اقتباس",
    "Edit quote": "تعديل اقتباس",
    "Delete quote": "حذف الاقتباس",
    "Speaker set to {name}.": "صار المتحدث: {name}.",
    "«{word}» is not a known reporting verb. Make it the cue anyway?": "«{word}» ليس فعل قول معروفًا. أتجعله فعل القول مع ذلك؟",
    "Quote the selected text (then click its speaker)": "اقتباس النص المحدد (ثم انقر على المتحدث)",
    "Cue verb of the selected quote: the selected word": "فعل القول للاقتباس المحدد: الكلمة المحددة",
    "Direct ↔ indirect quote": "اقتباس مباشر ↔ غير مباشر",
    "Tag every other occurrence of the selected span (Shift: whole corpus)": "وسم كل تكرار آخر للوسم المحدد (Shift: كل المدوّنة)",
    "Accept the current suggestion": "قبول الاقتراح الحالي",
    "Delete the selected span or quote; with nothing selected, reject the current suggestion": "حذف الوسم أو الاقتباس المحدد؛ وإن لم يُحدَّد شيء: رفض الاقتراح الحالي",
    "Delete the selected span or quote": "حذف الوسم أو الاقتباس المحدد",
    "Let go of the selection": "إلغاء التحديد",
    "Select the next / previous span": "تحديد الوسم التالي / السابق",
    "Move the selected span's end a word (Ctrl: a character; Left is forward)": "تحريك نهاية الوسم المحدد كلمةً (Ctrl: حرفًا؛ اليسار إلى الأمام)",
    "Move the selected span's start a word (Ctrl: a character)": "تحريك بداية الوسم المحدد كلمةً (Ctrl: حرفًا)",
    "Keep the raw selection (no snapping)": "إبقاء التحديد كما هو (دون ضبط)",
    "Label the selection (or relabel the selected span) as {label}": "وسم التحديد (أو إعادة وسم المحدد) بـ{label}",
    "Stance {label}: of the selected quote / of the article toward the selected span": "الموقف {label}: للاقتباس المحدد / للمقال تجاه الوسم المحدد",
    "Keyboard shortcuts": "اختصارات لوحة المفاتيح",
    "Keyboard shortcuts…": "اختصارات لوحة المفاتيح…",
    "Keys": "المفاتيح",
    "Does": "الوظيفة",
    "Resize span": "تغيير حدود الوسم",
    "No span in this article yet.": "لا وسوم في هذا المقال بعد.",
    "The span cannot shrink any further.": "لا يمكن تصغير الوسم أكثر.",
    "A span needs at least one character: drag the edge less far.": "الوسم يحتاج حرفًا واحدًا على الأقل: اسحب الحد مسافة أقل.",
    "The selected text is not a tagged span: tag it first, then press the stance key.": "النص المحدد ليس وسمًا: وسّمه أولًا ثم اضغط مفتاح الموقف.",
    "Entities": "الكيانات",
    "Relabel": "إعادة الوسم",
    "Delete": "حذف",
    "All labels": "كل الوسوم",
    "label": "الوسم",
    "text": "النص",
    "Select one or more spans in the list first.": "حدّد وسمًا أو أكثر في القائمة أولًا.",
    "Relabel {n} spans as {label}": "إعادة وسم {n} بـ{label}",
    "Delete {n} spans": "حذف {n} من الوسوم",
    "Find in the article (ignores diacritics, tatweel and hamza forms)": "بحث في المقال (يتجاهل التشكيل والتطويل وصور الهمزة)",
    "Previous": "السابق",
    "Next": "التالي",
    "Tag this match": "وسم هذه النتيجة",
    "no match": "لا نتيجة",
    "Find in the article…": "بحث في المقال…",
    "Suggestions: ▭ current (Enter; Shift+Enter: all like it; Backspace: reject) · ┄ others": "الاقتراحات: ▭ الحالي (Enter؛ Shift+Enter: كل ما يشبهه؛ Backspace: رفض) · ┄ غيره",
    "Suggestion: «{name}» as {label}": "اقتراح: «{name}» بوسم {label}",
    "Suggested quote: speaker {speaker}, cue {cue}, {kind}": "اقتباس مقترح: المتحدث {speaker}، فعل القول {cue}، {kind}",
    "Accepted {n} suggestions.": "قُبل {n} من الاقتراحات.",
    "Accept {n} suggestions": "قبول {n} من الاقتراحات",
    "Accept every suggestion of the current one's label in this article": "قبول كل اقتراحات وسم الاقتراح الحالي في هذا المقال",
    "Set cue": "تحديد فعل القول",
    "Clear cue": "إزالة فعل القول",
    "Set speaker": "تحديد المتحدث",
    "Set quote kind": "تحديد نوع الاقتباس",
    "Stance {label}": "موقف {label}",
    "Edit stance": "تعديل الموقف",
    "Delete stance": "حذف الموقف",
    "No speaker yet": "لم يُحدَّد المتحدث بعد",
    "Pick or type a target first.": "اختر الهدف أو اكتبه أولًا.",
    "Select the quoted text, then press Q.": "حدِّد النص المقتبس ثم اضغط Q.",
    "Click the speaker's entity (or type a name in the Quotes panel); C marks the cue.":
        "انقر على كيان المتحدث (أو اكتب اسمه في لوحة الاقتباسات)؛ C يحدد فعل القول.",
    "Select a quote first (click it, or pick it in the Quotes panel).":
        "اختر اقتباسًا أولًا (انقر عليه أو اختره من لوحة الاقتباسات).",
    "Select a target entity (or a quote) first, then press the stance key.":
        "اختر كيان الهدف (أو اقتباسًا) أولًا ثم اضغط مفتاح الموقف.",
    "Select text and press Q for a quote; click its speaker; select the cue verb and press C; "
    "K switches direct/indirect; F/A/N/U set its stance.":
        "حدِّد نصًا واضغط Q للاقتباس؛ انقر على المتحدث؛ حدِّد فعل القول واضغط C؛ "
        "K يبدّل مباشر/غير مباشر؛ F/A/N/U لتحديد الموقف.",
    "Article stance toward a target: pick or type the target, then a stance. "
    "Keyboard: select an entity, Shift+F/A/N/U.":
        "موقف المقال من هدف: اختر الهدف أو اكتبه ثم الموقف. بلوحة المفاتيح: اختر كيانًا ثم Shift+F/A/N/U.",
    "Interface language": "لغة الواجهة",
    "English": "English",
    "Arabic": "العربية",
})

# Adjudication and review.
AR_STRINGS.update({
    "Adjudication": "التحكيم",
    "Adjudicate…": "تحكيم…",
    "&Review": "&مراجعة",
    "unit": "الوحدة",
    "decision": "القرار",
    "entity": "كيان",
    "Accept {name}": "قبول نسخة {name}",
    "Accept all": "قبول الكل",
    "Accept none": "رفض الكل",
    "N/P: next/previous disagreement · 1-9: accept that annotator · B: accept all · "
    "X: accept none · select text + 1-9: label by hand · Ctrl+Z: undo":
        "N/P: الخلاف التالي/السابق · 1-9: قبول نسخة ذلك المُوسِّم · B: قبول الكل · X: رفض الكل · "
        "حدِّد نصًا ثم 1-9: توسيم يدوي · Ctrl+Z: تراجع",
})
AR_STRINGS.update({
    "I am the reviewer": "أنا المُراجِع",
    "Blind annotation": "توسيم معمّى",
    "Show other annotators' spans": "إظهار وسوم المُوسِّمين الآخرين",
    "This project is blind: only the reviewer sees everyone's work. Become the reviewer?":
        "هذا المشروع معمّى: المُراجِع وحده يرى عمل الجميع. هل تريد أن تصبح المُراجِع؟",
})

# Arabic assistance.
AR_STRINGS.update({
    "Show suggestions": "إظهار الاقتراحات",
    "Accepted; Enter accepts the next suggestion, Backspace rejects it.":
        "قُبل؛ Enter يقبل الاقتراح التالي و Backspace يرفضه.",
    "Tag all occurrences ({n})": "وسم كل المواضع ({n})",
    "Tag all occurrences": "وسم كل المواضع",
    "Select a tagged span first, then press T (Shift+T: whole corpus).":
        "اختر وسمًا أولًا ثم اضغط T (Shift+T: كل المدوّنة).",
    "No other untagged occurrence of {name}.": "لا مواضع أخرى غير موسومة لـ {name}.",
    "Tag {n} occurrences of {name} as {label} in {docs} documents?":
        "وسم {n} موضعًا لـ {name} بوسم {label} في {docs} مستندات؟",
    "Tagged {n} occurrences.": "وُسم {n} موضعًا.",
    "Import gazetteer…": "استيراد معجم الأسماء…",
    "Imported {n} new names from {path}": "استُورد {n} اسمًا جديدًا من {path}",
})
AR_STRINGS.update({
    "Bundle my work…": "حزم عملي…",
    "Merge bundles…": "دمج الحزم…",
    "Add the missing texts to the project?": "إضافة النصوص الناقصة إلى المشروع؟",
})
AR_STRINGS.update({
    "Agreement": "الاتفاق",
    "Agreement…": "الاتفاق بين المُوسِّمين…",
    "{n} documents annotated by two or more of: {names}": "{n} مستندات وسمها اثنان أو أكثر من: {names}",
    "Stance: κ {k}, α {a} ({u} units)": "الموقف: κ {k}، α {a} ({u} وحدة)",
    "Speakers: κ {k}, α {a} ({u} units)": "المتحدثون: κ {k}، α {a} ({u} وحدة)",
    "pair": "الزوج",
    "documents": "المستندات",
    "document": "المستند",
    "annotators": "المُوسِّمون",
    "exact F1": "F1 مطابق",
    "overlap F1": "F1 متداخل",
    "span F1": "F1 للمدى",
    "Entity F1 per label": "F1 الكيانات لكل وسم",
    "Worst documents (double-click to open):": "أضعف المستندات اتفاقًا (انقر مرتين للفتح):",
    "mean": "متوسط",
})
AR_STRINGS.update({
    "Import…": "استيراد…",
    "Export as…": "تصدير بصيغة…",
    "Format:": "الصيغة:",
    "Format of the .txt files:": "صيغة ملفات ‎.txt:",
    "plain articles": "مقالات نصية",
    "Nothing was imported.": "لم يُستورد شيء.",
})

# The trained model in the window (app/ui/model_suggest.py, assist.py).
AR_STRINGS.update({
    "Model retrained: {summary}": "أُعيد تدريب النموذج: {summary}",
    "Retraining failed: {error}": "تعذّرت إعادة التدريب: {error}",
    "the project's model": "نموذج المشروع",
    "Model not used: {problem}": "لم يُستخدم النموذج: {problem}",
    "Model in use: {summary}": "النموذج المستخدم: {summary}",
    "Retraining the model in the background...": "يُعاد تدريب النموذج في الخلفية...",
    "Accepted {n} model suggestion(s) at or above {pct}% confidence.":
        "قُبل {n} من اقتراحات النموذج بثقة {pct}% أو أكثر.",
    "Accept model suggestions above the threshold": "اقبل اقتراحات النموذج فوق العتبة",
    "Retrain the model now": "أعد تدريب النموذج الآن",
    "Next document: the one the model is least sure of": "المستند التالي: الذي يكون النموذج أقل ثقة فيه",
    "Model suggestion: {label}, {pct}% confident; Enter accepts, Backspace rejects.":
        "اقتراح النموذج: {label}، بثقة {pct}%؛ Enter للقبول، Backspace للرفض.",
})

from .i18n_review import REVIEW_AR_STRINGS  # noqa: E402  the review windows' strings (a module of their own)

AR_STRINGS.update(REVIEW_AR_STRINGS)
from .i18n_notes import NOTES_AR_STRINGS  # noqa: E402  notes on spans and quotes (a module of their own)
AR_STRINGS.update(NOTES_AR_STRINGS)
from .i18n_clusters import CLUSTER_AR_STRINGS  # noqa: E402  linking mentions (entity clusters)

AR_STRINGS.update(CLUSTER_AR_STRINGS)
