"""The latest feed's regeneration cadence, learnt from its ``genDate``: when to poll next.

HKEXnews regenerates the feed files on a schedule of its own and stamps each with ``genDate``
(epoch ms on its clock). ``FeedCadence`` is told every fetch (the ``genDate`` seen, and when, on our
clock) and estimates the period, the phase, and how long after ``genDate`` a new file becomes
visible to us. That last figure is the CDN's delay plus the difference between HKEXnews' clock and
ours: from where we stand they are one number, so clock skew needs no estimate of its own.
``next_due(now)`` says when the next regeneration should be visible (poll just then), or ``None``
while the model does not know. Pure: no I/O, no clock of its own; the caller passes the times.
"""

from __future__ import annotations

import math
import statistics
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["CadenceEstimate", "FeedCadence", "estimate_period"]

RECENT_BOUNDS = 16  # regenerations whose lower bounds (old file still shown) steer the delay


@dataclass(frozen=True)
class CadenceEstimate:
    period_s: float  # time between regenerations
    anchor_s: float  # one regeneration instant, on HKEXnews' clock (epoch s)
    jitter_s: float  # typical distance of a regeneration from the regular grid
    delay_s: float  # our clock minus genDate when a regeneration is first visible to us
    regenerations: int  # distinct genDates the estimate rests on


def estimate_period(intervals: Sequence[float], *, tolerance: float = 0.15, min_support: float = 0.8,
                    min_period_s: float = 1.0, max_multiple: int = 12, slack: float = 0.1) -> float | None:
    """The period whose whole multiples explain the intervals between successive regenerations seen.

    Missed regenerations (we polled too rarely, or the feed was not regenerated) give intervals of
    two or more periods (up to ``max_multiple``; longer gaps count as outliers); jitter moves each by
    up to ``tolerance`` x period; up to ``1 - min_support`` of them may be outliers. A submultiple
    explains everything a period does, so of the periods explaining nearly the most intervals (within
    ``slack``) the longest wins. ``None`` when no period explains ``min_support`` of them (irregular
    regenerations, too few intervals).
    """
    xs = [x for x in intervals if x > 0]
    if len(xs) < 2:
        return None

    def fit(p: float) -> tuple[float, float]:
        ks = [(x, round(x / p)) for x in xs]
        good = [(x, k) for x, k in ks if 1 <= k <= max_multiple and abs(x - k * p) <= tolerance * p]
        if not good:
            return 0.0, p
        refined = sum(x * k for x, k in good) / sum(k * k for _, k in good)
        return len(good) / len(xs), refined

    scored: list[tuple[float, float]] = []
    tried = -1.0
    for p in sorted({x / k for x in xs for k in range(1, max_multiple + 1) if x / k >= min_period_s}):
        if p <= tried * (1 + tolerance / 10):  # as good as the candidate just tried
            continue
        tried = p
        support, refined = fit(p)
        if support < min_support:
            continue
        support = fit(refined)[0]  # the refined period must still explain them
        if support >= min_support:
            scored.append((support, refined))
    if not scored:
        return None
    best = max(support for support, _ in scored)
    return max(p for support, p in scored if support >= best - slack)


def _quantile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    pos = q * (len(ordered) - 1)
    lo = math.floor(pos)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


@dataclass
class _Regeneration:
    gen_s: float  # genDate, HKEXnews' clock
    first_seen: float  # our clock: the first fetch that showed it (an upper bound of its visibility)
    last_before: float | None  # our clock: the last fetch still showing the previous one (a lower bound)


