"""How the gateway serves the client, and that its translations are complete (no browser needed)."""

import html
import json
import re
from pathlib import Path

import pytest

from crm_core.registry import REGISTRY

WEB = Path(__file__).resolve().parents[2] / "web"  # the web client's folder (CRM_GATEWAY_WEB_DIR)


async def test_client_pages_are_index_html_and_the_api_keeps_its_404s(anonymous):
    for path in ("/", "/parties/some-id", "/login?next=%2F"):
        page = await anonymous.get(path)
        assert page.status_code == 200
        assert page.headers["content-type"].startswith("text/html")
        assert page.headers["cache-control"] == "no-cache"
        assert "default-src 'self'" in page.headers["content-security-policy"]
    for method in ("GET", "POST"):
        missing = await anonymous.request(method, "/api/v1/no-such-thing")
        assert missing.status_code == 404
        assert missing.headers["content-type"] == "application/problem+json"


async def test_static_files_are_versioned_gzipped_and_cached_forever(anonymous):
    index = (await anonymous.get("/")).text
    static = re.search(r'src="(/static/[0-9a-f]{12})/js/app.js"', index).group(1)
    modules = re.findall(r'rel="modulepreload" href="([^"]+)"', index)
    # Every module the first page needs is preloaded (one round trip): the sources' modules outside lazy/, or the
    # chunk the build's entry imports (web/dist, docs/web-client.md); a lazy screen's modules never are.
    assert modules and all(m.startswith(f"{static}/js/") and "/lazy/" not in m for m in modules), modules
    for module in modules:
        assert (await anonymous.get(module)).status_code == 200, module
    script = await anonymous.get(f"{static}/js/app.js", headers={"Accept-Encoding": "gzip"})
    assert script.status_code == 200
    assert script.headers["content-type"].startswith("text/javascript")
    assert script.headers["cache-control"] == "public, max-age=31536000, immutable"
    stylesheet = re.findall(r'rel="stylesheet" href="([^"]+)"', index)[0]
    styles = await anonymous.get(stylesheet, headers={"Accept-Encoding": "gzip"})
    assert styles.headers["content-encoding"] == "gzip"
    stale = await anonymous.get("/static/000000000000/js/app.js")
    assert stale.status_code == 404  # never an old or newer file under this name
    assert "immutable" not in stale.headers.get("cache-control", "")


async def test_index_html_carries_the_service_registry(anonymous):
    """The client's sections and the admin screens' gRPC ports come from the registry, not from constants."""
    index = (await anonymous.get("/")).text
    services = json.loads(html.unescape(re.search(r'<meta name="crm-services" content="([^"]*)">', index).group(1)))
    assert services == [
        {"name": e.name, "title_en": e.title_en, "title_ru": e.title_ru, "grpc_port": e.grpc_port}
        for e in REGISTRY.values()
    ]
    assert not re.search(r"\b50\d\d\d\b", (WEB / "js" / "admin" / "lazy" / "common.js").read_text(encoding="utf-8"))


def test_dictionaries_have_the_same_keys_and_plural_forms(dictionaries):
    en, ru = dictionaries["en"], dictionaries["ru"]
    # Both translate every error code (apierror.<code>): the client shows its own words, the server's as a fallback.
    assert set(en) == set(ru)
    for key, value in en.items():
        assert isinstance(value, str | dict), key
        assert isinstance(ru[key], type(value)), key
    assert {"one", "few", "many", "other"} <= set(ru["list.found"])


@pytest.mark.parametrize("language", ["en", "ru"])
def test_every_literal_translation_key_in_the_code_exists(language, dictionaries):
    dictionary = dictionaries[language]
    used = set()
    for script in (WEB / "js").rglob("*.js"):
        used |= set(re.findall(r"\bt\('([a-z_]+(?:\.[a-z_]+)+)'", script.read_text(encoding="utf-8")))
    assert used, "no t('...') calls found: the pattern is stale"
    assert sorted(used - set(dictionary)) == []
