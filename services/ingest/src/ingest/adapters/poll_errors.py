"""Why a poll of a page's API failed.

PollFailed             the API did not give a usable answer: back off and retry later
└── RateLimited        it said 429 (or our host throttle would wait too long): honour
                       `retry_after_s` before the page's next poll
"""


class PollFailed(Exception):
    def __init__(self, reason: str, *, retry_after_s: float | None = None) -> None:
        super().__init__(reason)
        self.retry_after_s = retry_after_s


class RateLimited(PollFailed):
    pass
