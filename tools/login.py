"""Sign a demo user in through the identity provider's own login (authorization code + PKCE),
as the console does: the tools get their tokens the production way, not from a key file.

    python tools/login.py cur-operator [--idp-url http://127.0.0.1:8005] [--password demo]
"""

import argparse
import asyncio
import base64
import hashlib
import secrets
import sys
from urllib.parse import parse_qs, urlsplit

import httpx

CLIENT_ID = "appeals-console"
# Never followed: the code is read from the redirect's Location header.
REDIRECT_URI = "http://127.0.0.1:1/console/auth/callback"


class LoginFailed(Exception):
    """The identity provider refused the login or the code; the message says why."""


async def login(client: httpx.AsyncClient, idp_url: str, username: str, password: str) -> str:
    """An access token for `username` from the IdP at `idp_url`."""
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
    state = secrets.token_urlsafe(16)
    params = {
        "response_type": "code",
        "client_id": CLIENT_ID,
        "redirect_uri": REDIRECT_URI,
        "state": state,
        "scope": "openid",
        "code_challenge": challenge.decode().rstrip("="),
        "code_challenge_method": "S256",
    }
    form = {**params, "username": username, "password": password}
    answer = await client.post(f"{idp_url}/authorize", data=form, follow_redirects=False)
    if answer.status_code != 303:
        raise LoginFailed(f"login of {username!r} refused ({answer.status_code})")
    query = parse_qs(urlsplit(answer.headers["location"]).query)
    if query.get("state") != [state] or "code" not in query:
        raise LoginFailed(f"the IdP sent back no code: {query.get('error', ['?'])[0]}")
    exchange = {
        "grant_type": "authorization_code",
        "code": query["code"][0],
        "redirect_uri": REDIRECT_URI,
        "client_id": CLIENT_ID,
        "code_verifier": verifier,
    }
    tokens = await client.post(f"{idp_url}/token", data=exchange)
    if tokens.status_code != 200:
        raise LoginFailed(f"the code was refused: {tokens.text}")
    return str(tokens.json()["access_token"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("username")
    parser.add_argument("--idp-url", default="http://127.0.0.1:8005")
    parser.add_argument("--password", default="demo")
    args = parser.parse_args()

    async def run() -> str:
        async with httpx.AsyncClient(timeout=10) as client:
            return await login(client, args.idp_url, args.username, args.password)

    try:
        print(asyncio.run(run()))
    except (LoginFailed, httpx.HTTPError) as error:
        print(f"login: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
