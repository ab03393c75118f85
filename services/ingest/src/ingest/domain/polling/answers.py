"""Reading a polled API's JSON answer: a model, or an error that says where it is wrong."""

from typing import TypeVar

from pydantic import BaseModel, ValidationError

from ingest.domain.outcomes import PayloadError, first_error

_M = TypeVar("_M", bound=BaseModel)


class ApiAnswerError(PayloadError):
    """An answer that is an API error, or not what the method returns."""


def parse(model: type[_M], body: object) -> _M:
    try:
        return model.model_validate(body)
    except ValidationError as exc:
        raise ApiAnswerError(first_error(exc)) from exc
