"""The fictional stream the demo feed publishes: one scripted minute, then variations.

Every person here is invented. The script is ordered so that within a minute an officer
sees: a threat, a leaked phone number with a call to use it, incitement against an event,
abuse, a burst of mentions (a surge), and posts that must NOT alert (news, support).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ScriptedPost:
    """One post of the script: who writes it, what, and how widely it is seen."""

    author: str
    text: str
    reach: int = 120


OPENING = [
    ScriptedPost(
        "almaty_news",
        "В Алматы прошла конференция о правах женщин. Среди "
        "спикеров — правозащитница Айгерим Нурланова.",
        15000,
    ),
    ScriptedPost(
        "qazaq_voice",
        "Айгерим Нурланова, мы знаем где ты живешь. Ходи осторожно по вечерам, скоро встретимся.",
    ),
    ScriptedPost(
        "anon_7731",
        "Номер этой Нурлановой: 8 (701) 555-23-47. Звоните ей все, "
        "пишите в ватсап, пусть знает что мы думаем!",
    ),
    ScriptedPost(
        "parents_union_kz",
        "Айгерим Нурланова в субботу читает лекцию в кафе «Жібек». Все туда — сорвём эту "
        "лекцию, пусть знает своё место!",
        48000,
    ),
    ScriptedPost(
        "solidarity_kz", "Солидарность с Айгерим Нурлановой! Угрозы в её адрес — позор, мы рядом."
    ),
    ScriptedPost(
        "erlan_b", "Дана Сейтқали, сені тауып аламыз, абайла. Үйіңнің қайда екенін білеміз."
    ),
    ScriptedPost(
        "marat_fan", "Марат Ержанов сегодня выпустил отличное расследование о закупках, рекомендую."
    ),
    ScriptedPost(
        "truth_seeker",
        "Marat Yerzhanov is a paid traitor. Someone should find him and shut him up for good.",
    ),
]

BURST = [
    ScriptedPost("user_a1", "Дана Сейтқали ұят! Кетсін елден #Сейтқали"),
    ScriptedPost("user_b2", "Дана Сейтқали тупая кукла, кто её вообще слушает"),
    ScriptedPost("user_c3", "опять эта Дана Сейтқали со своими лекциями, достала"),
    ScriptedPost("user_d4", "Дана Сейтқали — позор для казахских женщин"),
    ScriptedPost("user_e5", "Сейтқали Дана бізге жат идеяларды таратады, оны тоқтату керек"),
    ScriptedPost("user_f6", "Все пишите Дане Сейтқали в директ, пусть знает что её ждёт"),
    ScriptedPost("user_g7", "Дана Сейтқали жирная уродина, сиди дома"),
    ScriptedPost("user_h8", "кто-нибудь знает где живёт Дана Сейтқали? спрашиваю для друга"),
    ScriptedPost("user_i9", "Дана Сейтқали и её феминистки — чума, гнать их"),
    ScriptedPost("user_j10", "Дана Сейтқали, сен бітесің, күте тұр"),
]

AFTER = [
    ScriptedPost(
        "kz_daily",
        "Журналисты сообщают: активистке Дане Сейтқали поступают угрозы; "
        "её коллеги призывают полицию отреагировать.",
        22000,
    ),
    ScriptedPost(
        "anon_4410", "+7 777 010 44 19 — это Сейтқали, звоните ночью, не давайте ей спать"
    ),
    ScriptedPost(
        "book_club", "Друзья, в субботу встречаемся в библиотеке, обсуждаем новый роман. Приходите!"
    ),
]

SCRIPT: list[ScriptedPost] = OPENING + BURST + AFTER
