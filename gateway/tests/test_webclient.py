"""Where the gateway finds the web client (CRM_GATEWAY_WEB_DIR) and which of that folder's files it serves."""

from __future__ import annotations

import base64
import hashlib
import html
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from crm_core.registry import load
from crm_gateway.settings import GatewaySettings
from crm_gateway.webclient import (
    BUNDLE_DIR,
    content_security_policy,
    content_version,
    install_web_client,
    render_index,
    served_root,
)

REPO = Path(__file__).resolve().parents[2]
STRONG = {"CRM_JWT_SECRET": "j" * 40, "CRM_INTERNAL_SECRET": "i" * 40}


def test_a_checkout_serves_the_repositorys_web_folder_by_default(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("CRM_GATEWAY_WEB_DIR", raising=False)
    assert GatewaySettings().web_dir == REPO / "web"
    assert (REPO / "web" / "index.html").is_file()
    monkeypatch.setenv("CRM_GATEWAY_WEB_DIR", "/opt/crm/web")
    assert GatewaySettings().web_dir == Path("/opt/crm/web")


def test_the_gateway_refuses_to_start_without_the_web_client(tmp_path: Path) -> None:
    env = {
        **os.environ,
        **STRONG,
        "CRM_GATEWAY_PORT": "0",
        "CRM_GATEWAY_GRPC_PORT": "0",
        "CRM_GATEWAY_METRICS_PORT": "0",
    }
    env["CRM_GATEWAY_WEB_DIR"] = str(tmp_path / "missing")
    result = subprocess.run([sys.executable, "-m", "crm_gateway"], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "CRM_GATEWAY_WEB_DIR" in result.stderr
    assert str(tmp_path / "missing") in result.stderr


def _client_folder(root: Path) -> Path:
    """A tiny client with the tooling a checkout keeps beside it."""
    for name, text in {
        "index.html": "<html>{{preload}}<script src='{{static}}/js/app.js'></script></html>",
        "js/app.js": "export const answer = 42;\n",
        "css/base.css": "body { margin: 0; }\n",
        "package.json": '{"private": true}\n',
        "node_modules/tool/index.js": "module.exports = 1;\n",
        "COMPONENTS.md": "# notes\n",
    }.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


async def test_only_the_clients_own_files_are_hashed_and_served(tmp_path: Path) -> None:
    root = _client_folder(tmp_path)
    app = FastAPI()
    install_web_client(app, root)
    version = content_version(root)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
        index = await client.get("/some/page")
        assert f'<link rel="modulepreload" href="/static/{version}/js/app.js">' in index.text
        assert (await client.get(f"/static/{version}/js/app.js")).status_code == 200
        assert (await client.get(f"/static/{version}/css/base.css")).status_code == 200
        for tooling in ("package.json", "node_modules/tool/index.js", "COMPONENTS.md"):
            assert (await client.get(f"/static/{version}/{tooling}")).status_code == 404, tooling
    # Installing or updating the linter does not make every browser fetch the client again.
    (root / "node_modules" / "tool" / "index.js").write_text("module.exports = 2;\n")
    (root / "package.json").write_text('{"private": true, "devDependencies": {}}\n')
    assert content_version(root) == version
    (root / "js" / "app.js").write_text("export const answer = 43;\n")
    assert content_version(root) != version


def test_index_html_carries_the_registry_as_escaped_json(tmp_path: Path) -> None:
    root = _client_folder(tmp_path)
    (root / "index.html").write_text('<meta name="crm-services" content="{{services}}">')
    registry = load('[helpdesk]\ngrpc_port = 50056\ntitle_en = "Help \\"desk\\" <b>"\ntitle_ru = "Поддержка & Co"\n')
    page = render_index("/static/v", root, registry).decode()
    content = re.fullmatch(r'<meta name="crm-services" content="([^"<>]*)">', page).group(1)
    assert json.loads(html.unescape(content)) == [
        {"name": "helpdesk", "title_en": 'Help "desk" <b>', "title_ru": "Поддержка & Co", "grpc_port": 50056}
    ]


async def test_the_service_worker_lists_this_versions_files_and_changes_with_them(tmp_path: Path) -> None:
    root = _client_folder(tmp_path)
    (root / "sw.js").write_text("const VERSION = '{{version}}';\nconst FILES = '{{files}}'.split(' ');\n")
    (root / "manifest.webmanifest").write_text('{"name": "CRM"}\n')
    app = FastAPI()
    install_web_client(app, root)
    version = content_version(root)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
        worker = await client.get("/sw.js")
        assert worker.status_code == 200
        assert worker.headers["content-type"].startswith("text/javascript")
        assert worker.headers["cache-control"] == "no-cache"
        files = re.search(r"const FILES = '([^']*)'", worker.text)
        assert files is not None
        assert sorted(files.group(1).split(" ")) == [
            f"/static/{version}/{name}" for name in ("css/base.css", "js/app.js", "manifest.webmanifest")
        ]
        assert f"const VERSION = '{version}'" in worker.text
        manifest = await client.get(f"/static/{version}/manifest.webmanifest")
        assert manifest.headers["content-type"].startswith("application/manifest+json")


async def test_a_client_without_a_service_worker_answers_404_for_it(tmp_path: Path) -> None:
    app = FastAPI()
    install_web_client(app, _client_folder(tmp_path))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
        assert (await client.get("/sw.js")).status_code == 404


def _built(root: Path) -> Path:
    """`root` with a build beside its sources, as web/build.mjs writes it (bundle.json last)."""
    for name, text in {
        "dist/index.html": "<html>{{preload}}<script>boot()</script><script src='{{static}}/js/app.js'></script></html>",
        "dist/js/app.js": "import './chunk-A.js';\n",
        "dist/js/chunk-A.js": "export const answer = 42;\n",
        "dist/js/board-B.js": "export const board = 1;\n",
    }.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    (root / "dist" / "bundle.json").write_text('{"entry": "js/app.js", "preload": ["js/chunk-A.js"]}\n')
    return root


def _age(root: Path, seconds: int) -> None:
    for path in root.rglob("*"):
        if path.is_file() and BUNDLE_DIR not in path.relative_to(root).parts:
            os.utime(path, (path.stat().st_atime, path.stat().st_mtime - seconds))


async def test_a_build_newer_than_the_sources_is_served_and_an_edited_source_wins_over_it(tmp_path: Path) -> None:
    root = _built(_client_folder(tmp_path))
    _age(root, 60)
    assert served_root(root, "auto") == root / "dist"
    assert served_root(root, "off") == root
    app = FastAPI()
    install_web_client(app, root, "auto")
    version = content_version(root / "dist")
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
        index = await client.get("/parties/1")
        # Only the chunk the entry imports is preloaded: the lazy screens' chunks are not.
        assert index.text.count("modulepreload") == 1
        assert f'<link rel="modulepreload" href="/static/{version}/js/chunk-A.js">' in index.text
        assert (await client.get(f"/static/{version}/js/board-B.js")).status_code == 200
        assert (await client.get(f"/static/{version}/bundle.json")).status_code == 404
    # Editing a module (make dev's loop): the sources are served again, never the stale build.
    (root / "js" / "app.js").write_text("export const answer = 43;\n")
    assert served_root(root, "auto") == root
    assert served_root(root, "on") == root / "dist"


def test_a_folder_that_is_a_build_is_served_as_it_is_and_on_requires_a_build(tmp_path: Path) -> None:
    root = _client_folder(tmp_path / "sources")
    with pytest.raises(SystemExit, match="make web"):
        served_root(root, "on")
    image = _built(tmp_path / "image") / "dist"  # the image copies web/dist/ to /opt/crm/web
    assert served_root(image, "on") == image
    assert served_root(image, "auto") == image


def test_the_policy_allows_exactly_the_pages_inline_scripts_by_hash() -> None:
    page = b"<html><script>boot()</script><script type='module' src='/static/v/js/app.js'></script></html>"
    policy = content_security_policy(page)
    digest = base64.b64encode(hashlib.sha256(b"boot()").digest()).decode()
    assert f"script-src 'self' 'sha256-{digest}';" in policy
    assert "unsafe-inline" not in policy
    assert "script-src 'self';" in content_security_policy(b"<html></html>")


async def test_the_page_names_the_installations_language_for_a_browser_that_speaks_neither_of_ours(
    tmp_path: Path,
) -> None:
    root = _client_folder(tmp_path)
    (root / "index.html").write_text('<html lang="{{language}}">{{preload}}</html>')
    for language in ("ru", "en"):
        app = FastAPI()
        install_web_client(app, root, "off", language)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
            assert (await client.get("/")).text.startswith(f'<html lang="{language}">')


async def test_the_customer_portal_is_its_own_page_at_portal_under_the_same_policy() -> None:
    app = FastAPI()
    install_web_client(app, REPO / "web", "off")
    version = content_version(REPO / "web")
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
        for path in ("/portal", "/portal/"):
            page = await client.get(path)
            assert page.status_code == 200
            assert f'src="/static/{version}/js/portal.js"' in page.text
            assert "default-src 'self'" in page.headers["content-security-policy"]
            assert "unsafe-inline" not in page.headers["content-security-policy"]
        assert (await client.get(f"/static/{version}/js/portal/tickets.js")).status_code == 200
        staff = await client.get("/portal-users")  # a staff page's path, not the portal
        assert 'js/app.js"' in staff.text
