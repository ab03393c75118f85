"""The generic appeal format for channels without a platform of their own
(a regional website form, a call-centre system, an import)."""

from datetime import UTC, datetime, timedelta

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator

from appeals_common.events import AppealKind, AppealReceived, Author, Platform
from ingest.domain.normalise import appeal_id, author_key, clean_text
from ingest.domain.pages import Page
from ingest.domain.storable import refuse_unstorable

_EARLIEST = datetime(2022, 1, 1, tzinfo=UTC)  # official pages exist since 2022


class AppealCreate(BaseModel):
    """One appeal as a source system sends it to `POST /v1/appeals`."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "page_id": "site-ivanovo",
                    "external_id": "form-2026-000123",
                    "kind": "private_message",
                    "author_id": "citizen-77",
                    "text": "Во дворе дома 5 по ул. Ленина третий день не вывозят мусор",
                    "written_at": "2026-11-23T09:15:00+03:00",
                }
            ]
        },
    )

    page_id: str = Field(min_length=1, max_length=128, description="registered page or channel")
    external_id: str = Field(min_length=1, max_length=256, description="the source's own id")
    kind: AppealKind = AppealKind.PRIVATE_MESSAGE
    author_id: str = Field(min_length=1, max_length=256)
    text: str = Field(min_length=1, max_length=50_000)
    written_at: AwareDatetime
    permalink: str | None = Field(default=None, max_length=2048)

    @field_validator("page_id", "external_id", "author_id", "text", "permalink")
    @classmethod
    def _encodable(cls, value: str | None) -> str | None:
        # pydantic itself parses this body (json.loads would too): a `\ud800` reaches us here.
        return None if value is None else refuse_unstorable(value)

    @field_validator("text")
    @classmethod
    def _readable(cls, value: str) -> str:
        if not clean_text(value):
            raise ValueError("text has nothing readable in it")
        return value

    @field_validator("written_at")
    @classmethod
    def _plausible_time(cls, value: datetime) -> datetime:
        if not _EARLIEST <= value <= datetime.now(UTC) + timedelta(minutes=5):
            raise ValueError("written_at must be between 2022-01-01 and now")
        return value.astimezone(UTC)


def to_appeal(
    appeal_in: AppealCreate, page: Page, *, salt: str, received_at: datetime
) -> AppealReceived:
    """Normalise a generic appeal."""
    return AppealReceived(
        appeal_id=appeal_id(Platform.API, page.external_id, appeal_in.kind, appeal_in.external_id),
        platform=Platform.API,
        kind=appeal_in.kind,
        page_id=page.id,
        body_id=page.body_id,
        external_id=appeal_in.external_id,
        permalink=appeal_in.permalink,
        author=Author(
            platform_id=appeal_in.author_id,
            key=author_key(salt, Platform.API, appeal_in.author_id),
        ),
        text=clean_text(appeal_in.text),
        written_at=appeal_in.written_at,
        received_at=received_at,
    )
