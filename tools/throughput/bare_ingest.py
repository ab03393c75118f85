"""What ingest is compared with: a bare FastAPI endpoint that puts each request's body on a
topic and answers once Kafka has acknowledged it (acks=all, idempotent, as ingest's producer),
with no authentication, validation or normalisation. Run as ingest is, a process per core:

    python -m appeals_common.serve tools.throughput.bare_ingest:app --port 18209 --workers 2
"""

import json
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from aiokafka import AIOKafkaProducer
from fastapi import FastAPI, Request

from appeals_common.kafka import ensure_topics
from appeals_common.topics import TopicSpec

KAFKA = os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:19092")
TOPIC = TopicSpec("bench.bare.v1", 6)


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    await ensure_topics(KAFKA, (TOPIC,))
    producer = AIOKafkaProducer(bootstrap_servers=KAFKA, acks="all", enable_idempotence=True)
    await producer.start()
    app.state.producer = producer
    yield
    await producer.stop()


app = FastAPI(lifespan=lifespan)


@app.get("/health/ready")
async def ready() -> dict[str, str]:
    return {"status": "ready"}


@app.post("/v1/appeals", status_code=202)
async def accept(request: Request) -> dict[str, bool]:
    body = await request.body()
    key = str(json.loads(body).get("external_id", "")).encode()
    await request.app.state.producer.send_and_wait(TOPIC.name, body, key=key)
    return {"accepted": True}
