"""The IdP's HTML pages, in Russian: self-contained (inline CSS, no scripts, no fonts)."""

from html import escape
from urllib.parse import urlencode

from fastapi.responses import HTMLResponse

from tools.dev_idp.authorize import AuthorizeRequest
from tools.dev_idp.users import User

TITLE = "Вход в платформу обращений"
BANNER = "Учебный сервер входа для разработки и тестов. Пароль всех демо-пользователей: demo."
ROLE_NAMES = {
    "agency_staff": "сотрудник ведомства",
    "cur_operator": "оператор ЦУР",
    "governor_office": "аппарат губернатора",
    "admin": "администратор",
}
PROBLEMS = {
    "unknown_client": "Неизвестное приложение (client_id). Вход невозможен.",
    "bad_redirect": "Адрес возврата (redirect_uri) не разрешён для этого приложения.",
}
WRONG_PASSWORD = "Неверное имя пользователя или пароль."
LOGGED_OUT = "Вы вышли из системы."

STYLE = """
body{font-family:system-ui,sans-serif;max-width:44rem;margin:2rem auto;padding:0 1rem;color:#222}
.banner{background:#fff4d6;border:1px solid #e0c36a;padding:.5rem .75rem;border-radius:4px}
.error{background:#fde2e2;border:1px solid #d88;padding:.5rem .75rem;border-radius:4px}
form{display:grid;gap:.5rem;max-width:20rem;margin:1rem 0}
input{font-size:1rem;padding:.4rem}button{font-size:1rem;padding:.5rem}
table{border-collapse:collapse;width:100%}
td,th{border-bottom:1px solid #ddd;padding:.3rem;text-align:left}
"""
# Nothing is loaded from elsewhere, and no other site may frame the password form.
HEADERS = {
    "Cache-Control": "no-store",
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"
    ),
    "X-Frame-Options": "DENY",
}


def login(
    request: AuthorizeRequest,
    users: tuple[User, ...],
    *,
    username: str = "",
    error: str = "",
    status_code: int = 200,
) -> HTMLResponse:
    """The login form, with the demo users a person can pick from."""
    hidden = "".join(
        f'<input type="hidden" name="{escape(k)}" value="{escape(v)}">'
        for k, v in request.carried().items()
    )
    # A picked user (login_hint) only needs the password typed.
    focus_user, focus_password = ("", " autofocus") if username else (" autofocus", "")
    body = f"""
<h1>{TITLE}</h1>
<p class="banner">{escape(BANNER)}</p>
{f'<p class="error" role="alert">{escape(error)}</p>' if error else ""}
<form method="post" action="/authorize">{hidden}
<label for="username">Имя пользователя</label>
<input id="username" name="username" value="{escape(username)}" autocomplete="username"
 required{focus_user}>
<label for="password">Пароль</label>
<input id="password" name="password" type="password" autocomplete="current-password"
 required{focus_password}>
<button type="submit">Войти</button>
</form>
<h2>Демо-пользователи</h2>
<table><thead><tr><th>Пользователь</th><th>Имя</th><th>Роли</th><th>Ведомства</th></tr></thead>
<tbody>{"".join(_user_row(request, user) for user in users)}</tbody></table>
"""
    return _page(TITLE, body, status_code)


def problem(key: str) -> HTMLResponse:
    """A 400 page: the request cannot be answered by redirecting back."""
    return _page("Ошибка входа", f'<h1>Ошибка входа</h1><p class="error">{PROBLEMS[key]}</p>', 400)


def logged_out() -> HTMLResponse:
    return _page(LOGGED_OUT, f"<h1>{LOGGED_OUT}</h1>", 200)


def _user_row(request: AuthorizeRequest, user: User) -> str:
    # A link back to this form with the user filled in (OIDC's login_hint): no script needed.
    params = request.carried() | {"login_hint": user.username}
    href = escape("/authorize?" + urlencode(params))
    roles = ", ".join(ROLE_NAMES.get(role, role) for role in user.roles)
    return (
        f'<tr><td><a href="{href}">{escape(user.username)}</a></td><td>{escape(user.name)}</td>'
        f"<td>{escape(roles)}</td><td>{escape(', '.join(user.agencies)) or '—'}</td></tr>"
    )


def _page(title: str, body: str, status_code: int) -> HTMLResponse:
    html = (
        f'<!doctype html><html lang="ru"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{escape(title)}</title><style>{STYLE}</style></head><body>{body}</body></html>"
    )
    return HTMLResponse(html, status_code=status_code, headers=HEADERS)
