"""The batch: each item checked on its own; publishing waits for every acknowledgement."""

from datetime import UTC, datetime
from typing import Any

import pytest

from appeals_common.errors import DependencyUnavailable
from appeals_common.events import Platform
from ingest.domain import batch
from ingest.domain.pages import Page
from ingest.handlers import accept_appeals

SITE = Page("site-test", Platform.API, "site-test", "adm-test", "Форма")
NOW = datetime(2026, 1, 10, 12, tzinfo=UTC)


def item(external_id: str, **changes: Any) -> dict[str, Any]:
    return {
        "page_id": "site-test",
        "external_id": external_id,
        "author_id": "citizen-1",
        "text": "Не вывозят мусор",
        "written_at": "2026-01-10T09:15:00+03:00",
        **changes,
    }


def check(items: list[object]) -> batch.Checked:
    return batch.check_items(items, SITE, salt="s", received_at=NOW)


def test_good_items_are_accepted_and_bad_ones_rejected_with_the_reason() -> None:
    checked = check(
        [item("1"), item("2", text=""), "not an object", item("3", page_id="other"), item("4")]
    )

    assert [i for i, _ in checked.accepted] == [0, 4]
    assert [a.external_id for _, a in checked.accepted] == ["1", "4"]
    assert [(r.index, r.error.split(":")[0]) for r in checked.rejected] == [
        (1, "text"),
        (2, "body"),
        (3, "this API key is not for page 'other'"),
    ]


def test_a_rejection_does_not_quote_the_item() -> None:
    checked = check([item("1", text=12345, author_id="secret-person")])

    assert "secret-person" not in checked.rejected[0].error
    assert "12345" not in checked.rejected[0].error


class SometimesDown:
    def __init__(self, fail_on: set[str], error: Exception) -> None:
        self.fail_on, self.error, self.published = fail_on, error, []

    async def publish(self, topic: str, event: Any, *, key: str) -> None:
        if event.payload.external_id in self.fail_on:
            raise self.error
        self.published.append(event.payload.external_id)


async def test_accept_appeals_publishes_all_of_them() -> None:
    publisher = SometimesDown(set(), DependencyUnavailable("down"))

    await accept_appeals([a for _, a in check([item("1"), item("2")]).accepted], publisher)

    assert sorted(publisher.published) == ["1", "2"]


async def test_one_unacknowledged_item_makes_the_whole_batch_unavailable() -> None:
    publisher = SometimesDown({"2"}, DependencyUnavailable("down"))
    appeals = [a for _, a in check([item("1"), item("2"), item("3")]).accepted]

    with pytest.raises(DependencyUnavailable):
        await accept_appeals(appeals, publisher)
    assert sorted(publisher.published) == ["1", "3"]  # the others were still awaited


async def test_another_failure_is_raised_as_it_is() -> None:
    publisher = SometimesDown({"1"}, RuntimeError("bug"))

    with pytest.raises(RuntimeError):
        await accept_appeals([a for _, a in check([item("1")]).accepted], publisher)