class FeedCadence:
    """Learns one feed's regeneration period and phase from ``observe(gen_ms, fetched_at)`` calls.

    ``fetched_at`` is when the answer arrived, on the caller's clock (epoch seconds, e.g.
    ``time.time()``); call it for every fetch, a 304 included (with the ``genDate`` of the page it
    confirmed), since a fetch that still shows the old file bounds when the new one appeared.
    """

    def __init__(self, *, max_regenerations: int = 64, min_regenerations: int = 6, margin_s: float = 0.5,
                 min_period_s: float = 1.0, max_period_s: float = 3600.0) -> None:
        self.min_regenerations = min_regenerations
        self.margin_s = margin_s
        self.min_period_s = min_period_s
        self.max_period_s = max_period_s
        self._seen: deque[_Regeneration] = deque(maxlen=max_regenerations)
        self._last_fetch_of_latest: float | None = None
        self._estimate: CadenceEstimate | None = None
        self._dirty = True
        self.stale = 0  # answers older than one already seen (a lagging CDN edge): ignored

    def observe(self, gen_ms: int, fetched_at: float) -> None:
        gen_s = gen_ms / 1000.0
        latest = self._seen[-1] if self._seen else None
        if latest is None or gen_s > latest.gen_s:
            self._dirty = True  # a fetch of the same file changes nothing until the next one comes
            before = self._last_fetch_of_latest
            self._seen.append(_Regeneration(gen_s, fetched_at,
                                            before if before is not None and before < fetched_at else None))
            self._last_fetch_of_latest = fetched_at
        elif gen_s == latest.gen_s:
            if self._last_fetch_of_latest is None or fetched_at > self._last_fetch_of_latest:
                self._last_fetch_of_latest = fetched_at
        else:
            self.stale += 1

    def estimate(self) -> CadenceEstimate | None:
        """The current estimate, or ``None`` while too few regenerations were seen or they do not
        follow a regular period."""
        if self._dirty:
            self._estimate = self._compute()
            self._dirty = False
        return self._estimate

    def _compute(self) -> CadenceEstimate | None:
        seen = list(self._seen)
        if len(seen) < self.min_regenerations:
            return None
        gens = [r.gen_s for r in seen]
        period = estimate_period([b - a for a, b in zip(gens, gens[1:], strict=False)],
                                 min_period_s=self.min_period_s)
        if period is None or not self.min_period_s <= period <= self.max_period_s:
            return None
        # Fit the grid to the regenerations themselves (which period index each one is, then least
        # squares): far more precise than the mean interval, and the anchor sits at the latest one.
        last = gens[-1]
        index = [round((g - last) / period) for g in gens]
        n_mean, g_mean = statistics.fmean(index), statistics.fmean(gens)
        spread = sum((n - n_mean) ** 2 for n in index)
        if spread > 0:
            period = sum((n - n_mean) * (g - g_mean) for n, g in zip(index, gens, strict=True)) / spread
        anchor = g_mean - period * n_mean
        residuals = [g - (anchor + period * n) for n, g in zip(index, gens, strict=True)]
        jitter = 1.4826 * statistics.median(abs(r) for r in residuals)
        if jitter > 0.2 * period:  # the intervals fit a period, the instants do not: no regular grid
            return None
        uppers = [r.first_seen - r.gen_s for r in seen]
        lowers = [r.last_before - r.gen_s for r in seen if r.last_before is not None]
        recent = [r.last_before - r.gen_s for r in seen[-RECENT_BOUNDS:] if r.last_before is not None]
        # Each upper bound is at or after the moment its file became visible, each lower bound (a
        # fetch that still showed the previous file) before it. Polls timed by this model land just
        # after the estimate, so only the smallest upper bound says how soon that is (a quantile would
        # creep up by the margin every cycle). Aim between the bounds: a poll that lands too early
        # shows the old file, raises the lower bound and is retried within a second (``next_due``);
        # one in time lowers the upper bound; so the two close in on the delay to within the margin,
        # instead of keeping the learning polls' coarse first guess. The lower bound is the latest
        # of the recent regenerations', so one slow CDN answer ages out.
        delay = min(uppers)
        lower = max(recent) if recent else None
        if lower is not None and lower < delay:
            # never more than two margins below the upper bound: a poll then lands at most one
            # margin early, and the retry a fraction of a margin later catches the file (a lower
            # bound from the previous regeneration's poll, a period back, says nothing useful)
            step = 2 * max(self.margin_s, 1.5 * jitter)
            delay = max((lower + delay) / 2, delay - step)
        elif lowers:  # a fetch showed the old file after another had shown the new one: edges disagree
            delay = min(max(delay, _quantile(lowers, 0.9)), statistics.median(uppers))
        return CadenceEstimate(period_s=period, anchor_s=anchor, jitter_s=jitter, delay_s=delay,
                               regenerations=len(seen))

    @property
    def period_s(self) -> float | None:
        est = self.estimate()
        return est.period_s if est is not None else None

    def next_due(self, now: float) -> float | None:
        """When (caller's clock) to poll next: just after the next regeneration should be visible,
        with a margin for jitter. If the one expected after the latest seen is overdue, poll again
        shortly while it may still come (jitter, a slow CDN), then move on to the following one (the
        feed is not regenerated every time). ``None`` while the cadence is not known: poll on a
        fixed interval meanwhile, and keep calling ``observe``."""
        est = self.estimate()
        if est is None or not self._seen:
            return None
        margin = max(self.margin_s, 1.5 * est.jitter_s)
        latest = self._seen[-1].gen_s
        expected = est.anchor_s + est.period_s * (round((latest - est.anchor_s) / est.period_s) + 1)
        visible = expected + est.delay_s + margin
        grace = min(est.period_s / 2, max(4 * margin, 2.0))
        # Regenerations whose grace has passed unseen did not happen: the next one is looked for the
        # same way (a poll that came just too early for it is retried, not skipped for a period).
        if now >= visible + grace:
            visible += math.floor((now - visible - grace) / est.period_s + 1) * est.period_s
        if now < visible:
            return visible
        return now + min(max(margin / 2, 0.25), grace)
