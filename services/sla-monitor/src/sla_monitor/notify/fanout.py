"""One notice through every channel that reaches the official.

Delivered once is delivered: a notice that reached the official by one channel counts as
sent, and the failures of the others are only logged, since retrying it would repeat the
message on the channel that worked.
"""

import asyncio
import logging
from collections.abc import Sequence

from sla_monitor.notify.notices import Notice
from sla_monitor.notify.ports import Channel, NotificationFailed, Notifier

log = logging.getLogger(__name__)


class Fanout(Notifier):
    """Sends through every channel that reaches the contact, at once."""

    def __init__(self, channels: Sequence[Channel]) -> None:
        self._channels = tuple(channels)

    async def send(self, notice: Notice) -> None:
        """Deliver by at least one channel; else NotificationFailed, transient when any of
        the failures was. A contact no channel reaches is a permanent failure."""
        channels = [c for c in self._channels if c.reaches(notice.to)]
        if not channels:
            raise NotificationFailed("no channel reaches the official", transient=False)
        results = await asyncio.gather(*(c.send(notice) for c in channels), return_exceptions=True)
        for result in results:
            if isinstance(result, BaseException) and not isinstance(result, NotificationFailed):
                raise result  # a bug, or a cancellation: not a delivery failure
        failures = [r for r in results if isinstance(r, NotificationFailed)]
        if len(failures) == len(channels):
            retry_after = max((f.retry_after or 0.0 for f in failures), default=0.0) or None
            raise NotificationFailed(
                "; ".join(str(f) for f in failures),
                transient=any(f.transient for f in failures),
                retry_after=retry_after,
            )
        for channel, result in zip(channels, results, strict=True):
            if isinstance(result, NotificationFailed):
                log.warning(
                    "SLA notice %s of appeal %s went out, but not by %s: %s",
                    notice.step, notice.appeal_id, type(channel).__name__, result,
                )  # fmt: skip
