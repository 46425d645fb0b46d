"""The annotation guidelines: one Markdown text per project, stored in its settings, with a default for Arabic news.

Guidelines live in the project file rather than next to the program so that every annotator of a project reads the
same rules, and a team that changes a rule changes it for everyone who opens the file.
"""
from __future__ import annotations

from . import Project

SETTING_KEY = "guidelines"

DEFAULT_GUIDELINES = """\
# دليل التوسيم — Annotation guidelines

يوسم هذا المشروع الأخبار العربية: **الكيانات المسماة**، و**الاقتباسات** (مع فعل القول والقائل)، و**الموقف**.

This project annotates Arabic news: **named entities**, **quotes** (with their cue and speaker) and **stance**.
Each rule is given in Arabic, then in English.

## قواعد عامة — General rules

- حدّد أقصر مقطع يسمّي الكيان كاملًا، دون مسافات زائدة أو علامات ترقيم.
- **السوابق المتصلة ليست جزءًا من الكيان**: و، ب، ل، ك، ف. في «وحلف شمال الأطلسي» يبدأ الكيان من «حلف»، \
وفي «بالكويت» من «الكويت»، وفي «لـ “ناتو”» يوسم «ناتو» وحده.
- أداة التعريف «الـ» جزء من الاسم: «الكويت»، «الاتحاد الأوروبي».
- علامات التنصيص حول الاسم ليست منه: في “ناتو” يوسم «ناتو» دون العلامتين.
- الكيانات المتداخلة مسموحة: «المركز الإقليمي لحلف الناتو» (ORG) يحتوي «حلف الناتو» (ORG).

Select the shortest span that names the entity in full, without spaces or punctuation around it. Attached clitics
(و ب ل ك ف) are not part of the span: in وحلف شمال الأطلسي it starts at حلف. The article ال is part of the name.
Quotation marks around a name are not part of it. Nested entities are allowed when the inner one is a name of its own.

## الكيانات — Entity labels

### PER — شخص (person)

أسماء الأشخاص: «نواف العنزي»، «أنتوني بلينكن»، «خافيير كولومينا». المنصب أو اللقب ليس جزءًا من الاسم: \
في «سفير الكويت لدى بلجيكا نواف العنزي» يوسم «نواف العنزي» وحده (PER)، و«الكويت» و«بلجيكا» (GPE). \
في «السفير العنزي» يوسم «العنزي» وحده. اللقب وحده دون اسم («الوزير الأميركي») لا يوسم.

Person names only. Titles such as سفير الكويت or الوزير are not part of the span and are not tagged on their own.

### ORG — منظمة (organisation)

المنظمات والهيئات والشركات ووسائل الإعلام: «حلف شمال الأطلسي (الناتو)» — يوسم «حلف شمال الأطلسي» و«الناتو» \
كلٌّ على حدة، و«الاتحاد الأوروبي»، و«مجلس التعاون الخليجي»، و«وكالة الأنباء الكويتية (كونا)».

Organisations, alliances, agencies, companies and news outlets. A name and its abbreviation in brackets are two spans.

### LOC — مكان (location)

أماكن جغرافية ليست دولًا ولا كيانات سياسية: «منطقة الخليج»، «الخليج العربي»، «أوروبا» قارةً، «الجوار الجنوبي».

Geographic places that are not political entities: regions, seas, continents.

### GPE — كيان جغرافي سياسي (geo-political entity)

دول ومدن لها حكومة: «الكويت»، «دولة الكويت»، «بلجيكا»، «واشنطن»، «بروكسل». \
النعت المشتق لا يوسم: في «الوزير الأميركي» لا يوسم «الأميركي».

Countries, cities and states with a government. Nationality adjectives are not tagged.

### DATE — تاريخ (date)

تواريخ وفترات: «عام 2004»، «أبريل 1949»، «الخميس 8 مايو 2025»، «يوليو المقبل».

Dates and periods, including the word عام when it introduces a year.

### EVENT — حدث (event)

أحداث مسماة: «الاجتماع الوزاري لـ “ناتو”»، «قمة “ناتو”»، «الذكرى الـ 75 لتأسيسه».

Named events: summits, ministerial meetings, anniversaries, wars, elections.

### MISC — متفرقات (miscellaneous)

أسماء أخرى لا تدخل فيما سبق: مبادرات ووثائق واتفاقيات، مثل «مبادرة إسطنبول للتعاون».

Other names: initiatives, treaties, documents, products.

## الاقتباس — Quotes

الاقتباس كلام منسوب إلى قائل، وهو نوعان:

- **مباشر (direct)**: الكلام المنقول بلفظه بين علامات التنصيص « » أو “ ” أو " ". يوسم النص داخل العلامتين \
دونهما: في مضيفا أن "المركز يوفر إمكانيات هائلة …" الاقتباس: المركز يوفر إمكانيات هائلة …
- **غير مباشر (indirect)**: كلام منقول بالمعنى بعد فعل القول، غالبًا بعد «إن» أو «أن»، ويبدأ الاقتباس بعدهما: \
في «وقال كولومينا إن من أهداف زيارته لدولة الكويت مناقشة …» الاقتباس: من أهداف زيارته …

A quote is speech attributed to a speaker. **Direct**: the speaker's own words between quotation marks; the span
excludes the marks. **Indirect**: reported speech after a cue, usually introduced by إن / أن; the span starts after
إن / أن.

## فعل القول — Cue

فعل القول هو الكلمة التي تُدخل الكلام: قال، أكد، أشار، أوضح، أضاف، ذكر، صرح، شدد، لفت، وكل صيغها \
(يقول، مؤكدا، مشيرا، مضيفا، موضحا). يوسم الفعل وحده دون الواو وحرف الجر و«أن»: \
في «وأشار العنزي إلى أن» فعل القول «أشار».

The cue is the verb of saying (قال، أكد، أشار، أوضح، أضاف، ذكر، صرح، شدد، لفت and their forms, such as
مؤكدا or مشيرا). Tag the verb alone, without و, إلى or أن.

## القائل — Speaker

اربط كل اقتباس بكيان القائل (PER أو ORG) إن ورد اسمه في النص: في «وقال كولومينا إن …» القائل «كولومينا». \
إذا كان القائل ضميرًا («وأوضح أن …») فاربطه بأقرب ذكر سابق لاسمه.

Link each quote to the speaker's entity; when the speaker is a pronoun, link the nearest earlier mention of the name.

## حالات من الأخبار — Cases from real news

- **أداة التوكيد وضميرها ليسا من الاقتباس**: في «وقال إنه لن يستقيل» الاقتباس «لن يستقيل»، وكذلك أنها، إنهم، بأنه، \
فإن، فقد (بعد «بحسب …،»).
- **بين علامتي تنصيص**: الاقتباس المباشر هو ما بين العلامتين كاملًا ولو امتد عدة جمل أو بدأ بـ«إن»؛ تُحذف علامة \
الترقيم الأخيرة داخله. إذا اختلط الكلام (إن "…" إرسال فرق …) فالاقتباس غير مباشر ويبدأ بعد «إن» وينتهي \
بعلامة الإغلاق إن ختمته.
- **الإسناد دون فعل قول** (بحسب، حسب، وفقًا لـ، وفق ما، نقلًا عن، على لسان): في أول الجملة يُسند ما بعد الفاصلة؛ \
وفي آخرها يُسند الجملة التي قبله (أو جملة «وهو ما …» التي قبله). فعل القول هو الفعل بعد «ما» إن وُجد \
(«بحسب ما أفادت الوكالة»: أفادت)، وإلا فأداة الإسناد نفسها. «حسب تعبيره» و«على حد قوله» ليسا إسنادًا.
- **فعل القول وحده**: «تابع قائلًا» فعل القول «قائلًا»؛ «تابع بالقول» فعل القول «تابع». الضمير المتصل بالفعل \
(قاله، وصفه) ليس من فعل القول: يوسم «قال» و«وصف».
- **القائل**: فاعل فعل القول، لا المخاطَب («قال لبي بي سي»، «لنظيره») ولا الزمان والمكان («في بيان»، «الجمعة»). \
إذا جاء اللقب ثم الاسم («وزير الخارجية السعودي فلان») فالقائل هو الاسم؛ وإذا ذُكر باللقب وحده لاحقًا («وقال \
الوزير») فاربطه بالاسم المذكور قبل. الجهة غير المسماة («مصادر مقربة من …»، «شهود عيان») قائلٌ بنصها دون \
كيان؛ والتقرير أو البيان يُنسب إلى الجهة التي أصدرته إن سُمّيت. الاسم الذي يصف القائل («مصدر بوزارة الخارجية») \
ليس هو القائل.
- **اقتباس داخل اقتباس** («قال إن الوزير أخبره أن …») يوسم الاثنان.
- **ليس اقتباسًا**: المبني للمجهول دون قائل («يُقال إن»)، والمفعول الاسمي لأفعال مثل نفى وهدد وانتقد («نفى ما جاء في \
الكتاب»)، وعناوين «اقرأ أيضًا» و«قد يهمك».

Complementisers and their pronouns are never quoted; text in quotation marks is one direct quote, even over
several sentences. An attribution without a speech verb (بحسب، وفقا لـ …) covers the clause after its comma at the
start of a sentence, else the clause before it. The speaker is the subject of the cue, not an addressee, a time or a
place; a title later in the text is linked to the name given earlier; an unnamed source is the speaker by its own
words, with no entity. Passive "it is said", noun objects of نفى/هدد and "read more" headlines are not quotes.

## الموقف — Stance

الموقف رأي صاحب الكلام (أو الكاتب، على مستوى المستند) تجاه هدف، وهو غالبًا كيان موسوم.

- **مؤيد (favor)**: تأييد أو ثناء أو دعم. «ثمن كولومينا التعاون … مع الكويت» موقف مؤيد تجاه «الكويت».
- **معارض (against)**: رفض أو نقد أو تحذير. «التهديدات التي كان يشكلها الاتحاد السوفياتي» موقف معارض تجاه \
«الاتحاد السوفياتي».
- **محايد (neutral)**: خبر أو وصف دون تقييم: «تستضيف الكويت المركز الإقليمي منذ عام 2017».
- **غير واضح (unclear)**: لا يمكن الحكم من النص، أو يحمل الكلام الموقفين معًا.

احكم على الموقف من النص وحده، لا من معرفتك بالقائل أو بالسياق السياسي.

Stance is the attitude of the speaker (or of the article, at document level) towards a target, usually an entity.
**Favor**: praise or support. **Against**: rejection, criticism, warning. **Neutral**: reporting without judgement.
**Unclear**: the text does not say, or says both. Judge stance from the text alone, not from what you know about the
speaker.
"""

def get_guidelines(project: Project) -> str:
    """The project's guidelines, or the default text when none were saved."""
    text = project.setting(SETTING_KEY)
    return text if isinstance(text, str) and text.strip() else DEFAULT_GUIDELINES


def set_guidelines(project: Project, text: str) -> None:
    """Store the guidelines (one transaction). Blank text restores the default."""
    project.set_setting(SETTING_KEY, text if text and text.strip() else None)


__all__ = ["DEFAULT_GUIDELINES", "SETTING_KEY", "get_guidelines", "set_guidelines"]
