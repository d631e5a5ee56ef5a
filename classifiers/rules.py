"""Hand-written rule detectors (ru/kk/en first, some uk/tr/es/fr/pt/ar) used as features.

Each rule family is a regular expression over lower-cased text. The counts feed the
stacking heads (so the data decide how much each rule matters per label) and the matched
phrases are shown to protection officers as the reason a post was flagged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

_W = r"[\w*@#.$-]*"  # the rest of a word, obfuscation characters included


def _alt(*stems: str) -> str:
    """Words starting with one of the stems (inflected forms, obfuscation included)."""
    return r"(?<!\w)(?:" + "|".join(stems) + r")" + _W


def _words(*words: str) -> str:
    """Exactly these words: short pronouns must not match the start of longer words
    (Russian "ты" in Kazakh "тығу", Kazakh "сен" in "сенбі", "you" in "young")."""
    return r"(?<!\w)(?:" + "|".join(words) + r")(?!\w)"


#: family -> (readable description, pattern)
RULES: dict[str, tuple[str, str]] = {
    "call_to_action": (
        "call to action",
        _alt(
            "звоните",
            "позвоните",
            "пишите",
            "напишите",
            "приходите",
            "придите",
            "найдите",
            "давайте",
            "вперед",
            "вперёд",
            "разберитесь",
            "накажите",
            "завалите",
            "атакуйте",
            "сливайте",
            "увольте",
            "выгоните",
            "заспамьте",
            "жалуйтесь",
            "идите",
            "пошли к",
            "все на ",
            "все в ",
            "дзвоніть",
            "пишіть",
            "приходьте",
            "хабарласың",
            "жазың",
            "келің",
            "барың",
            "табың",
            "қоңырау шалың",
            "жиналың",
            "шығың",
            "хабар бер",
            "звонит",
            "kelıñ",
            "kelin",
            "jazyñ",
            "jazyn",
            "barıñ",
            "barin",
            r"call (?:her|him|them)",
            r"text (?:her|him|them)",
            r"dm (?:her|him|them)",
            r"let'?s go",
            "everyone go",
            r"show up",
            r"flood (?:her|his|their)",
            "report (?:her|him)",
            r"get (?:her|him|them) fired",
            r"find (?:her|him|them)",
            "spam",
            "raid",
            r"pay (?:her|him|them) a visit",
            "llamen",
            "escriban",
            "vengan",
            "appelez",
            "venez",
            "liguem",
            "venham",
            "arayın",
            "yazın",
            "gelin",
            "اتصلوا",
            "تعالوا",
        ),
    ),
    "contact": (
        "contact detail",
        (
            r"(?:\+?\d[\s()-]*){10,14}|(?<!\w)@[a-z0-9_.]{3,}|(?<!\w)(?:ул\.|улица|кв\.|к-сі|"
            # "угрозы в её адрес" / "в адрес активистки" = aimed at her: an idiom, not an address
            r"пәтер|мкр|apt|flat|street|st\.|rue|calle|rua|"
            r"(?<!в )(?<!в её )(?<!в его )(?<!в их )(?<!в мой )(?<!в наш )(?<!в ваш )"
            r"(?<!в твой )(?<!в свой )адрес|мекенжай|address)"
        ),
    ),
    "menace": (
        "veiled or direct menace",
        _alt(
            r"знаем,? где ты",
            r"знаем,? где (?:она|он|они) жив",
            "жди гостей",
            "оглядывайся",
            "пожалеешь",
            r"тебе конец",
            r"твои дни",
            r"недолго тебе",
            r"ходи осторожн",
            r"мы придем",
            r"мы придём",
            r"доберемся",
            r"доберёмся",
            r"найдем тебя",
            r"найдём тебя",
            r"ты следующ",
            r"мы тебя найд",
            r"знаємо,? де ти",
            r"үйің\w* біле",
            r"сені табамыз",
            r"абай бол",
            r"күте бер",
            r"сазайың",
            r"өкінесің",
            r"артыңа қара",
            r"күнің санаулы",
            r"көп жүрмейсің",
            r"балаларыңды ойла",
            r"кезегің кел",
            r"kүnıñ sanauly",
            r"artyña qara",
            r"seni tabamyz",
            r"üiıñ",
            r"uyin",
            r"abai bol",
            r"we know where (?:you|she|he|they) li",
            r"watch your back",
            r"you'?ll regret",
            r"you'?re next",
            r"we'?re coming for",
            r"we will find you",
            r"be careful walking",
            r"your days are numbered",
            r"sabemos dónde vives",
            r"on sait où tu",
            r"sabemos onde",
            r"nerede oturduğunu",
            r"نعرف أين",
        ),
    ),
    "violence": (
        "violent act",
        _alt(
            "убь",
            "убит",
            "убей",
            "убьем",
            "убьём",
            "зареж",
            "прирез",
            "сожг",
            "сожж",
            "повес",
            "расстрел",
            "закопа",
            "прибь",
            "избить",
            "изобь",
            "покалеч",
            "сдохн",
            "вешать",
            "камнями",
            "уничтож",
            "вбити",
            "вб'ю",
            "өлтір",
            "сойып",
            "өртеп",
            "өртеу",
            "өртейміз",
            "жермен-жексен",
            "көрге тығ",
            "көрге тық",
            "тірідей",
            "бауызда",
            "пышақпен",
            "пышақтаймыз",
            "қышқыл",
            "сабаймыз",
            "сабау",
            "сабап",
            "дарға",
            "құртамыз",
            "басын кес",
            "örteu",
            "orteu",
            "örtep",
            "ortep",
            "sabaimyz",
            "sabau",
            "pyshaq",
            "соямыз",
            "ұрып",
            "атып",
            "тұншықтыр",
            "жоямыз",
            "өлесің",
            "oltir",
            "öltır",
            "soiamyz",
            "urup",
            "kill",
            "murder",
            "shoot",
            "stab",
            "burn",
            "hang",
            "beat (?:her|him|them|you)",
            "lynch",
            "slit",
            "strangle",
            "bury",
            "matar",
            "mataremos",
            "tuer",
            "on va te",
            "matar",
            "öldür",
            "gebert",
            "اقتل",
            "سنقتل",
        ),
    ),
    "wish": (
        "'must / should be done' (a wish of harm when next to violence)",
        _alt(
            r"керек\b",
            r"kerek\b",
            r"надо\b",
            r"нужно\b",
            r"пора\b",
            r"должн",
            r"треба\b",
            r"should\b",
            r"must\b",
            r"need to\b",
            r"ought to\b",
            r"gerek",
            r"lazım",
            r"hay que",
            r"il faut",
            r"\bdevem?\b",
            r"يجب",
        ),
    ),
    "second_person": (
        "addressed to 'you'",
        _words(
            "ты",
            "тебя",
            "тебе",
            "тобой",
            "твой",
            "твоя",
            "твою",
            "твои",
            "твоих",
            "вы",
            "вас",
            "вам",
            "ваш",
            "сен",
            "сені",
            "саған",
            "сенің",
            "сенде",
            "сенен",
            "сендер",
            "сендерді",
            "сіз",
            "сізді",
            "сізге",
            "сізің",
            "ти",
            "тебе",
            "тобі",
            "seni",
            "sen",
            "saǵan",
            "sağan",
            "saġan",
            "senıñ",
            "seniñ",
            "you",
            "your",
            "you'?re",
            "you'?ll",
            "yourself",
            "tú",
            "te",
            "ti",
            "toi",
            "tu",
            "vous",
            "você",
            "vocês",
            "sana",
            "senin",
            "seni",
        ),
    ),
    "handover": (
        "demand to hand someone over",
        _alt(
            r"отдайте (?:их|её|ее|его) нам",
            "выдайте",
            r"сами (?:их )?(?:осудим|разберемся|разберёмся)",
            r"бізге беріңдер",
            r"өзіміз жазала",
            r"hand (?:them|her|him) over",
            r"give (?:them|her|him) to us",
            r"we(?:'ll| will) judge them",
        ),
    ),
    "sexual": (
        "sexualised language",
        _alt(
            "изнасил",
            "трахн",
            "трахат",
            "сиськ",
            "шлюх",
            "шалав",
            "давалк",
            "отсос",
            "минет",
            "жезөкше",
            "қатын",
            "зорла",
            "rape",
            "tits",
            "slut",
            "whore",
            "boobs",
            "nudes",
            "puta",
            "salope",
            "vadia",
            "orospu",
            "sexy",
        ),
    ),
    "identity": (
        "identity-group word",
        _alt(
            "лесби",
            "гей",
            "педик",
            "пидор",
            "пидр",
            "феминист",
            "фемин",
            "лгбт",
            "транс",
            "мусульм",
            "еврей",
            "жид",
            "чурк",
            "негр",
            "хач",
            "армяш",
            "узкоглаз",
            "инвалид",
            "даун",
            "lesbian",
            "gay",
            "fag",
            "dyke",
            "feminist",
            "feminazi",
            "trans",
            "tranny",
            "muslim",
            "jew",
            "immigrant",
            "retard",
            "женщин",
            "бабы",
            "баба",
            "әйел",
            "қыздар",
            "qyzdar",
            "women",
            "girls",
            "orys",
            "орыс",
            "қазақ",
            "qazaq",
            "lgbt",
        ),
    ),
    "report_frame": (
        "reporting/condemning frame",
        _alt(
            "сообщ",
            "по данным",
            "заявил",
            "получил[аи]? угроз",
            "угрожают",
            "осужда",
            "недопустим",
            "неприемлем",
            "полиция",
            "возбуд",
            "хабарла",
            "айыпта",
            "қорқыту",
            "polis",
            "reported",
            "according to",
            "received threats",
            "condemn",
            "unacceptable",
            r"stop ",
            "police",
            "journalist",
            "said that",
            r"\"",
            "«",
            "“",
        ),
    ),
    "idiom": (
        "idiom / hyperbole",
        _alt(
            r"убить время",
            r"убиваю время",
            r"умираю от смеха",
            r"убил[аи]? меня (?:эта|этот)",
            r"(?:song|traffic|joke|heat|movie)\w* (?:is )?killing me",
            r"killed it",
            r"i'?d kill for",
            r"dying (?:of|from) laughter",
            r"уақыт өлтір",
            r"күлкіден өлдім",
        ),
    ),
}

FAMILIES: tuple[str, ...] = tuple(RULES)
_COMPILED = {name: re.compile(pat, re.IGNORECASE) for name, (_, pat) in RULES.items()}


@dataclass(frozen=True, slots=True)
class RuleHits:
    """Matched phrases per rule family for one text."""

    hits: dict[str, list[str]]

    def vector(self) -> np.ndarray:
        """Feature vector: capped hit counts per family plus interaction terms."""
        counts = [min(len(self.hits.get(f, [])), 3) / 3 for f in FAMILIES]
        c = dict(zip(FAMILIES, counts, strict=True))
        extra = [
            c["contact"] * c["call_to_action"],
            c["violence"] * c["second_person"],
            c["menace"] * c["second_person"],
            c["violence"] * c["wish"],
        ]
        return np.array(counts + extra, dtype=np.float32)


FEATURE_NAMES: tuple[str, ...] = (
    *FAMILIES,
    "contact+call",
    "violence+you",
    "menace+you",
    "violence+wish",
)
N_FEATURES = len(FEATURE_NAMES)


def find_rules(text: str) -> RuleHits:
    """Run every rule family over an already sanitised text."""
    lowered = text.casefold()
    hits: dict[str, list[str]] = {}
    for name, pattern in _COMPILED.items():
        found = [m.group(0).strip() for m in pattern.finditer(lowered)][:5]
        if found:
            hits[name] = found
    return RuleHits(hits)


def rule_matrix(texts: list[str]) -> np.ndarray:
    """Rule feature matrix (n, N_FEATURES) for sanitised texts."""
    if not texts:
        return np.zeros((0, N_FEATURES), dtype=np.float32)
    return np.stack([find_rules(t).vector() for t in texts])


def describe(hits: RuleHits, families: tuple[str, ...]) -> list[str]:
    """Readable 'rule: phrase' lines for the given families (for explanations)."""
    lines = []
    for fam in families:
        if fam in hits.hits:
            phrases = ", ".join(dict.fromkeys(hits.hits[fam][:3]))
            lines.append(f"rule {RULES[fam][0]}: {phrases}")
    return lines
