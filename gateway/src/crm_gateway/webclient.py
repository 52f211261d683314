"""The web client: ES modules, CSS and translations from a folder (`web/`, CRM_GATEWAY_WEB_DIR): its build or its sources.

The build (web/build.mjs, `make web`) writes web/dist/, laid out like web/ itself: one minified module with the one
chunk of shared code it imports, a chunk per lazy screen, one stylesheet. CRM_GATEWAY_WEB_BUNDLE picks what is served
(`auto`: the build when there is one newer than every source file, so an edited module is served as it is on the
next reload and a stale build never is; `on`: the build, refusing to start without one; `off`: the sources). A folder
that is itself a build (the image copies web/dist/ to /opt/crm/web) carries bundle.json and is served as it is.

Files are served under /static/<content hash>/ and cached for a year: a new release has a new
hash, so browsers never run stale code, and the modules' relative imports inherit the prefix.
A request for another hash is a 404 (never an old or newer file cached under the wrong name).
Every other GET outside the API answers index.html, which is never cached and lists the modules
as `modulepreload` (the sources' modules, or the chunk the build's entry imports: bundle.json), so the browser
fetches the client in one round trip instead of one per level of imports (what makes the first load tolerable on a
slow mobile network). Modules in a `lazy/` folder (a domain's screens) are left out: they are imported when one of
their pages opens, so the first load does not grow with every domain. index.html's inline boot script (it asks for
the dictionary and the session's token while the modules download) is allowed by its hash in the
Content-Security-Policy, never by 'unsafe-inline'.

index.html also carries the service registry (crm_core/services.toml) as `<meta name="crm-services">`: the client
lists the sections of the services this installation runs, and the admin screens their gRPC ports, with no
request of their own (the navigation is right at first paint).

`/sw.js`, the client's service worker, is rendered per version with the URLs of that version's files, so that a
new release installs a new worker that saves the new files (installable and usable without a network).

Only the client's own files are served and hashed (PUBLIC): the folder also holds its tooling (the linter's
package.json, lock file and node_modules, COMPONENTS.md), which the browser never needs.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import mimetypes
import os
import re
import time
from pathlib import Path
from typing import Literal
from urllib.parse import quote

from fastapi import FastAPI
from starlette.exceptions import HTTPException
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Match, Route
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

from crm_core.languages import DEFAULT_LANGUAGE
from crm_core.registry import REGISTRY, ServiceEntry

mimetypes.add_type("application/manifest+json", ".webmanifest")

# What the browser gets: these entries of the folder and everything under them.
PUBLIC = ("index.html", "portal.html", "favicon.svg", "manifest.webmanifest", "css", "fonts", "i18n", "icons", "js")
# Paths the client never owns: an unknown one stays a problem+json 404 instead of index.html.
SERVER_PATHS = ("/api/", "/static/", "/metrics", "/healthz", "/readyz")
# Everything the page loads comes from this origin: a CDN or a stray third-party script cannot load. An inline
# script runs only when its hash is listed ({scripts}): index.html's own boot script, nothing injected.
# Blob URLs (img-src, frame-src) are the attachments panel's previews: files it fetched with the session's token.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'{scripts}; "
    "connect-src 'self'; font-src 'self'; frame-src blob:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)
INDEX_HEADERS = {
    "Cache-Control": "no-cache",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
# The build of the client inside its folder (web/build.mjs), and the file the build writes last.
BUNDLE_DIR = "dist"
BUNDLE_MANIFEST = "bundle.json"
INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)
BundleMode = Literal["auto", "on", "off"]


def public_files(root: Path) -> list[Path]:
    """The client's files under `root` (PUBLIC), sorted."""
    files = [root / name for name in PUBLIC if (root / name).is_file()]
    files += [p for name in PUBLIC if (root / name).is_dir() for p in (root / name).rglob("*") if p.is_file()]
    return sorted(files)


def require_web_dir(root: Path) -> None:
    """Refuse to start without the client's files (SystemExit says what to set), rather than answer 500 later."""
    if not (root / "index.html").is_file() or not (root / "js").is_dir():
        raise SystemExit(
            f"the web client is not in {root} (no index.html and js/ there): set CRM_GATEWAY_WEB_DIR to the "
            "folder holding it (web/ in a checkout)"
        )


