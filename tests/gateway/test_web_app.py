"""The web app at /: its files with caching that fits them, index.html for the app's own routes
and never for the API's paths, GraphiQL from its own build, and CORS for listed origins only."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path

import httpx
import pytest
from pydantic import SecretStr
from starlette.applications import Starlette
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from services.gateway.app import create_gateway
from shared.config import Settings, get_settings
from tests.support.servers import served

INDEX = "<!doctype html><title>Tally</title><div id=root></div>"


@pytest.fixture
def build(tmp_path: Path) -> Path:
    """What `vite build` leaves in web/dist, in small."""
    root = tmp_path / "dist"
    (root / "assets").mkdir(parents=True)
    (root / ".vite").mkdir()
    (root / "index.html").write_text(INDEX)
    (root / "graphiql.html").write_text("<!doctype html><title>GraphiQL</title>")
    (root / "favicon.svg").write_text("<svg/>")
    (root / "assets" / "app-1a2b3c.js").write_text("console.log('tally')")
    (root / ".vite" / "manifest.json").write_text("{}")
    (tmp_path / "secret.txt").write_text("outside the build")
    return root


def gateway(**changes: object) -> Starlette:
    settings: Settings = get_settings().model_copy(update=changes)
    return create_gateway(settings)


Client = Callable[..., httpx.AsyncClient]


@pytest.fixture
async def client() -> AsyncIterator[Client]:
    opened: list[httpx.AsyncClient] = []

    def open_client(app: Starlette) -> httpx.AsyncClient:
        http = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://tally")
        opened.append(http)
        return http

    yield open_client
    for http in opened:
        await http.aclose()


async def test_without_a_build_the_home_page_says_how_to_build_the_app(
    client: Client, tmp_path: Path
) -> None:
    http = client(gateway(web_dir=tmp_path / "missing"))
    response = await http.get("/")
    assert response.status_code == 200
    assert "<h1>Tally</h1>" in response.text
    assert "make web" in response.text
    assert (await http.get("/settings")).status_code == 404


async def test_the_app_is_served_at_the_root_and_at_every_route_it_owns(
    client: Client, build: Path
) -> None:
    http = client(gateway(web_dir=build))
    for path in ("/", "/settings", "/notifications", "/some/deep/link?x=1"):
        response = await http.get(path)
        assert response.status_code == 200, path
        assert response.text == INDEX
        assert response.headers["cache-control"] == "no-cache"
        assert "script-src 'self'" in response.headers["content-security-policy"]


async def test_the_page_may_load_plaid_link_from_plaids_cdn_only_when_plaid_is_real(
    client: Client, build: Path
) -> None:
    local = (await client(gateway(web_dir=build)).get("/")).headers["content-security-policy"]
    # The emulator's Link look-alike is served by this origin: nothing else is allowed.
    assert "cdn.plaid.com" not in local and "frame-src" not in local
    real = gateway(
        web_dir=build, plaid_env="sandbox", plaid_client_id="id", plaid_secret=SecretStr("s")
    )
    policy = (await client(real).get("/")).headers["content-security-policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == (
        "'self' https://cdn.plaid.com/link/v2/stable/link-initialize.js"
    )
    assert directives["frame-src"] == "https://cdn.plaid.com"
    assert directives["connect-src"] == "'self' https://sandbox.plaid.com"
    assert directives["frame-ancestors"] == "'none'"


async def test_hashed_assets_are_cached_for_good_and_other_files_briefly(
    client: Client, build: Path
) -> None:
    http = client(gateway(web_dir=build))
    asset = await http.get("/assets/app-1a2b3c.js")
    assert asset.status_code == 200
    assert asset.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert asset.headers["content-type"].startswith("text/javascript")
    icon = await http.get("/favicon.svg")
    assert icon.headers["cache-control"] == "public, max-age=3600"


async def test_the_app_is_sent_compressed_to_a_browser_that_accepts_gzip(
    client: Client, build: Path
) -> None:
    script = "console.log('tally');\n" * 200
    (build / "assets" / "big-9f8e7d.js").write_text(script)
    http = client(gateway(web_dir=build))
    compressed = await http.get("/assets/big-9f8e7d.js", headers={"Accept-Encoding": "gzip"})
    plain = await http.get("/assets/big-9f8e7d.js", headers={"Accept-Encoding": "identity"})
    page = await http.get("/budgets", headers={"Accept-Encoding": "gzip"})

    assert compressed.headers["content-encoding"] == "gzip"
    assert int(compressed.headers["content-length"]) < len(script) // 10
    assert compressed.text == plain.text == script  # httpx decodes it
    assert compressed.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert "content-encoding" not in plain.headers
    assert page.status_code == 200 and page.text == INDEX  # small: sent as it is


async def test_a_missing_asset_is_a_404_not_the_page(client: Client, build: Path) -> None:
    http = client(gateway(web_dir=build))
    assert (await http.get("/assets/app-old.js")).status_code == 404
    assert (await http.get("/main.js")).status_code == 404


async def test_the_apis_paths_never_fall_back_to_the_app(client: Client, build: Path) -> None:
    http = client(gateway(web_dir=build))
    for path in (
        "/graphql/anything",
        "/webhooks",
        "/webhooks/stripe",
        "/healthz/deep",
        "/readyz/x",
        "/metrics/x",
    ):
        response = await http.get(path)
        assert response.status_code == 404, path
        assert response.headers["content-type"] == "application/json", path
    assert (await http.get("/healthz")).json() == {"status": "ok"}


async def test_nothing_outside_the_build_or_hidden_in_it_is_served(
    client: Client, build: Path
) -> None:
    http = client(gateway(web_dir=build))
    for path in ("/../secret.txt", "/%2e%2e/secret.txt", "/.vite/manifest.json"):
        response = await http.get(path)
        assert "outside the build" not in response.text, path
        assert response.text in (INDEX, '{"error":"Not found."}'), path


async def test_graphiql_is_served_from_the_build_in_development(
    client: Client, build: Path
) -> None:
    http = client(gateway(web_dir=build, env="development"))
    response = await http.get("/graphql", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert response.text == "<!doctype html><title>GraphiQL</title>"
    assert "unpkg" not in response.text and "jsdelivr" not in response.text


async def test_without_a_build_graphiql_says_how_to_get_it(client: Client, tmp_path: Path) -> None:
    http = client(gateway(web_dir=tmp_path / "missing", env="development"))
    response = await http.get("/graphql", headers={"Accept": "text/html"})
    assert "make web" in response.text
    assert "<script" not in response.text


async def test_cors_answers_listed_origins_only(client: Client, build: Path) -> None:
    http = client(gateway(web_dir=build, cors_origins="http://localhost:5173"))
    preflight = {
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, content-type",
    }
    allowed = await http.options(
        "/graphql", headers={"Origin": "http://localhost:5173", **preflight}
    )
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == "http://localhost:5173"
    assert "authorization" in allowed.headers["access-control-allow-headers"].lower()
    assert "access-control-allow-credentials" not in allowed.headers

    evil = {"Origin": "https://evil.example", **preflight}
    refused = await http.options("/graphql", headers=evil)
    assert "access-control-allow-origin" not in refused.headers

    answer = await http.post(
        "/graphql",
        json={"query": "{ __typename }"},
        headers={"Origin": "http://localhost:5173"},
    )
    assert answer.headers["access-control-allow-origin"] == "http://localhost:5173"


async def test_without_cors_origins_no_other_origin_is_allowed(client: Client, build: Path) -> None:
    http = client(gateway(web_dir=build))
    response = await http.post(
        "/graphql", json={"query": "{ __typename }"}, headers={"Origin": "http://localhost:5173"}
    )
    assert "access-control-allow-origin" not in response.headers


def test_the_live_socket_opens_from_listed_origins_and_its_own_only(build: Path) -> None:
    app = gateway(web_dir=build, cors_origins="http://localhost:5173")
    with served(app, lifespan="off") as server:
        url = f"{server.ws_url}/graphql"
        for origin in ("http://localhost:5173", server.url):
            with connect(url, origin=origin, subprotocols=["graphql-transport-ws"]) as socket:
                assert socket.subprotocol == "graphql-transport-ws"
        with pytest.raises(InvalidStatus) as refused:
            connect(url, origin="https://evil.example", subprotocols=["graphql-transport-ws"])
        assert refused.value.response.status_code == 403
