"""An appeal's clock and the steps it takes: warnings, the breach, then escalations.

The clock starts when the resident wrote. Steps are due at shares of the first-response
target (the warnings), at the target (the breach) and at each escalation's offset after it;
the final answer has its own breach at the resolution target. All are counted in the policy's
time (round the clock, or the body's working hours), and time paused while the body waits for
the resident does not count: each pause moves every later step by the time it lasted.
"""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sla_monitor.domain.calendar import WorkingTime
from sla_monitor.domain.policy import OnReassign, Policy, Recipient


class Target(StrEnum):
    FIRST_RESPONSE = "first_response"  # an interim answer is enough
    RESOLUTION = "resolution"  # the final answer


@dataclass(frozen=True)
class Step:
    key: str  # stable within an appeal: "warning-50", "breach", "escalation-2", "resolution"
    target: Target
    due_at: datetime
    share: float  # of the target: 0.5 for a warning at half, 1.0 for the breach
    to: Recipient


@dataclass(frozen=True)
class Pause:
    started_at: datetime
    ended_at: datetime | None  # None while it lasts


@dataclass(frozen=True)
class Clock:
    """Where an appeal's time counts from, and how."""

    started_at: datetime  # the resident wrote; or the reassignment, under a restart
    policy: Policy
    time: WorkingTime
    pauses: tuple[Pause, ...] = ()
    extra_seconds: float = 0.0  # a reassignment's grace, counted like the rest

    @property
    def paused(self) -> bool:
        return any(p.ended_at is None for p in self.pauses)

    def paused_seconds(self) -> float:
        """Counting time spent in pauses that have ended."""
        return sum(self.time.between(p.started_at, p.ended_at) for p in self.pauses if p.ended_at)

    def due(self, counted_seconds: float) -> datetime:
        """When `counted_seconds` of the appeal's own time will have passed."""
        shift = self.paused_seconds() + self.extra_seconds
        return self.time.add(self.started_at, counted_seconds + shift)

    def used(self, now: datetime) -> float:
        """Counted seconds so far (a running pause counts up to its start)."""
        running = next((p.started_at for p in self.pauses if p.ended_at is None), None)
        until = min(now, running) if running is not None else now
        return self.time.between(self.started_at, until) - self.paused_seconds() \
            - self.extra_seconds  # fmt: skip

    def steps(self) -> tuple[Step, ...]:
        """Every step of the policy, in order of due time; none while paused."""
        if self.paused:
            return ()
        policy, first = self.policy, self.policy.first_response_seconds
        steps = [
            Step(f"warning-{round(share * 100)}", Target.FIRST_RESPONSE, self.due(share * first),
                 share, Recipient.AGENCY)
            for share in policy.warnings
        ]  # fmt: skip
        steps.append(Step("breach", Target.FIRST_RESPONSE, self.due(first), 1.0, Recipient.HEAD))
        for level, escalation in enumerate(policy.escalations, 1):
            at = self.due(first + escalation.after_seconds)
            share = 1 + escalation.after_seconds / first
            steps.append(Step(f"escalation-{level}", Target.FIRST_RESPONSE, at, share,
                              escalation.to))  # fmt: skip
        resolution = policy.resolution_seconds
        steps.append(Step("resolution", Target.RESOLUTION, self.due(resolution), 1.0,
                          Recipient.HEAD))  # fmt: skip
        return tuple(sorted(steps, key=lambda s: s.due_at))


def reassigned(clock: Clock, at: datetime, time: WorkingTime) -> Clock:
    """The clock after a reassignment at `at` to a body counting `time`: under a restart the
    new body gets the whole target from `at`; otherwise the resident's clock runs on, and
    when less than the grace is left of the first-response target the grace is added."""
    policy = clock.policy
    if policy.on_reassign is OnReassign.RESTART:
        return Clock(at, policy, time)
    moved = Clock(clock.started_at, policy, time, clock.pauses, clock.extra_seconds)
    left = policy.first_response_seconds - moved.used(at)
    extra = max(0.0, policy.grace_seconds - left) if left < policy.grace_seconds else 0.0
    return Clock(clock.started_at, policy, time, clock.pauses, clock.extra_seconds + extra)
