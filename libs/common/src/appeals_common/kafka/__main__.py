"""`python -m appeals_common.kafka`: create the platform's topics on KAFKA_BOOTSTRAP_SERVERS."""

import asyncio
import os

from appeals_common.kafka.admin import ensure_topics
from appeals_common.settings import KafkaSettings

if __name__ == "__main__":
    replication = int(os.environ.get("KAFKA_REPLICATION_FACTOR", "1"))
    asyncio.run(
        ensure_topics(KafkaSettings().kafka_bootstrap_servers, replication_factor=replication)
    )
