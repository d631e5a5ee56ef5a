# ruff: noqa: E501
"""Regenerate corpus_cases.jsonl: mention forms × post templates (fictional people only).

Run: .venv/bin/python tests/monitor/matching/make_corpus.py  (the output is committed)
"""

from __future__ import annotations

import json
from pathlib import Path

TEMPLATES = {
    "ru": ["Вы видели, что опять пишет {m}? Надо что-то делать.", "{m}, вот кто это всё устроил"],
    "kk": ["{m} туралы не ойлайсыздар?", "Бүгін тағы да {m} сөйледі"],
    "en": ["Has anyone seen what {m} posted today?", "Everyone, go message {m} now."],
    "tr": ["{m} hakkında ne düşünüyorsunuz?"],
    "de": ["Hat jemand gesehen, was {m} geschrieben hat?"],
    "uz": ["{m} haqida nima deysiz?"],
}
NAMES = {
    "aigerim": [
        ("ru", "Айгерим Нурланова"),
        ("ru", "Айгерим Нурлановой"),
        ("ru", "Айгерим Нурланову"),
        ("ru", "Нурлановой Айгерим"),
        ("ru", "Нурланова Айгерим"),
        ("ru", "А. Нурланова"),
        ("ru", "Нурланова А."),
        ("ru", "А.Нурлановой"),
        ("en", "Aigerim Nurlanova"),
        ("en", "Aygerim Nurlanova"),
        ("kk", "Aıgerım Nurlanova"),
        ("en", "NURLANOVA Aigerim"),
        ("kk", "Айгерим Нурланованың"),
        ("kk", "Айгерим Нурлановаға"),
        ("kk", "Айгерим Нурланованы"),
        ("kk", "Айгерим Нурлановада"),
        ("kk", "Айгерим Нурлановадан"),
        ("kk", "Айгерим Нурлановамен"),
        ("kk", "Айгерим Нурлановасы"),
        ("kk", "Aıgerım Nurlanovanyñ"),
        ("en", "Aika N."),
        ("ru", "А й г е р и м  Н у р л а н о в а"),
        ("ru", "Айгерим Нур\u00adланова"),
        ("ru", "Айгерим Нур\u200bланова"),
        ("ru", "Aйгeрим Hурлaнoвa"),
        ("ru", "А.й.г.е.р.и.м Нурланова"),
        ("ru", "АЙГЕРИМ НУРЛАНОВА"),
        ("ru", "айгерим нурланова"),
        ("ru", "Айгерим Нурлановa"),
        ("en", "Ａｉｇｅｒｉｍ Ｎｕｒｌａｎｏｖａ"),
        ("ru", "Айгерим Нурланова-ға"),
    ],
    "erlan": [
        ("ru", "Ерлан Касымов"),
        ("ru", "Ерлана Касымова"),
        ("ru", "Ерлану Касымову"),
        ("ru", "Ерланом Касымовым"),
        ("ru", "Ерлане Касымове"),
        ("ru", "Касымов Ерлан"),
        ("ru", "Е. Касымов"),
        ("ru", "Касымов Е."),
        ("en", "Yerlan Kassymov"),
        ("en", "Erlan Kasymov"),
        ("kk", "Ерлан Қасымов"),
        ("kk", "Ерлан Касымовтың"),
        ("kk", "Ерлан Қасымовқа"),
        ("kk", "Ерлан Касымовты"),
        ("kk", "Ерлан Қасымовпен"),
        ("kk", "Yerlan Qasymov"),
    ],
    "saule": [
        ("en", "Saule Zhakupova"),
        ("ru", "Сауле Жакупова"),
        ("ru", "Сауле Жакуповой"),
        ("ru", "Сауле Жакупову"),
        ("en", "Saule Jakupova"),
        ("kk", "Сәуле Жакупова"),
        ("ru", "Жакупова Сауле"),
        ("ru", "С. Жакупова"),
        ("kk", "Saule Zhakupovağa"),
    ],
    "zhanna": [
        ("kk", "Жанна Қадырова"),
        ("ru", "Жанна Кадырова"),
        ("en", "Zhanna Kadyrova"),
        ("kk", "Janna Qadyrova"),
        ("ru", "Жанне Кадыровой"),
        ("ru", "Жанну Кадырову"),
        ("kk", "Жанна Қадырованың"),
        ("ru", "Қадырова Жанна"),
        ("ru", "Ж. Кадырова"),
    ],
    "gulnara": [
        ("ru", "Гульнара Ибраимова"),
        ("kk", "Гулнара Ибраимова"),
        ("en", "Gulnara Ibraimova"),
        ("ru", "Гульнаре Ибраимовой"),
        ("ru", "Гульнару Ибраимову"),
        ("ru", "Гульнарой Ибраимовой"),
    ],
    "timur": [
        ("en", "Timur Ospanov"),
        ("ru", "Тимур Оспанов"),
        ("ru", "Тимура Оспанова"),
        ("ru", "Тимуром Оспановым"),
        ("ru", "Оспанов Тимур"),
        ("kk", "Тимур Оспановқа"),
    ],
}
HANDLES = {
    "aigerim": ["@aigerim_nur", "@Aigerim_Nur", "instagram.com/aigerim_nur", "https://t.me/aigerim_nur",
                "tiktok.com/@aigerim_nur", "https://x.com/aigerim_nur", "vk.com/aigerim_nur"],
    "erlan": ["@erlan_kas", "t.me/erlan_kas"],
    "saule": ["@saule.zh", "https://www.instagram.com/saule.zh"],
}  # fmt: skip
PHONES = {
    "aigerim": ["+7 701 555 23 47", "+77015552347", "8 701 555 23 47", "8(701)555-23-47",
                "8-701-555-23-47", "+7 (701) 555 2347", "701.555.23.47", "８７０１５５５２３４７",
                "8 7О1 555 23 47", "8 7O1 555 2З 47".replace("З", "3"), "+7 701 555\n23 47",
                "wa.me/77015552347", "tel:+77015552347", "+7\u00a0701\u00a0555\u00a023\u00a047",
                "восемь семьсот один пятьсот пятьдесят пять двадцать три сорок семь",
                "восемь семь ноль один пять пять пять два три четыре семь",
                "сегіз жеті жүз бір бес жүз елу бес жиырма үш қырық жеті",
                "eight seven zero one five five five two three four seven",
                "٨٧٠١٥٥٥٢٣٤٧", "+7 ７０１ 555 23 47"],
    "erlan": ["87771234508", "+7 777 123 45 08", "8 777 123 4508"],
    "gulnara": ["+996 555 123 456", "0555 123 456", "996555123456"],
}  # fmt: skip
EMAILS = {
    "aigerim": ["a.nurlanova@example.org", "A.Nurlanova@Example.ORG", "a.nurlanova [at] example [dot] org",
                "a.nurlanova (at) example (dot) org", "a.nurlanova собака example точка org",
                "a.nurlanova at example dot org", "a.nurlanova＠example.org", "a dot nurlanova at example dot org"],
    "erlan": ["erlan.k@example.net", "erlan.k [собака] example.net"],
    "timur": ["T.Ospanov@mail.example"],
}  # fmt: skip
ADDRESSES = {
    "aigerim": ["ул. Абая 152, кв. 34", "улица Абая, дом 152, квартира 34", "Абай көшесі 152 үй 34 пәтер",
                "Абая 152-34", "ul. Abaya 152, apt 34", "пр. Абая, д. 152, кв. 34"],
    "zhanna": ["Сатпаев көшесі 22 үй 7 пәтер", "ул. Сатпаева 22, кв. 7", "Satpayev street 22 apt 7"],
}  # fmt: skip
PAIRS = ["Нурланова и Ибраимова", "Нурланова мен Ибраимова", "Nurlanova and Ibraimova",
         "Нурлановой и Ибраимовой"]  # fmt: skip
