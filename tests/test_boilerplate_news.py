"""Boilerplate on real news (issue 15, item 12): the read-more / see-also / follow-us families with their punctuation
variants, notification lines, separators, hashtag lines and bylines are greyed; article lines never are."""
from __future__ import annotations

import pytest

from app.core.text.boilerplate import body_range, boilerplate_lines

FURNITURE = [
    "للمزيد: وزير الخارجية الجديد.. من الجاسوسية إلى الدبلوماسية",
    "للمزيد - مونديال 2018: عودة على التغطية المباشرة",
    "قد يهمك/ كبير المستشارين يحذر: لن نصمد 48 ساعة",
    "قد يهمك.. بعد الضربة.. سيناتور: القول إن \"المهمة أنجزت\" مستحيل",
    "قد يهمك أيضا:",
    "اقرأ.. سيناتور حول الضربة: أخشى ألا ننفذ وعدنا",
    "اقرأ: (تمنح رخصة تشغيل سينما: أول دار عرض بعد أسبوعين)",
    "إقرأ أيضا: الأسواق تتراجع",
    "اقرأ ايضاً:",
    "شاهد: لحظة وصول الوفد",
    "شاهد أيضاً",
    "تابعونا على تويتر",
    "يمكنكم تسلم إشعارات بأهم الموضوعات بعد تحميل أحدث نسخة من التطبيق على هاتفكم المحمول.",
    "يمكنكم استلام إشعارات بأهم الموضوعات بعد تحميل أحدث نسخة من التطبيق.",
    "--------------------------------------------------",
    "--------------------- ---------------------",
    "#السعودية #الاقتصاد #النفط",
    "بقلم: سامي عادل",
]
ARTICLE = [
    "وقال شاهد عيان إن الانفجار كان مدويا.",
    "شاهد عيان روى ما حدث في الساحة صباحا.",
    "تابع الوزير أن الحكومة ستواصل العمل.",
    "قد يهمك أن تعرف أن الأسعار ارتفعت كثيرا هذا العام بنسبة كبيرة.",
    "للمزيد من التفاصيل عن الخطة عقد الوزير مؤتمرا صحفيا.",
    "وكتب الوزير على تويتر أن الاجتماع كان مثمرا.",
    "اقرأ المقال كاملا لتعرف ما جرى في الاجتماع الذي عقد أمس في العاصمة.",
]


@pytest.mark.parametrize("line", FURNITURE)
def test_furniture_lines_are_greyed(line):
    text = f"فقرة من الخبر.\n{line}\nفقرة أخرى من الخبر."
    s = text.index(line)
    assert (s, s + len(line)) in boilerplate_lines(text)


@pytest.mark.parametrize("line", ARTICLE)
def test_article_lines_are_not(line):
    text = f"فقرة من الخبر.\n{line}\nفقرة أخرى من الخبر."
    assert boilerplate_lines(text) == []


def test_links_after_a_see_also_header_are_greyed_up_to_the_article():
    links = ["حقائق عن الإقليم", "ثلاثة مرشحين لرئاسة البلاد بينهم امرأة", "من هم السكان؟"]
    text = "\n".join(["قال الوزير إن الانتخابات ستجرى في موعدها.", "اقرأ أيضاً:", *links,
                      "وبحسب المفوضية، فإن عدد الناخبين بلغ مليونين، وهو رقم قياسي في تاريخ البلاد كلها."])
    got = [text[s:e] for s, e in boilerplate_lines(text)]
    assert got == ["اقرأ أيضاً:", *links]
    s, e = body_range(text)
    assert text[s:e].startswith("قال الوزير") and text[s:e].endswith("كلها.")
