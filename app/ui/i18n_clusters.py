"""Arabic strings of linking mentions (entity clusters, app/ui/clusters.py), kept beside i18n.py so the catalogue
there stays small. A plain dict that i18n.py merges into its catalogue: the arrow runs one way."""
from __future__ import annotations

CLUSTER_AR_STRINGS: dict[str, str] = {
    "Link mentions": "ربط الإشارات",
    "Unlink mention": "فك ربط الإشارة",
    "Select a mention first, then press L (Shift+L: unlink it).":
        "حدد إشارة أولًا ثم اضغط L (Shift+L: فك ربطها).",
    "«{name}» is not linked to another mention.": "«{name}» غير مربوطة بإشارة أخرى.",
    "«{name}» unlinked.": "فُكّ ربط «{name}».",
    "Click the mention of the same one to link «{name}» to it; L again links it to «{other}» (suggested).":
        "انقر إشارة الشخص نفسه لربط «{name}» بها؛ L مرة أخرى تربطها بـ«{other}» (مقترح).",
    "Click the mention of the same one to link «{name}» to it.": "انقر إشارة الشخص نفسه لربط «{name}» بها.",
    "«{name}» and «{other}» are already linked.": "«{name}» و«{other}» مربوطتان من قبل.",
    "«{name}» and «{other}» are one: linked.": "«{name}» و«{other}» شخص واحد: رُبطتا.",
    "Link the selected mention to the next one clicked, L again: to the suggested one (Shift: unlink)":
        "ربط الإشارة المحددة بالإشارة التالية التي تُنقر، L مرة أخرى: بالمقترحة (Shift: فك الربط)",
}