NEGATIVES = [
    "Айгерим пришла", "Айгерим, привет!", "Дина Нурланова", "Асель Касымова", "Ерлан Касымбеков",
    "ул. Нурлановой 5", "на улице Нурлановой", "стадион Айгерим Нурлановой", "Нурланова көшесі",
    "школа имени Айгерим Нурлановой", "а Нурланова сказала", "Д. Нурланова", "Timur Ospanovich",
    "Нурланова", "Saule", "Тимур и Ерлан", "Касымов", "Нурланова и Петрова", "Aigerim Nurlan",
    "Жанна Қадырбекова", "Gulnara Ibragimova", "Марат Оспанов", "Айгерим Нурлан", "Сауле Жакупбекова",
    "+7 701 555 23 48", "8 701 555 23 74", "заказ № 701555234", "цена 7 701 тг",
    "горячая линия 8 800 080 77 77", "номер заказа 87015552347123", "+7 701 555 23 4",
    "восемь семьсот один пятьсот пятьдесят пять двадцать три сорок восемь",
    "a.nurlanova@example.com", "b.nurlanova@example.org", "a.nurlanova2@example.org",
    "@aigerim_nur2", "@aigerim_nurlan", "t.me/aigerim_nurx", "Абая 152, кв. 35", "Абая 153",
    "ул. Сатпаева 23", "проспект Абая, 152 км", "instagram.com/saule.zhk", "@erlan_kaz",
    "Aigerim is a common name", "the Nurlanova Street bridge", "Kasymov Street 5",
]  # fmt: skip


