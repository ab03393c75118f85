"""The delivery worker's settings: the registry's (database, Kafka, the pages' key; no admin
token, since it serves no admin API) and the platforms' API addresses, which tests and the
demo point at the fakes."""

from pydantic import Field

from ingest.settings import RegistrySettings


class DeliverySettings(RegistrySettings):
    vk_api_url: str = Field(
        default="https://api.vk.com/method", validation_alias="INGEST_VK_API_URL"
    )
    vk_api_version: str = Field(default="5.199", validation_alias="INGEST_VK_API_VERSION")
    telegram_api_url: str = Field(
        default="https://api.telegram.org", validation_alias="INGEST_TELEGRAM_API_URL"
    )
    ok_graph_api_url: str = Field(
        default="https://api.ok.ru/graph", validation_alias="INGEST_OK_GRAPH_API_URL"
    )
    # Longer than a call can take (10 s timeout, a part or two): a delivery whose worker died
    # waits this long before another takes it over.
    lease_seconds: float = Field(
        default=60.0, ge=1, le=3600, validation_alias="DELIVERY_LEASE_SECONDS"
    )
    batch: int = Field(default=20, ge=1, le=500, validation_alias="DELIVERY_BATCH")
    call_timeout_seconds: float = Field(
        default=10.0, gt=0, le=120, validation_alias="DELIVERY_CALL_TIMEOUT_SECONDS"
    )
