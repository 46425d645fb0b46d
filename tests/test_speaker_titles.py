"""Titles and names are one speaker (issue 15, item 8), one table per shape (invented sentences; the rule file
resources/arabic/titles.json holds titles, no names). Each row: the text, the names tagged in it (with their
cluster, if linked), then the quote and the speaker proposed for it (text, and entity id when one is tagged)."""
from __future__ import annotations

import pytest

from app.core.assist.clusters import suggest_links
from app.core.assist.suggest import suggest_quotes
from app.core.model import Entity


def tagged(text: str, names: tuple) -> list[Entity]:
    ents, pos = [], 0
    for name in names:
        name, cluster = name if isinstance(name, tuple) else (name, None)
        s = text.index(name, pos if name in text[pos:] else 0)
        pos = s + len(name)
        ents.append(Entity(f"e{len(ents) + 1}", s, s + len(name), "PER", name, cluster=cluster))
    return ents


def speakers(text: str, names: tuple = ()) -> dict:
    return {text[s.start:s.end]: (s.speaker_text, s.speaker) for s in suggest_quotes(text, tagged(text, names))}


UNTAGGED = [  # no entity tagged: the name inside or beside the title phrase, or the one the title was given to
    ("قال وزير النقل الإيطالي ماركو روسي إن الجسر سينهار قريبا.", "الجسر سينهار قريبا", "ماركو روسي"),
    ("وقالت المتحدثة باسم الوزارة سلمى حداد إن القرار نهائي تماما.", "القرار نهائي تماما", "سلمى حداد"),
    ("وقال الرئيس السابق، كريم منصور، إن الانتخابات كانت مزورة.", "الانتخابات كانت مزورة", "كريم منصور"),
    ("وقالت سلمى حداد المتحدثة باسم الوزارة إن القرار نهائي تماما.", "القرار نهائي تماما", "سلمى حداد"),
    ("وقال السفير الأمريكي جون سميث أول سفير يزور المدينة إن الوضع آمن.", "الوضع آمن", "جون سميث"),
    ("وصل وزير الخارجية السعودي أحمد سالم إلى بغداد أمس. وقال الوزير إن الزيارة مهمة جدا.",
     "الزيارة مهمة جدا", "أحمد سالم"),
    ("وصل وزير الخارجية أحمد سالم إلى بغداد. وقال وزير الخارجية إن الزيارة مهمة جدا.", "الزيارة مهمة جدا",
     "أحمد سالم"),
    ("تحدث الدكتور سامي نور عن الأزمة، قائلا: «الوضع خطير جدا»", "الوضع خطير جدا", "سامي نور"),
    # and what is not a title + name stays as it was
    ("وقالت مصادر مقربة من الحكومة إن القرار نهائي تماما.", "القرار نهائي تماما", "مصادر مقربة من الحكومة"),
    ("وقال مصدر مسؤول بوزارة الخارجية إن القرار نهائي تماما.", "القرار نهائي تماما",
     "مصدر مسؤول بوزارة الخارجية"),
    ("وقال مدير برنامج الفضاء إن الإطلاق تأجل.", "الإطلاق تأجل", "مدير برنامج الفضاء"),
    ("وقال الشيخ مولاي إن القرار نهائي تماما.", "القرار نهائي تماما", "الشيخ مولاي"),
    # a description that names no one ends before a relative clause, a verb of being, "issued by"
    ("ووفقا لشهود عيان كانوا يتواجدون في الساحة، فإن الانفجار وقع ظهرا.", "الانفجار وقع ظهرا", "شهود عيان"),
    ("وجاء في التقرير الذي سلم للحكومة أن الوضع خطير جدا.", "الوضع خطير جدا", "التقرير"),
    ("وقال الرئيس الأمريكي إن القرار نهائي تماما.", "القرار نهائي تماما", "الرئيس الأمريكي"),
    ("وقال الوزير إن الزيارة مهمة. وأكد وزير المالية أن الميزانية جاهزة تماما.", "الميزانية جاهزة تماما",
     "وزير المالية"),
    # a cue without a subject: the title that opens the sentence after its verb, or the name apposed to it
    ("ورفض وزير الدفاع الاتهامات الواردة في الكتاب، وقال في بيان الثلاثاء، إن الكلمات لم ترد قط.",
     "الكلمات لم ترد قط", "وزير الدفاع"),
    ("وصف الرئيس الروسي، فلاديمير بوتين، الأربعاء، العميل السابق بأنه خائن، معتبرا أن الواقعة مصطنعة تماما.",
     "الواقعة مصطنعة تماما", "فلاديمير بوتين"),
]


@pytest.mark.parametrize("text, quote, speaker", UNTAGGED, ids=range(len(UNTAGGED)))
def test_untagged_title_and_name(text, quote, speaker):
    got = speakers(text)
    assert got[quote] == (speaker, None), got


