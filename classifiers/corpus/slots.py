"""Fictional slot values per language used to expand corpus templates (no real people)."""

from __future__ import annotations

#: Slot values for Cyrillic/native-script templates, per language.
_NATIVE: dict[str, dict[str, list[str]]] = {
    "ru": {
        "name": [
            "Айгерим Нурланова",
            "Дана Серикбаева",
            "Ольга Петренко",
            "Мадина Ахметова",
            "Ерлан Жумабеков",
            "Светлана Ким",
            "Алия Темирова",
            "Игорь Соколовский",
        ],
        "first": ["Айгерим", "Дана", "Ольга", "Мадина", "Ерлан", "Света", "Алия", "Игорь"],
        "city": ["Алматы", "Астана", "Шымкент", "Караганда", "Москва", "Актобе"],
        "venue": ["кафе «Самал»", "отель «Жибек»", "зал «Арман»", "коворкинг «Точка»"],
        "date": ["15 мая", "в субботу", "завтра в 18:00", "3 июня", "в эту пятницу"],
        "address": ["ул. Абая 152, кв. 34", "мкр. Самал-2, д. 58", "ул. Толе би 71, кв. 9"],
    },
    "kk": {
        "name": [
            "Айгерім Нұрланқызы",
            "Дана Серікбаева",
            "Жанар Қасымова",
            "Мадина Әбілова",
            "Ерлан Жұмабекұлы",
            "Гүлзада Темірова",
            "Әсел Бекова",
            "Нұржан Оспанов",
        ],
        "first": ["Айгерім", "Дана", "Жанар", "Мадина", "Ерлан", "Гүлзада", "Әсел", "Нұржан"],
        "city": ["Алматы", "Астана", "Шымкент", "Қарағанды", "Ақтөбе", "Жаңаөзен"],
        "venue": ["«Самал» кафесі", "«Жібек» қонақүйі", "«Арман» залы", "«Нүкте» коворкингі"],
        "date": ["15 мамыр", "сенбі күні", "ертең сағат 18:00-де", "3 маусым"],
        "address": ["Абай к-сі 152, 34 пәтер", "Самал-2 ш/а, 58 үй", "Төле би к-сі 71, 9 пәтер"],
    },
    "uk": {
        "name": ["Оксана Мельник", "Ірина Бондар", "Тарас Ковальчук", "Наталія Шевчук"],
        "first": ["Оксана", "Ірина", "Тарас", "Наталія"],
        "city": ["Київ", "Львів", "Харків", "Одеса"],
        "venue": ["кафе «Каштан»", "готель «Дніпро»", "зала «Світанок»"],
        "date": ["15 травня", "у суботу", "завтра о 18:00"],
        "address": ["вул. Садова 12, кв. 5", "просп. Миру 40, кв. 17"],
    },
    "en": {
        "name": [
            "Aigerim Nurlanova",
            "Dana Serikbayeva",
            "Laura Whitfield",
            "Maya Okafor",
            "Erlan Zhumabekov",
            "Sofia Brandt",
            "Nadia Karimi",
            "Tom Ellery",
        ],
        "first": ["Aigerim", "Dana", "Laura", "Maya", "Erlan", "Sofia", "Nadia", "Tom"],
        "city": ["Almaty", "Astana", "Manchester", "Leeds", "Bristol", "Shymkent"],
        "venue": ["Samal Cafe", "Hotel Zhibek", "Arman Hall", "the Corner Hub"],
        "date": ["on Saturday", "May 15", "tomorrow at 6pm", "next Friday"],
        "address": ["152 Abay St, apt 34", "58 Mill Lane, flat 2", "71 Tole Bi St, apt 9"],
    },
    "tr": {
        "name": ["Ayşe Kılıçdağ", "Elif Durmazer", "Zeynep Akbulutlu", "Mert Yavuzcan"],
        "first": ["Ayşe", "Elif", "Zeynep", "Mert"],
        "city": ["İzmir", "Ankara", "Eskişehir", "Bursa"],
        "venue": ["Kuzey Kafe", "Otel Lale", "Ada Salonu"],
        "date": ["cumartesi", "15 Mayıs", "yarın saat 18:00"],
        "address": ["Çınar Sok. No:12 D:5", "Gül Cad. No:40 D:17"],
    },
    "ar": {
        "name": ["ليلى حدادين", "سارة منصوري", "نور الهاشمي", "كريم عوادي"],
        "first": ["ليلى", "سارة", "نور", "كريم"],
        "city": ["عمّان", "الدار البيضاء", "تونس", "بيروت"],
        "venue": ["مقهى الياسمين", "فندق النخيل", "قاعة الأمل"],
        "date": ["يوم السبت", "15 مايو", "غدًا الساعة 6 مساءً"],
        "address": ["شارع الزيتون 12، شقة 5", "حي النرجس، مبنى 40"],
    },
    "es": {
        "name": ["Lucía Marambio", "Carmen Ortúzar", "Valeria Quintanilla", "Diego Arrieta"],
        "first": ["Lucía", "Carmen", "Valeria", "Diego"],
        "city": ["Valparaíso", "Córdoba", "Sevilla", "Rosario"],
        "venue": ["Café Aurora", "Hotel Mirador", "Sala Alameda"],
        "date": ["el sábado", "el 15 de mayo", "mañana a las 18:00"],
        "address": ["Calle Olmo 12, 3ºB", "Av. Prado 40, piso 2"],
    },
    "fr": {
        "name": ["Camille Vernoux", "Léa Morvandel", "Inès Dubrelle", "Hugo Castagnet"],
        "first": ["Camille", "Léa", "Inès", "Hugo"],
        "city": ["Lyon", "Nantes", "Rennes", "Lille"],
        "venue": ["Café des Tilleuls", "Hôtel Bellevue", "Salle Jean-Moulin"],
        "date": ["samedi", "le 15 mai", "demain à 18h"],
        "address": ["12 rue des Lilas, apt 5", "40 avenue Foch, 2e étage"],
    },
    "pt": {
        "name": ["Mariana Quitério", "Beatriz Valadão", "Juliana Sarmento", "Rafael Coutinho"],
        "first": ["Mariana", "Beatriz", "Juliana", "Rafael"],
        "city": ["Recife", "Porto Alegre", "Coimbra", "Salvador"],
        "venue": ["Café Jacarandá", "Hotel Atlântico", "Auditório Aurora"],
        "date": ["no sábado", "15 de maio", "amanhã às 18h"],
        "address": ["Rua das Flores 12, apto 5", "Av. Brasil 40, 2º andar"],
    },
}

