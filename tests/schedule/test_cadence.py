"""The feed-cadence model on synthetic genDate sequences: a regular regeneration grid with jitter,
missed and skipped regenerations, clock skew between HKEXnews and us, stale CDN copies, and feeds
with no regular period. Every sequence is generated, so the truth is known exactly."""

from __future__ import annotations

import bisect
import random
from dataclasses import dataclass

import pytest

from monitor.schedule.cadence import FeedCadence, estimate_period

EPOCH = 1_775_836_800.0  # HKEXnews' clock, seconds


@dataclass
class Feed:
    """Regenerations at ``phase + n * period`` (+ jitter) on HKEXnews' clock, some skipped; each is
    visible to us ``delay`` later, on a clock ``skew`` ahead of HKEXnews'."""

    period: float = 60.0
    phase: float = 17.0
    jitter: float = 0.0
    skip: float = 0.0  # chance a regeneration does not happen
    delay: float = 4.0
    delay_spread: float = 0.0
    skew: float = 0.0
    n: int = 300
    seed: int = 1

    def __post_init__(self) -> None:
        rng = random.Random(self.seed)
        self.gens = [
            EPOCH + self.phase + i * self.period + rng.uniform(-self.jitter, self.jitter)
            for i in range(self.n)
            if i == 0 or rng.random() >= self.skip
        ]
        self.visible = [g + self.delay + rng.uniform(0, self.delay_spread) + self.skew for g in self.gens]

    def seen_at(self, t: float) -> float:
        """The genDate a fetch at our time ``t`` returns."""
        return self.gens[max(0, bisect.bisect_right(self.visible, t) - 1)]


def learn(
    feed: Feed, cadence: FeedCadence, *, until: int = 30, every: tuple[float, float] = (3, 9), seed: int = 2
) -> float:
    """Poll at random intervals (a fixed-interval poller) until the ``until``-th regeneration; returns
    the time of the last poll."""
    rng = random.Random(seed)
    t = last = feed.visible[0] + 0.1
    while t < feed.visible[until]:
        cadence.observe(int(feed.seen_at(t) * 1000), t)
        last = t
        t += rng.uniform(*every)
    return last


@pytest.mark.parametrize(
    "intervals, period",
    [
        ([60, 60, 60, 60], 60),
        ([60, 120, 60, 180, 60], 60),  # missed regenerations are multiples
        ([58.5, 61.2, 119.6, 60.4, 59.1], 60),  # jitter
        ([60, 60, 60, 60, 60, 60, 60, 60, 60, 5], 60),  # one outlier
        ([30, 30, 30, 30], 30),
    ],
)
def test_estimate_period(intervals: list[float], period: float) -> None:
    assert estimate_period(intervals) == pytest.approx(period, rel=0.02)


@pytest.mark.parametrize("intervals", [[13, 71, 44, 29, 97, 5, 52], [60], []])
def test_estimate_period_says_when_there_is_none(intervals: list[float]) -> None:
    assert estimate_period(intervals) is None


def test_unknown_until_enough_regenerations_were_seen() -> None:
    feed = Feed()
    cadence = FeedCadence()
    assert cadence.next_due(feed.visible[0]) is None and cadence.estimate() is None
    for t in feed.visible[:3]:
        cadence.observe(int(feed.seen_at(t + 1) * 1000), t + 1)
    assert cadence.next_due(feed.visible[3]) is None  # three regenerations: not yet


@pytest.mark.parametrize(
    "feed",
    [
        Feed(),
        Feed(jitter=1.5, delay_spread=1.0, seed=3),
        Feed(skip=0.2, jitter=1.0, seed=4),  # a feed that sometimes does not change
        Feed(skew=-1234.5, jitter=1.0, seed=5),  # our clock 20 minutes behind HKEXnews'
        Feed(skew=3600.0, period=30.0, seed=6),
        Feed(period=300.0, jitter=3.0, seed=7, n=100),
    ],
    ids=["regular", "jitter", "skipped", "skew-behind", "skew-ahead-30s", "five-minutes"],
)
def test_period_phase_and_delay_are_learnt(feed: Feed) -> None:
    cadence = FeedCadence()
    now = learn(feed, cadence)
    est = cadence.estimate()
    assert est is not None
    assert est.period_s == pytest.approx(feed.period, rel=0.005)
    # The delay absorbs the CDN delay and the clock skew alike.
    assert feed.skew + feed.delay - 0.5 <= est.delay_s <= feed.skew + feed.delay + feed.delay_spread + 9
    due = cadence.next_due(now)
    assert due is not None and due > now
    # The next poll lands just after the regeneration that follows the latest one seen.
    nxt = feed.visible[feed.gens.index(feed.seen_at(now)) + 1]
    assert -feed.jitter - feed.delay_spread - 1 <= due - nxt <= 12, due - nxt


