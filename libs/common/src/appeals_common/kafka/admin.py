"""Creating the platform's topics with their partition counts."""

from aiokafka.admin import AIOKafkaAdminClient, NewTopic

from appeals_common.topics import TOPICS, TopicSpec


async def ensure_topics(
    bootstrap_servers: str, specs: tuple[TopicSpec, ...] = TOPICS, *, replication_factor: int = 1
) -> None:
    """Create the topics that are missing; leave existing ones as they are."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers)
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [
            NewTopic(
                s.name,
                num_partitions=s.partitions,
                replication_factor=replication_factor,
                topic_configs=s.configs,
            )
            for s in specs
            if s.name not in existing
        ]
        if missing:
            await admin.create_topics(missing)
    finally:
        await admin.close()
