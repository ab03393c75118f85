"""The authorization request: what the login form carries and when it may redirect back."""

from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from tools.dev_idp.codes import CHALLENGE
from tools.dev_idp.users import Directory


@dataclass(frozen=True)
class AuthorizeRequest:
    client_id: str = ""
    redirect_uri: str = ""
    response_type: str = ""
    scope: str = ""
    state: str = ""
    nonce: str = ""
    code_challenge: str = ""
    code_challenge_method: str = ""
    login_hint: str = ""  # OIDC: the username to fill in

    @classmethod
    def from_params(cls, params: Mapping[str, str]) -> "AuthorizeRequest":
        return cls(**{f.name: params.get(f.name, "") for f in fields(cls)})

    def carried(self) -> dict[str, str]:
        """The parameters the login form passes on in hidden fields."""
        return {name: value for name, value in asdict(self).items() if value}


def unsafe_problem(request: AuthorizeRequest, directory: Directory) -> str | None:
    """Why the client must not be sent back at all ("unknown_client", "bad_redirect")."""
    client = directory.client(request.client_id)
    if client is None:
        return "unknown_client"
    if not client.allows_redirect(request.redirect_uri):
        return "bad_redirect"
    return None


def request_error(request: AuthorizeRequest) -> tuple[str, str] | None:
    """An OAuth error and its description for the client's redirect URI, if any."""
    if request.response_type != "code":
        return "unsupported_response_type", "only response_type=code is supported"
    if request.code_challenge or request.code_challenge_method:
        if request.code_challenge_method != "S256":  # "plain", or missing (which means plain)
            return "invalid_request", "code_challenge_method must be S256"
        if not CHALLENGE.fullmatch(request.code_challenge):
            return "invalid_request", "code_challenge is not an S256 challenge"
    return None


def with_query(uri: str, params: Mapping[str, str]) -> str:
    """`uri` with `params` added to its query; empty values are left out."""
    parts = urlsplit(uri)
    query = parse_qsl(parts.query, keep_blank_values=True)
    query += [(name, value) for name, value in params.items() if value]
    return urlunsplit(parts._replace(query=urlencode(query)))
