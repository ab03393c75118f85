"""What every router endpoint depends on: the service's parts and the caller."""

from typing import Annotated

from fastapi import Depends, Request

from router.actions import ActionDeps
from router.handlers import RouterDeps


async def _deps(request: Request) -> RouterDeps:
    deps: RouterDeps = request.app.state.service.deps
    return deps


async def _actions(request: Request) -> ActionDeps:
    actions: ActionDeps = request.app.state.service.actions
    return actions


DepsDep = Annotated[RouterDeps, Depends(_deps)]
ActionsDep = Annotated[ActionDeps, Depends(_actions)]
