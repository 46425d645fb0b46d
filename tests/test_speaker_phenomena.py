"""Speakers of the weak phenomena of issue 15 (relative clauses, descriptions, circumstance phrases, complementisers),
one table per rule (invented sentences; rule words live in resources/arabic/reporting.json). Each row: the text, the
names tagged in it, the quote and the speaker proposed for it."""
from __future__ import annotations

import pytest

from tests.test_speaker_titles import speakers

RESUMPTIVE = [  # a relative clause whose cue carries a preposition + pronoun: its own subject follows
    ("ويشير أيضا إلى الفوضى في البيت الأبيض التي يقول عنها كريم منصور إنها تصل إلى حد الانهيار التام.",
     ("البيت الأبيض", "كريم منصور"), "تصل إلى حد الانهيار التام", "كريم منصور"),
    ("وهذه هي الخطة التي قال فيها الوزير إن الحكومة لن تتراجع عنها أبدا.", (),
     "الحكومة لن تتراجع عنها أبدا", "الوزير"),
    # outside a relative clause the preposition's pronoun is no subject slot: what follows is the object
    ("وأصدرت الخارجية بيانا وصفت فيه تصريحات سلمى حداد بأنها غير ملائمة إطلاقا.", ("سلمى حداد",),
     "غير ملائمة إطلاقا", ""),
]

WHERE_WHEN = [  # a where/when phrase between the subject and the complementiser does not make the cue too far off
    ("وقد وصف كريم منصور، الناطق باسم الحركة، في تدوينة نشرها عبر حسابه على فيسبوك، المسيرة بأنها شكل من أشكال "
     "المقاومة.", ("كريم منصور",), "شكل من أشكال المقاومة", "كريم منصور"),
    ("وقد وصف كريم منصور، الناطق باسم الحركة، في تدوينة نشرها عبر حسابه على فيسبوك، المسيرة بأنها شكل من أشكال "
     "المقاومة.", (), "شكل من أشكال المقاومة", "كريم منصور"),
]


@pytest.mark.parametrize("text, names, quote, speaker", RESUMPTIVE, ids=range(len(RESUMPTIVE)))
def test_resumptive_pronoun_in_relative_clause(text, names, quote, speaker):
    got = speakers(text, names)
    assert quote in got and got[quote][0] == speaker, got


@pytest.mark.parametrize("text, names, quote, speaker", WHERE_WHEN, ids=range(len(WHERE_WHEN)))
def test_where_when_phrase_before_complementiser(text, names, quote, speaker):
    got = speakers(text, names)
    assert quote in got and got[quote][0] == speaker, got


def test_far_colon_after_a_via_phrase_opens_nothing():
    """"في تغريدة عبر حسابه على موقع ...، تحدث [name] ...، قائلا:": عبر is "via" here, not a cue whose
    subject is حسابه; the quote is the participle's, by the name."""
    text = ('في تغريدة جديدة عبر حسابه على موقع "تويتر"، تحدث الدكتور كريم منصور، نائب الرئيس السابق، عن '
            '"عالمنا العربي"، الأربعاء، قائلا: "أصبحنا مثارا للشفقة ومادة للتندر".')
    assert all(sp != "حسابه" for sp, _ in speakers(text).values()), speakers(text)


DESCRIBED = [  # an indefinite noun phrase right before a present-tense cue is described by it, and speaks
    ("نفى الرئيس، أحمد سالم، ما جاء في كتاب جديد يقول إنه أمر بالترتيب لاغتيال الرئيس.", ("أحمد سالم",),
     "أمر بالترتيب لاغتيال الرئيس", "كتاب جديد"),
    ("نفى الرئيس، أحمد سالم، ما جاء في كتاب جديد يقول إنه أمر بالترتيب لاغتيال الرئيس.", (),
     "أمر بالترتيب لاغتيال الرئيس", "كتاب جديد"),
    ("وسرق المستشار كريم منصور، رسالة من مكتب الرئيس تقول إن الرئيس يخطط للتوقيع على الانسحاب.", ("كريم منصور",),
     "الرئيس يخطط للتوقيع على الانسحاب", "رسالة من مكتب الرئيس"),
    ("وسرق المستشار كريم منصور، رسالة من مكتب سلمى حداد تقول إن الرئيس يخطط للتوقيع على الانسحاب.",
     ("كريم منصور", "سلمى حداد"), "الرئيس يخطط للتوقيع على الانسحاب", "رسالة من مكتب سلمى حداد"),
]


@pytest.mark.parametrize("text, names, quote, speaker", DESCRIBED, ids=range(len(DESCRIBED)))
def test_description_before_present_tense_cue(text, names, quote, speaker):
    got = speakers(text, names)
    assert quote in got and got[quote][0] == speaker, got


def test_description_needs_the_verb_to_agree():
    """"في وظيفة حكومية يرى أن ...": a masculine verb after a feminine noun has another subject (the man the
    relative clause is about), so the job does not speak and the sentence's speaker stays."""
    got = speakers("ويقول الشيخ كريم، الذي اختار البقاء في وظيفة حكومية يرى أن راتبها لا يكفيه، لبي بي سي إن "
                   "العمل صعب جدا.")
    assert got and {sp for sp, _ in got.values()} == {"الشيخ كريم"}, got


def test_participle_after_a_name_the_previous_quote_ran_over():
    """"متوعدا بعقوبات ...، وهو الأمر الذي رد عليه الرئيس الإيراني، [name] قائلا إن": the unmarked indirect quote
    of متوعدا ends at the comma before the clause naming the person, who speaks with قائلا."""
    text = ('وكان أحمد سالم قال في كلمة له، الثلاثاء: "لن نستطيع منع إيران من تصنيع قنبلة نووية بهذا الاتفاق،" '
            'متوعدا '
            'بعقوبات اقتصادية ضد طهران، وهو الأمر الذي رد عليه الرئيس الإيراني، كريم منصور قائلا إن أمريكا '
            '"فشلت بالالتزام بتعهداتها الدولية".')
    got = speakers(text, ("أحمد سالم", "كريم منصور"))
    assert got.get('أمريكا "فشلت بالالتزام بتعهداتها الدولية"', ("",))[0] == "كريم منصور", got
    assert not any("كريم منصور" in quote for quote in got), got