TAGGED = [  # entities tagged: the title resolves to the tagged name, a clustered mention to its named mention
    ("وصل وزير الخارجية السعودي أحمد سالم إلى بغداد أمس. وقال الوزير إن الزيارة مهمة جدا.", ("أحمد سالم",),
     "الزيارة مهمة جدا", ("أحمد سالم", "e1")),
    ("وأكد أحمد سالم أن الزيارة مهمة جدا. وقال الوزير إن المحادثات كانت صريحة.",
     (("أحمد سالم", "c1"), ("الوزير", "c1")), "المحادثات كانت صريحة", ("أحمد سالم", "e1")),
    ("وأكد أحمد سالم أن الزيارة مهمة جدا. وقال الوزير إن المحادثات كانت صريحة.", ("أحمد سالم", "الوزير"),
     "المحادثات كانت صريحة", ("الوزير", "e2")),  # not linked: the tagged mention speaks as tagged
    ("قال سالم إن الزيارة مهمة. وكان أحمد سالم قد وصل أمس. وقال سالم إن المحادثات صريحة تماما.",
     (("سالم", "c1"), ("أحمد سالم", "c1"), ("سالم", "c1")), "المحادثات صريحة تماما", ("أحمد سالم", "e2")),
    # the closest earlier title: "وزير الدفاع" is not the chief of staff named after "وزير الدفاع وكبير موظفي ..."
    ("قال وزير الدفاع أحمد سالم إن الخطة جاهزة. وانتقد وزير الدفاع وكبير موظفي القصر سامي نور الخطة. وقال وزير "
     "الدفاع إن الانتقاد ظالم تماما.", ("أحمد سالم", "سامي نور"), "الانتقاد ظالم تماما", ("أحمد سالم", "e1")),
    # a statement of a tagged name is that name; a noun cue with a pronoun speaks for the person named before it
    ("واستقبل الوزير الوفد أمس، حسب بيان القيادة العامة للجيش.", ("القيادة العامة للجيش",), "واستقبل الوزير الوفد أمس",
     ("القيادة العامة للجيش", "e1")),
    ("ونشر سامي نور على حسابه مقطعا نسب فيه للشيخ أحمد سالم قوله إن المظاهرات ليست حلا.", ("سامي نور", "أحمد سالم"),
     "المظاهرات ليست حلا", ("أحمد سالم", "e2")),
    # a person written right before a participle is its subject; a nested report goes on with its subject
    ("وهو الأمر الذي انتقده الرئيس الإيراني، حسن روحاني قائلا إن الاتفاق لم يكن ثنائيا.", ("حسن روحاني",),
     "الاتفاق لم يكن ثنائيا", ("حسن روحاني", "e1")),
    ("ويذكر التقرير أن سامر علي رفض الخطة، وقال لمعاونيه إن الخطة فاشلة تماما.", ("سامر علي",),
     "الخطة فاشلة تماما", ("سامر علي", "e1")),
    ("رأى سامر علي أن انسحاب كريم من الاتفاق خطأ كبير، معتبرا أنه يهدد المنطقة كلها.", ("سامر علي", "كريم"),
     "يهدد المنطقة كلها", ("سامر علي", "e1")),
]


@pytest.mark.parametrize("text, names, quote, speaker", TAGGED, ids=range(len(TAGGED)))
def test_tagged_title_resolves_to_the_named_mention(text, names, quote, speaker):
    got = speakers(text, names)
    assert got[quote] == speaker, got


LINKS = [  # what the window proposes to link: (mention, the mention it names)
    ("قال أحمد سالم إن الزيارة مهمة. وأضاف سالم أن المحادثات صريحة.", ("أحمد سالم", "سالم"), [("e2", "e1")]),
    ("قال أحمد سالم إن الزيارة مهمة. وقال أحمد سالم إن المحادثات صريحة.", ("أحمد سالم", "أحمد سالم"),
     [("e2", "e1")]),
    ("وصل وزير الخارجية أحمد سالم إلى بغداد. وقال الوزير إن الزيارة مهمة.", ("أحمد سالم", "الوزير"),
     [("e2", "e1")]),
    ("وصل وزير الخارجية أحمد سالم إلى بغداد. وقال الوزير إن الزيارة مهمة.", (("أحمد سالم", "c1"), ("الوزير", "c1")),
     []),  # already one cluster
    ("قال أحمد سالم إن الزيارة مهمة. وقال محمد سالم إن المحادثات صريحة.", ("أحمد سالم", "محمد سالم"), []),
]


@pytest.mark.parametrize("text, names, links", LINKS, ids=range(len(LINKS)))
def test_suggested_links(text, names, links):
    assert suggest_links(text, tagged(text, names)) == links
