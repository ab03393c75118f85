"""One consumer draining a backlog alone: n events wait on its input topic before it starts;
the clock runs from the last look at the group's lag before it moved to the first look that
found it at zero, and the service's CPU is read at the same two moments."""

import asyncio
import time
from dataclasses import dataclass

from tools.throughput.events import INPUT_TOPIC, produce
from tools.throughput.infra import GROUPS, LagProbe, Services, skip_history

LOOK_EVERY_S = 0.2


@dataclass(frozen=True)
class Look:
    at: float
    lag: int
    cpu: dict[str, float]


async def drain(
    service: str, n: int, services: Services, timeout_s: float = 600
) -> dict[str, float]:
    group = GROUPS[service] + services.suffix
    await skip_history(group)
    await produce(service, n)
    looks: list[Look] = []
    async with LagProbe(group, INPUT_TOPIC[service]) as probe:
        services.spawn(service)  # looked at from its start: a small backlog is gone by ready
        try:
            deadline = time.monotonic() + timeout_s
            while not looks or looks[-1].lag > 0:
                if time.monotonic() > deadline:
                    raise TimeoutError(f"{service} did not drain {n} events in {timeout_s} s")
                looks.append(Look(time.perf_counter(), await probe.lag(), services.cpu()))
                await asyncio.sleep(LOOK_EVERY_S)
        finally:
            services.stop()
    start = max((x for x in looks if x.lag >= n), key=lambda x: x.at, default=looks[0])
    end = looks[-1]
    seconds = end.at - start.at
    cpu = {k: end.cpu[k] - start.cpu.get(k, 0.0) for k in end.cpu}
    return {
        "events": n,
        "seconds": round(seconds, 2),
        "per_second": round(n / seconds),
        **{f"cpu_ms_per_event_{k}": round(v * 1000 / n, 3) for k, v in cpu.items()},
    }
