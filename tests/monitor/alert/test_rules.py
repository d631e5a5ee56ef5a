"""Severity rules from DESIGN.md, checked case by case."""

from __future__ import annotations

from monitor.alert.rules import PostFacts, evaluate, is_surge, strongest


def facts(**overrides: object) -> PostFacts:
    values: dict[str, object] = {
        "defender_id": 1,
        "match_kinds": frozenset({"name"}),
        "flagged": frozenset(),
    }
    values.update(overrides)
    return PostFacts(**values)  # type: ignore[arg-type]


def severities(found: PostFacts) -> dict[str, str]:
    return {f.category: f.severity for f in evaluate(found, high_reach=10_000)}


def test_a_plain_mention_raises_nothing() -> None:
    assert evaluate(facts(), high_reach=10_000) == []


def test_a_published_phone_number_is_critical_doxxing() -> None:
    assert severities(facts(match_kinds=frozenset({"phone"}))) == {"doxxing": "critical"}


def test_a_threat_mentioning_a_defender_is_high() -> None:
    found = facts(flagged=frozenset({"threat"}), scores={"threat": 0.7})
    assert severities(found) == {"threat": "high"}


def test_incitement_naming_an_upcoming_event_is_critical() -> None:
    found = facts(flagged=frozenset({"incitement"}), mentions_upcoming_event=True)
    assert severities(found) == {"incitement": "critical"}


def test_a_confident_threat_from_a_high_reach_account_is_critical() -> None:
    found = facts(flagged=frozenset({"threat"}), scores={"threat": 0.95}, reach=50_000)
    assert severities(found) == {"threat": "critical"}


def test_a_confident_threat_from_a_small_account_stays_high() -> None:
    found = facts(flagged=frozenset({"threat"}), scores={"threat": 0.95}, reach=40)
    assert severities(found) == {"threat": "high"}


def test_abuse_labels_collapse_into_one_medium_abuse_finding() -> None:
    found = facts(flagged=frozenset({"insult", "identity_attack"}))
    (finding,) = evaluate(found, high_reach=10_000)
    assert (finding.category, finding.severity) == ("abuse", "medium")
    assert "insult" in finding.reason and "identity attack" in finding.reason


def test_doxxing_with_a_call_to_act_gives_both_findings() -> None:
    found = facts(match_kinds=frozenset({"phone", "name"}), flagged=frozenset({"incitement"}))
    assert severities(found) == {"doxxing": "critical", "incitement": "high"}


def test_strongest_keeps_the_most_severe_per_category() -> None:
    low = evaluate(facts(flagged=frozenset({"threat"})), high_reach=10)[0]
    high = evaluate(
        facts(flagged=frozenset({"threat"}), scores={"threat": 0.99}, reach=100), high_reach=10
    )[0]
    assert strongest([low, high])["threat"].severity == "critical"


def test_surge_needs_volume_and_a_jump_over_the_baseline() -> None:
    assert is_surge(10, 0.5)
    assert not is_surge(5, 0.0), "a handful of mentions is not a surge"
    assert not is_surge(12, 6.0), "twice the usual rate is not a surge"