def served_root(root: Path, mode: BundleMode) -> Path:
    """The folder to serve from the client's folder `root`: its build (root/dist) or its sources (module docstring).

    SystemExit when `mode` is "on" and there is no build.
    """
    build = root / BUNDLE_DIR
    manifest = build / BUNDLE_MANIFEST
    if mode == "off" or (root / BUNDLE_MANIFEST).is_file():
        return root
    if mode == "on":
        if not manifest.is_file():
            raise SystemExit(
                f"CRM_GATEWAY_WEB_BUNDLE=on but the web client in {root} is not built (no {BUNDLE_DIR}/{BUNDLE_MANIFEST}): "
                "run `make web` (or `npm run build` in that folder), or set CRM_GATEWAY_WEB_BUNDLE=auto"
            )
        return build
    if not manifest.is_file():
        return root
    built = manifest.stat().st_mtime_ns
    return build if all(p.stat().st_mtime_ns <= built for p in public_files(root)) else root


def content_version(root: Path) -> str:
    """A short hash of the client's files under `root`: the cache-busting part of the static URLs."""
    digest = hashlib.sha256()
    for path in public_files(root):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def services_meta(registry: dict[str, ServiceEntry]) -> str:
    """The registry as the client reads it: JSON [{name, title_en, title_ru, grpc_port}] in start order."""
    return json.dumps(
        [
            {"name": e.name, "title_en": e.title_en, "title_ru": e.title_ru, "grpc_port": e.grpc_port}
            for e in registry.values()
        ],
        ensure_ascii=False,
    )


def preloaded_modules(root: Path) -> list[str]:
    """The modules index.html preloads: a build's entry's chunks (bundle.json), else every module outside `lazy/`."""
    manifest = root / BUNDLE_MANIFEST
    if manifest.is_file():
        return list(json.loads(manifest.read_text(encoding="utf-8"))["preload"])
    return sorted(
        p.relative_to(root).as_posix() for p in (root / "js").rglob("*.js") if "lazy" not in p.relative_to(root).parts
    )


def content_security_policy(page: bytes) -> str:
    """The page's Content-Security-Policy: this origin only, plus the hash of each inline script the page holds."""
    hashes = [
        base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        for script in INLINE_SCRIPT.findall(page.decode())
    ]
    return CONTENT_SECURITY_POLICY.format(scripts="".join(f" 'sha256-{h}'" for h in hashes))


def render_index(
    static: str, root: Path, registry: dict[str, ServiceEntry] = REGISTRY, language: str = DEFAULT_LANGUAGE
) -> bytes:
    """index.html with the static prefix, the registry and the installation's language (the client's language for
    a browser that speaks neither of ours and has chosen none) filled in and the first load's modules preloaded."""
    modules = preloaded_modules(root)
    preload = "\n".join(f'<link rel="modulepreload" href="{static}/{m}">' for m in modules)
    template = (root / "index.html").read_text(encoding="utf-8")
    services = html.escape(services_meta(registry), quote=True)
    return (
        template.replace("{{preload}}", preload)
        .replace("{{static}}", static)
        .replace("{{services}}", services)
        .replace("{{language}}", language)
        .encode()
    )


# The customer portal's page (portal.html, served at /portal): its entry and the modules it imports from the sources.
PORTAL_PAGE = "portal.html"
PORTAL_MODULES = ("js/portal.js", "js/dom.js", "js/i18n.js", "js/messages.js")


def render_portal(static: str, root: Path, language: str = DEFAULT_LANGUAGE) -> bytes:
    """portal.html with the static prefix and language filled in; the sources' portal modules preloaded (a build
    has the portal in one module, js/portal.js, which the page loads itself)."""
    page = root / PORTAL_PAGE
    if not page.is_file():
        return b""
    modules: list[str] = []
    if not (root / BUNDLE_MANIFEST).is_file():
        modules = [
            *PORTAL_MODULES,
            *sorted(p.relative_to(root).as_posix() for p in (root / "js" / "portal").glob("*.js")),
        ]
    preload = "\n".join(f'<link rel="modulepreload" href="{static}/{m}">' for m in modules)
    template = page.read_text(encoding="utf-8")
    return (
        template.replace("{{preload}}", preload)
        .replace("{{static}}", static)
        .replace("{{language}}", language)
        .encode()
    )


def render_service_worker(static: str, root: Path) -> bytes:
    """sw.js with this version and the URLs of its files (all but index.html, which it saves under its own key)."""
    if not (root / "sw.js").is_file():
        return b""
    files = [f"{static}/{quote(p.relative_to(root).as_posix())}" for p in public_files(root) if p.name != "index.html"]
    template = (root / "sw.js").read_text(encoding="utf-8")
    return template.replace("{{version}}", static.rsplit("/", 1)[-1]).replace("{{files}}", " ".join(files)).encode()


