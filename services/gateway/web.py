"""The built single-page app (web/dist) at `/`: its files with caching headers that fit them,
and index.html for every other path the app routes itself (`/settings`, `/notifications`...),
never for the API's own paths. Also the development GraphiQL page built with it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, Response
from starlette.routing import Route, request_response

# Paths the app never routes: a miss under them is the API's 404, not the app's page.
RESERVED_PREFIXES = ("/graphql", "/webhooks", "/healthz", "/readyz", "/metrics", "/plaid-sandbox")
# Vite names every built asset by its content's hash: a changed file is a new name.
IMMUTABLE = "public, max-age=31536000, immutable"
# Other files at the root (the icon) may change under the same name.
SHORT_LIVED = "public, max-age=3600"
# index.html names the current assets: always asked again (a 304 when unchanged).
REVALIDATE = "no-cache"
# The app loads nothing from elsewhere: scripts, styles and sockets all come from this origin
# (the Plaid emulator's Link look-alike too, mounted on it).
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


def content_security_policy(link_script: str, plaid_host: str | None = None) -> str:
    """The page's policy: this origin only, plus, when Link is Plaid's own (a URL elsewhere),
    its script, the frame it opens, and the API it calls (as Plaid's CSP directives ask)."""
    link = urlsplit(link_script)
    if not link.scheme:
        return CONTENT_SECURITY_POLICY
    origin = f"{link.scheme}://{link.netloc}"
    api = f" {plaid_host}" if plaid_host else ""
    return (
        f"default-src 'self'; script-src 'self' {link_script}; "
        "style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; "
        f"connect-src 'self'{api}; frame-src {origin}; object-src 'none'; base-uri 'self'; "
        "form-action 'self'; frame-ancestors 'none'"
    )


def is_reserved(path: str) -> bool:
    return any(path == prefix or path.startswith(prefix + "/") for prefix in RESERVED_PREFIXES)


@dataclass(frozen=True)
class WebApp:
    """A build of web/: index.html, graphiql.html, assets/ and the files of web/public."""

    root: Path
    policy: str = CONTENT_SECURITY_POLICY

    @classmethod
    def find(cls, directory: Path, policy: str = CONTENT_SECURITY_POLICY) -> WebApp | None:
        """The build in `directory`, served under `policy`, or None when there is none (the
        home page stays)."""
        root = directory.resolve()
        return cls(root, policy) if (root / "index.html").is_file() else None

    @property
    def graphiql_page(self) -> Path | None:
        page = self.root / "graphiql.html"
        return page if page.is_file() else None

    def routes(self) -> list[Route]:
        """Last among the gateway's routes: what no other route took. Compressed for a client
        that accepts gzip (the app's JavaScript is a third of its size so), the API's answers
        left as they are."""
        app = GZipMiddleware(request_response(self.serve), minimum_size=1024)
        return [Route("/{path:path}", app, methods=["GET", "HEAD"])]

    async def serve(self, request: Request) -> Response:
        path = request.url.path
        if is_reserved(path):
            return JSONResponse({"error": "Not found."}, status_code=404)
        file = self._file(path)
        if file is not None:
            cache = IMMUTABLE if path.startswith("/assets/") else SHORT_LIVED
            headers = {"Cache-Control": cache, "X-Content-Type-Options": "nosniff"}
            return FileResponse(file, headers=headers)
        if path.startswith("/assets/") or Path(path).suffix in (".js", ".css", ".map"):
            # A missing asset (an old page asking for a file a new build replaced) must not get
            # index.html: the browser would run HTML as a script.
            return JSONResponse({"error": "Not found."}, status_code=404)
        headers = {
            "Cache-Control": REVALIDATE,
            "Content-Security-Policy": self.policy,
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "same-origin",
        }
        return FileResponse(self.root / "index.html", headers=headers)

    def _file(self, path: str) -> Path | None:
        relative = path.lstrip("/")
        if not relative or relative.startswith(".") or "/." in relative:
            return None  # the index, and hidden files such as .vite/manifest.json
        candidate = (self.root / relative).resolve()
        if not candidate.is_relative_to(self.root) or not candidate.is_file():
            return None
        if candidate.name in ("index.html", "graphiql.html"):
            return None
        return candidate

    def graphiql_response(self) -> Response:
        page = self.graphiql_page
        if page is None:
            return graphiql_missing()
        return FileResponse(page, headers={"Cache-Control": REVALIDATE})


def graphiql_missing() -> Response:
    """Development without a build: say how to get GraphiQL, instead of loading it from a CDN."""
    return HTMLResponse(
        "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>GraphiQL</title>"
        "</head><body><h1>GraphiQL is built with the web app</h1><p>Run <code>make web</code> "
        "(Node.js 20 and npm needed), then reload. The API answers POST requests here.</p>"
        "</body></html>",
        headers={"Cache-Control": REVALIDATE},
    )
