"""The delivery worker's ASGI app (health, readiness, metrics): `uvicorn ingest.delivery.main:app`.
A process of its own, apart from the webhook edge: it holds no HTTP traffic of residents, calls
out with the pages' tokens, and scales (and is killed) on its own."""

from appeals_common.app import create_service_app
from ingest.delivery.bootstrap import bootstrap
from ingest.delivery.settings import DeliverySettings

app = create_service_app("ingest-delivery", lambda: bootstrap(DeliverySettings()), [])
