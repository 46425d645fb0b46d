"""Arabic strings of the review and adjudication windows (gold state, self-adjudication, side by side, agreement
figures, bundle keys), kept beside i18n.py so the catalogue there stays small. A plain dict that i18n.py merges into its catalogue:
the arrow runs one way, from i18n to this module."""
from __future__ import annotations

REVIEW_AR_STRINGS: dict[str, str] = {
    "N/P: next/previous disagreement · 1-9: accept that annotator · B: accept all · "
    "X: accept none · select text + 1-9: label by hand · Ctrl+Z: undo · "
    "V: side by side · Ctrl+Enter: mark gold done":
        "N/P: الخلاف التالي/السابق · 1-9: قبول نسخة ذلك المُوسِّم · B: قبول الكل · X: لا شيء · "
        "حدد نصًا + 1-9: وسم يدوي · Ctrl+Z: تراجع · V: جنبًا إلى جنب · Ctrl+Enter: اعتماد المعيار الذهبي",
    "span {start}–{end}": "المدى {start}–{end}",
    "speaker: {name}": "المتحدث: {name}",
    "cue: {cue}": "فعل القول: {cue}",
    "kind: {kind}": "النوع: {kind}",
    "stance: {label}": "الموقف: {label}",
    "Side by side": "جنبًا إلى جنب",
    "Red: what this annotator has and the other has not.": "الأحمر: ما عند هذا المُوسِّم وليس عند الآخر.",
    "Gold: done": "المعيار الذهبي: منجز",
    "Gold: in progress, {n} of {total} disagreement(s) open": "المعيار الذهبي: قيد العمل، {n} من {total} خلافات مفتوحة",
    "Mark gold done": "اعتماد المعيار الذهبي",
    "{n} disagreement(s) have no decision; gold keeps only what it holds for them now. "
    "Mark this gold done anyway?": "{n} من الخلافات بلا قرار؛ يحتفظ المعيار الذهبي بما فيه لها الآن فقط. "
                                    "أتعتمده منجزًا رغم ذلك؟",
    "Include model predictions (machine annotators)": "تضمين تنبؤات النموذج (الواسمون الآليون)",
    "Learning curve": "منحنى التعلم",
    "documents learnt from": "المستندات المتعلَّم منها",
    "Computing the learning curve in the background...": "يُحسب منحنى التعلم في الخلفية...",
    "Held-out entity F1 against documents learnt from (held out {how})":
        "F1 الكيانات على الجزء المحجوز مقابل عدد المستندات المتعلَّم منها (المحجوز {how})",
    "No learning curve: {error}": "لا منحنى تعلم: {error}",
    "This project allows reviewers to adjudicate documents they annotated themselves.":
        "يسمح هذا المشروع للمراجع بالتحكيم في مستندات وسمها بنفسه.",
    "{n} document(s) you annotated yourself are not listed: this project does not allow self-adjudication.":
        "{n} من المستندات التي وسمتها بنفسك غير معروضة: لا يسمح هذا المشروع بالتحكيم في عملك.",
    "How far to trust them (95% interval: bootstrap over documents):":
        "إلى أي حد يُوثق بها (مجال ثقة 95%: إعادة معاينة المستندات):",
    "figure": "المقياس",
    "items": "العناصر",
    "95% interval": "مجال الثقة 95%",
    "warning": "تنبيه",
    "only {n} item(s): not a figure to rely on": "{n} عنصر فقط: رقم لا يُعتمد عليه",
    "Accept the new signing key of {names}? Only if they told you they have a new installation.":
        "أتقبل مفتاح التوقيع الجديد لـ {names}؟ فقط إن أخبروك أن لديهم تثبيتًا جديدًا.",
    "Reviewers may adjudicate their own documents": "يجوز للمراجع التحكيم في مستندات وسمها بنفسه",
    "Reviewers will be able to adjudicate documents they annotated themselves, judging their own version against "
    "the others'. Allow it for this project?": "سيتمكن المراجعون من التحكيم في مستندات وسموها بأنفسهم، فيحكمون على "
                                              "نسختهم مقابل نسخ الآخرين. أتسمح بذلك في هذا المشروع؟",
    # the progress view (Review → Progress…)
    "Progress…": "التقدم…",
    "Progress": "التقدم",
    "Review": "المراجعة",
    "annotator": "المُوسِّم",
    "assigned": "المُسنَد",
    "open": "المتبقي",
    "time spent": "الوقت المستغرق",
    "agreement (exact F1)": "الاتفاق (F1 التام)",
    "{n} min": "{n} دقيقة",
    "{h} h {m} min": "{h} ساعة {m} دقيقة",
    "Time spent leaves out pauses over 5 minutes. Recomputed when anyone saves.":
        "الوقت المستغرق لا يشمل التوقفات التي تزيد على 5 دقائق. يُعاد حسابه كلما حفظ أحد عمله.",
}