@pytest.mark.parametrize(
    "feed",
    [Feed(jitter=1.5, delay_spread=1.0, seed=8), Feed(skip=0.1, jitter=1.0, seed=9)],
    ids=["jitter", "skipped"],
)
def test_polling_when_due_sees_each_regeneration_within_seconds(feed: Feed) -> None:
    cadence = FeedCadence()
    t = learn(feed, cadence, until=20)
    lags: list[float] = []
    polls = 0
    shown: set[float] = set()
    while t < feed.visible[-3]:
        due = cadence.next_due(t)
        assert due is not None and due > t
        t = due
        polls += 1
        gen = feed.seen_at(t)
        cadence.observe(int(gen * 1000), t)
        if gen not in shown:
            shown.add(gen)
            lags.append(t - feed.visible[feed.gens.index(gen)])
    lags.sort()
    assert len(lags) >= len(feed.gens) - 25  # no regeneration slipped past
    assert lags[int(0.95 * len(lags))] < 6, lags[-10:]  # p95 from visible to seen
    assert polls < 3 * len(lags)  # a few retries around jitter, not a busy loop


def test_stale_copies_from_a_lagging_edge_are_ignored() -> None:
    feed = Feed()
    cadence = FeedCadence()
    now = learn(feed, cadence)
    before = cadence.estimate()
    cadence.observe(int(feed.gens[3] * 1000), now + 1)  # an old file served again
    assert cadence.stale == 1 and cadence.estimate() == before


def test_irregular_regenerations_are_not_pretended_regular() -> None:
    rng = random.Random(11)
    cadence = FeedCadence()
    gen, t = EPOCH, EPOCH + 3
    for _ in range(40):
        gen += rng.uniform(5, 200)
        t = gen + 3
        cadence.observe(int(gen * 1000), t)
    assert cadence.estimate() is None and cadence.next_due(t) is None


def test_an_overdue_regeneration_is_retried_shortly_then_skipped() -> None:
    feed = Feed()
    cadence = FeedCadence()
    t = learn(feed, cadence)
    est = cadence.estimate()
    assert est is not None
    last = feed.seen_at(t)
    expected_visible = last + feed.period + est.delay_s  # our clock
    # Asked right after it should have appeared, and it has not: look again within seconds.
    retry = cadence.next_due(expected_visible + 1.0)
    assert retry is not None and retry - (expected_visible + 1.0) < 2
    # Long past it (the feed was not regenerated): wait for the following one.
    later = cadence.next_due(expected_visible + feed.period / 2 + 1)
    assert later is not None and later == pytest.approx(expected_visible + feed.period, abs=2)


def test_a_poll_that_ended_without_the_due_regeneration_retries_soon() -> None:
    """The plan is asked once per poll, when it has ended: a poll that ended without the new file
    it was timed for is retried shortly (the regeneration may still come), not a period later."""
    feed = Feed()
    cadence = FeedCadence()
    t = learn(feed, cadence)
    due = cadence.next_due(t)
    assert due is not None
    ended_unseen = cadence.next_due(due + 0.3)
    assert ended_unseen is not None and ended_unseen - (due + 0.3) < 2


@pytest.mark.parametrize("feed", [Feed(), Feed(delay=0.2, seed=3), Feed(skew=-1234.5, jitter=1.0, seed=5)],
                         ids=["regular", "fast-cdn", "skew-behind"])
def test_the_delay_is_narrowed_down_after_learning(feed: Feed) -> None:
    """The learning polls (every 3-9 s) bound the delay only coarsely; polls timed by the model aim
    between the bounds, so they close in on it: a regeneration is then seen within about a second of
    becoming visible, for about one request per regeneration."""
    cadence = FeedCadence()
    t = learn(feed, cadence, until=20)
    first = feed.gens.index(feed.seen_at(t))
    lags: dict[int, float] = {}
    polls = 0
    while t < feed.visible[-3]:
        due = cadence.next_due(t)
        assert due is not None and due > t
        t = due
        polls += 1
        gen = feed.seen_at(t)
        cadence.observe(int(gen * 1000), t)
        i = feed.gens.index(gen)
        if i > first:
            lags.setdefault(i, t - feed.visible[i])
    later = sorted(v for i, v in lags.items() if i > first + 30)  # after 30 regenerations of polling
    assert len(lags) == len(feed.gens) - 3 - first  # every regeneration seen, none skipped
    assert later[len(later) // 2] < 1.0 and later[int(0.95 * len(later))] < 2.0, later[-5:]
    assert polls <= 1.25 * len(lags)
    est = cadence.estimate()
    assert est is not None and abs(est.delay_s - (feed.delay + feed.skew)) < 1.0
