"""The dev IdP's command line: tokens for scripts, key rotation, a server.

    python -m tools.dev_idp token --user cur-operator [--ttl 600]
    python -m tools.dev_idp token --sub u-1 --role agency_staff --agency ivanovo-roads
    python -m tools.dev_idp rotate | jwks | users
    python -m tools.dev_idp serve [--host 127.0.0.1] [--port 8005]

Issuer, audience and key directory come from DEV_IDP_* (or --issuer/--key-dir): for the
`test` profile, --issuer http://127.0.0.1:18005 --key-dir .stack/test/idp. Tokens are
signed with the same key files the server publishes, so they verify against its JWKS.
"""

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as `python tools/dev_idp`: make `tools` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tools.dev_idp.keys import KeyStore
from tools.dev_idp.settings import IdpSettings
from tools.dev_idp.tokens import mint_access_token
from tools.dev_idp.users import ROLES, Identity, load_directory

CLI_CLIENT = "appeals-cli"


def settings_from(args: argparse.Namespace) -> IdpSettings:
    overrides: dict[str, Any] = {}
    if args.issuer:
        overrides["issuer"] = args.issuer
    if args.key_dir:
        overrides["key_dir"] = args.key_dir
    return IdpSettings(**overrides)


def identity_from(args: argparse.Namespace, settings: IdpSettings) -> Identity:
    if args.user:
        user = load_directory(settings.users_file).user(args.user)
        if user is None:
            raise SystemExit(f"dev_idp: no user {args.user!r} in {settings.users_file}")
        return user.identity()
    return Identity(
        sub=args.sub,
        username=args.username or args.sub,
        name=args.name,
        roles=tuple(args.role),
        agencies=tuple(args.agency),
    )


def token(args: argparse.Namespace) -> None:
    settings = settings_from(args)
    ttl = args.ttl or settings.token_ttl_seconds
    identity = identity_from(args, settings)
    now = int(time.time())
    print(mint_access_token(settings, identity, client_id=args.client_id, now=now, ttl=ttl))


def rotate(args: argparse.Namespace) -> None:
    keys = KeyStore(settings_from(args).key_dir)
    print(f"new current key: {keys.rotate().kid}")
    print(f"published: {', '.join(key.kid for key in keys.all())}")


def jwks(args: argparse.Namespace) -> None:
    print(json.dumps(KeyStore(settings_from(args).key_dir).jwks(), indent=2))


def users(args: argparse.Namespace) -> None:
    settings = settings_from(args)
    for user in load_directory(settings.users_file).users:
        roles, agencies = ",".join(user.roles), ",".join(user.agencies) or "-"
        print(f"{user.username:<16} {roles:<16} {agencies:<16} {user.name}")


def serve(args: argparse.Namespace) -> None:
    import uvicorn

    from tools.dev_idp.app import create_app

    issuer = args.issuer or None
    settings = settings_from(args)
    if issuer is None and "issuer" not in settings.model_fields_set:
        # No issuer given anywhere: the address this server answers on.
        settings = settings.model_copy(update={"issuer": f"http://{args.host}:{args.port}"})
    uvicorn.run(create_app(settings), host=args.host, port=args.port)


def parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--issuer", help="default: DEV_IDP_ISSUER or http://127.0.0.1:8005")
    common.add_argument("--key-dir", type=Path, help="default: DEV_IDP_KEY_DIR or .stack/dev/idp")
    top = argparse.ArgumentParser(
        prog="python -m tools.dev_idp", description=__doc__.split("\n")[0]
    )
    commands = top.add_subparsers(dest="command", required=True)
    tok = commands.add_parser("token", parents=[common], help="print a signed access token")
    who = tok.add_mutually_exclusive_group(required=True)
    who.add_argument("--user", help="a username from config/dev-users.yaml")
    who.add_argument("--sub", help="an ad-hoc subject (with --role, --agency)")
    tok.add_argument("--role", action="append", default=[], choices=ROLES)
    tok.add_argument("--agency", action="append", default=[])
    tok.add_argument("--username", default="", help="ad-hoc: preferred_username")
    tok.add_argument("--name", default="", help="ad-hoc: the full name")
    tok.add_argument("--ttl", type=_positive, help="seconds; default DEV_IDP_TOKEN_TTL_SECONDS")
    tok.add_argument("--client-id", default=CLI_CLIENT, help="the azp claim")
    tok.set_defaults(run=token)
    for name, run in {"rotate": rotate, "jwks": jwks, "users": users}.items():
        commands.add_parser(name, parents=[common]).set_defaults(run=run)
    srv = commands.add_parser("serve", parents=[common], help="run the IdP (uvicorn)")
    srv.add_argument("--host", default="127.0.0.1")
    srv.add_argument("--port", type=int, default=8005)
    srv.set_defaults(run=serve)
    return top


def _positive(value: str) -> int:
    number = int(value)
    if number <= 0:
        raise argparse.ArgumentTypeError("must be a positive number of seconds")
    return number


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.command == "token" and args.user and (args.role or args.agency):
        parser().error("--role and --agency go with --sub, not --user")
    args.run(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