def cases() -> list[dict[str, object]]:
    """Every corpus case: id, lang, text and the expected mentions with offsets."""
    out: list[dict[str, object]] = []
    groups = [("name", NAMES), ("handle", HANDLES), ("phone", PHONES), ("email", EMAILS),
              ("address", ADDRESSES)]  # fmt: skip
    for kind, table in groups:
        for defender, forms in table.items():
            for form in forms:
                lang, mention = form if isinstance(form, tuple) else ("ru", form)
                out.extend(_render(lang, mention, [(defender, kind)]))
    for pair in PAIRS:
        out.extend(_render("ru", pair, [("aigerim", "name"), ("gulnara", "name")]))
    for mention in NEGATIVES:
        out.extend(_render("ru", mention, []))
    for n, case in enumerate(out):
        case["id"] = f"c{n:04d}"
    return out


def _render(lang: str, mention: str, expected: list[tuple[str, str]]) -> list[dict[str, object]]:
    """The mention placed in one template of its language and one of another language."""
    other = "en" if lang != "en" else "ru"
    rows = []
    for tpl_lang, template in ((lang, TEMPLATES[lang][0]), (other, TEMPLATES[other][1])):
        start = template.index("{m}")
        text = template.replace("{m}", mention)
        rows.append(
            {
                "lang": tpl_lang,
                "text": text,
                "expect": [
                    {"defender": d, "kind": k, "start": start, "end": start + len(mention)}
                    for d, k in expected
                ],
            }
        )
    return rows


if __name__ == "__main__":
    extra = [(lang, tpl) for lang in ("tr", "de", "uz") for tpl in TEMPLATES[lang]]
    rows = cases()
    for n, (lang, template) in enumerate(extra):  # a few more languages for name mentions
        mention = ["Айгерим Нурланова", "Erlan Kasymov", "Saule Zhakupova"][n]
        start = template.index("{m}")
        rows.append({"id": f"x{n}", "lang": lang, "text": template.replace("{m}", mention),
                     "expect": [{"defender": ["aigerim", "erlan", "saule"][n], "kind": "name",
                                 "start": start, "end": start + len(mention)}]})  # fmt: skip
    path = Path(__file__).with_name("corpus_cases.jsonl")
    with path.open("w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{len(rows)} cases -> {path}")