class WebClient:
    """The current version of the client's files and its index.html.

    Re-read when a file changes (checked at most once a second), so that `make dev` picks up an
    edited module (or a new build) on the next page load without a restart; in a release nothing changes.
    `source` is the client's folder; `root` what is served from it (served_root).
    """

    def __init__(self, source: Path, bundle: BundleMode = "auto", language: str = DEFAULT_LANGUAGE) -> None:
        require_web_dir(source)
        self.source = source
        self.bundle = bundle
        self.language = language
        self.root = served_root(source, bundle)
        require_web_dir(self.root)
        self._signature: tuple[tuple[str, int, int], ...] = ()
        self._checked = 0.0
        self.version = ""
        self.index = b""
        self.service_worker = b""
        self.portal = b""
        self.headers: dict[str, str] = {}
        self.portal_headers: dict[str, str] = {}
        self._reload()

    def _reload(self) -> None:
        root = served_root(self.source, self.bundle)
        signature = tuple((str(p), s.st_mtime_ns, s.st_size) for p in public_files(root) for s in [p.stat()])
        if signature != self._signature:
            self._signature = signature
            self.root = root
            self.version = content_version(root)
            self.index = render_index(f"/static/{self.version}", root, language=self.language)
            self.headers = {**INDEX_HEADERS, "Content-Security-Policy": content_security_policy(self.index)}
            self.service_worker = render_service_worker(f"/static/{self.version}", root)
            self.portal = render_portal(f"/static/{self.version}", root, self.language)
            self.portal_headers = {**INDEX_HEADERS, "Content-Security-Policy": content_security_policy(self.portal)}

    def current(self) -> WebClient:
        now = time.monotonic()
        if now - self._checked > 1:
            self._checked = now
            self._reload()
        return self


class VersionedFiles(StaticFiles):
    """/static/<version>/<file>: the current version's files, cacheable forever; other versions are 404."""

    def __init__(self, client: WebClient) -> None:
        super().__init__(directory=client.root)
        self.client = client

    def get_path(self, scope: Scope) -> str:
        version, _, path = super().get_path(scope).partition(os.sep)
        client = self.client.current()
        if version != client.version or path.split(os.sep)[0] not in PUBLIC:
            raise HTTPException(404, "No such file in this version of the web client")
        self.all_directories = [client.root]  # the build or the sources, whichever this version is
        return path

    def file_response(self, *args, **kwargs) -> Response:  # type: ignore[no-untyped-def]
        response = super().file_response(*args, **kwargs)
        response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response


class ClientRoute(Route):
    """Matches a GET of any page of the client; leaves the API's paths and other methods alone."""

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            return Match.NONE, {}
        if scope["path"].startswith(SERVER_PATHS):
            return Match.NONE, {}
        return super().matches(scope)


def install_web_client(app: FastAPI, root: Path, bundle: BundleMode = "auto", language: str = DEFAULT_LANGUAGE) -> None:
    """Serve the web client in `root` at / (call last: its catch-all route must come after the API's); `bundle`
    picks its build or its sources (served_root); `language` is the installation's (CRM_DEFAULT_LANGUAGE).

    SystemExit when `root` does not hold the client (or its build, when `bundle` is "on").
    """
    client = WebClient(root, bundle, language)

    async def page(_: Request) -> Response:
        current = client.current()
        return Response(current.index, media_type="text/html; charset=utf-8", headers=current.headers)

    async def service_worker(_: Request) -> Response:
        # At the root, so that it may control every page; revalidated on each check, as browsers do for workers.
        worker = client.current().service_worker
        if not worker:
            raise HTTPException(404, "This web client has no service worker")
        headers = {"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"}
        return Response(worker, media_type="text/javascript", headers=headers)

    async def portal_page(_: Request) -> Response:
        current = client.current()
        if not current.portal:
            raise HTTPException(404, "This web client has no customer portal")
        return Response(current.portal, media_type="text/html; charset=utf-8", headers=current.portal_headers)

    # Outermost, so the idempotency middleware stores and replays uncompressed bodies.
    app.add_middleware(GZipMiddleware, minimum_size=500)
    app.mount("/static", VersionedFiles(client), name="static")
    app.router.routes.append(Route("/sw.js", service_worker, methods=["GET", "HEAD"], include_in_schema=False))
    # The customer portal: its own page (portal.html), its routes in the URL's hash (#/tickets, #/nps/<token>).
    for path in ("/portal", "/portal/"):
        app.router.routes.append(Route(path, portal_page, methods=["GET", "HEAD"], include_in_schema=False))
    app.router.routes.append(ClientRoute("/{path:path}", page, methods=["GET", "HEAD"], include_in_schema=False))