#: Latin-script values for ru/kk/uk templates written in Latin letters.
_LATIN: dict[str, dict[str, list[str]]] = {
    "kk": {
        "name": ["Aigerım Nūrlanqyzy", "Janar Qasymova", "Dana Serıkbaeva", "Erlan Jūmabekūly"],
        "first": ["Aigerım", "Janar", "Dana", "Erlan"],
        "city": ["Almaty", "Astana", "Şymkent", "Qarağandy"],
        "venue": ["Samal kafesı", "Jıbek qonaqüiı", "Arman zaly"],
        "date": ["senbı künı", "15 mamyr", "erteñ sağat 18:00-de"],
        "address": ["Abai k-sı 152, 34 päter", "Samal-2, 58 üi"],
    },
    "ru": {
        "name": ["Aigerim Nurlanova", "Dana Serikbaeva", "Olga Petrenko", "Madina Akhmetova"],
        "first": ["Aigerim", "Dana", "Olga", "Madina"],
        "city": ["Almaty", "Astana", "Moskva", "Shymkent"],
        "venue": ["kafe Samal", "otel Zhibek", "zal Arman"],
        "date": ["v subbotu", "15 maya", "zavtra v 18:00"],
        "address": ["ul. Abaya 152, kv. 34", "mkr Samal-2, d. 58"],
    },
    "uk": {
        "name": ["Oksana Melnyk", "Iryna Bondar", "Taras Kovalchuk", "Nataliia Shevchuk"],
        "first": ["Oksana", "Iryna", "Taras", "Nataliia"],
        "city": ["Kyiv", "Lviv", "Kharkiv", "Odesa"],
        "venue": ["kafe Kashtan", "hotel Dnipro", "zala Svitanok"],
        "date": ["u subotu", "15 travnia", "zavtra o 18:00"],
        "address": ["vul. Sadova 12, kv. 5", "prosp. Myru 40, kv. 17"],
    },
}

_PHONES = [
    "+7 701 555 23 47",
    "8 (707) 555-18-02",
    "+7 777 555 90 11",
    "87475550312",
    "+7 (702) 555 64 28",
]
_PHONES_INTL = {
    "en": ["+44 7700 900123", "+7 701 555 23 47", "(555) 010-4477"],
    "uk": ["+380 67 555 12 34"],
    "tr": ["+90 532 555 12 34"],
    "ar": ["+962 7 9555 1234"],
    "es": ["+34 612 555 123"],
    "fr": ["+33 6 55 51 23 45"],
    "pt": ["+55 81 95555-1234"],
}
_HANDLES = [
    "@aigerim_nur",
    "@dana.s_kz",
    "@free_voice_88",
    "@qyzdar_kz",
    "@law_helper",
    "@feminita_fan",
]


def slot_values(lang: str, latin: bool) -> dict[str, list[str]]:
    """All fictional values for every slot, for a language and script."""
    base = (_LATIN.get(lang) if latin else None) or _NATIVE.get(lang) or _NATIVE["en"]
    values = {key: list(vals) for key, vals in base.items()}
    values["phone"] = list(_PHONES_INTL.get(lang, _PHONES)) if lang not in ("ru", "kk") else _PHONES
    values["handle"] = list(_HANDLES)
    return values
