"""The administration section in the browser: an admin creates a team and a user in it who then signs in, deactivates
a user whose open page goes to the sign-in screen on its next request, gives a partner's service account an API key
that is shown once and works over gRPC until it is revoked; nobody else sees the section; in Russian, its screens
say nothing in English."""

from __future__ import annotations

import datetime
import re
import uuid
from pathlib import Path

import grpc
import pytest
from playwright.async_api import expect

from crm.common.v1 import common_pb2
from crm.contacts.v1 import contacts_pb2, contacts_pb2_grpc
from crm_core.registry import REGISTRY
from crm_gateway.api_keys import SCOPES
from crm_gateway.identity import ROLES

WEB = Path(__file__).resolve().parents[2] / "web"  # the web client's folder (CRM_GATEWAY_WEB_DIR)
# What a page shows a person: visible text nodes (not code: usernames, key prefixes) and the attributes assistive
# technology reads or the phone layout shows (data-label names a table cell there).
PAGE_TEXTS = """() => {
  const texts = [document.title];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const parent = walker.currentNode.parentElement;
    if (!parent || parent.closest('[hidden], script, style, code, pre, textarea')) continue;
    const text = walker.currentNode.textContent.trim();
    if (text) texts.push(text);
  }
  for (const el of document.querySelectorAll('[aria-label], [placeholder], [title], [data-label]'))
    for (const name of ['aria-label', 'placeholder', 'title', 'data-label'])
      if (el.getAttribute(name) && !el.closest('[hidden]')) texts.push(el.getAttribute(name).trim());
  return texts;
}"""
# Two English words in a row with no Russian letter around: a server message or a string that bypassed t() (ids
# such as team-1f2e3d are data, not words).
ENGLISH_RUN = re.compile(r"\b[A-Za-z]{2,}[,.:;!?]?\s+[A-Za-z]{2,}\b")
CYRILLIC = re.compile(r"[А-Яа-яЁё]")
# Each language's own name: the language switcher writes it so on every screen (i18n.js LANGUAGES).
LANGUAGE_NAMES = {"English", "Русский"}


async def _overflow(page) -> int:  # type: ignore[no-untyped-def]
    return await page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


async def _picture(screenshot, page, name: str) -> None:  # type: ignore[no-untyped-def]
    """A screenshot from the top of the page, without the toasts of the steps before."""
    await page.evaluate("() => { document.querySelectorAll('.toast').forEach((t) => t.remove()); scrollTo(0, 0); }")
    await screenshot(page, name)


def _input(scope, label: str):  # type: ignore[no-untyped-def]
    """The input labelled `label` (a required field's label ends with " *")."""
    return scope.get_by_label(re.compile(rf"^{re.escape(label)}( \*)?$"))


def _tag() -> str:
    return uuid.uuid4().hex[:6]


async def test_an_admin_creates_a_team_and_a_user_in_it_who_then_signs_in(
    browser_users, logged_in_page, anonymous_page, wait_ready, screenshot
):
    admin = await browser_users.user(roles=["admin"])
    tag = _tag()
    page = await logged_in_page(admin, "/")
    await page.get_by_role("navigation", name="Sections").get_by_role("link", name="Administration").click()
    await wait_ready(page, "admin-users")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Users")

    # A team: its id is suggested from the name (Russian in Latin letters), the server keeps both.
    await page.get_by_role("navigation", name="Administration").get_by_role("link", name="Teams").click()
    await wait_ready(page, "admin-teams")
    await page.get_by_role("button", name="New team").click()
    await _input(page, "Name").fill(f"Отдел продаж {tag}")
    await expect(_input(page, "Id")).to_have_value(f"otdel-prodazh-{tag}")
    await page.get_by_role("button", name="Create team").click()
    team = f"otdel-prodazh-{tag}"
    await expect(page.locator("tbody tr").first).to_contain_text(f"Отдел продаж {tag}")
    assert {"id": team, "name": f"Отдел продаж {tag}"} in (await admin.api.get("/api/v1/teams")).json()

    # A user in it: the server's objection shows at its field; the roles carry their labels.
    await page.get_by_role("link", name="Users", exact=True).click()
    await wait_ready(page, "admin-users")
    await page.get_by_role("link", name="New user").click()
    await wait_ready(page, "admin-user-new")
    username = f"smirnova-{tag}"
    name = f"Анна Смирнова {tag}"
    await _input(page, "Username").fill(username)
    await _input(page, "Name").fill(name)
    await _input(page, "E-mail").fill(f"{username}@example.ru")
    await _input(page, "Password").fill("short")
    assert [await c.text_content() for c in await page.locator('[data-field="roles"] label').all()] == [
        "Administrator",
        "Manager",
        "Sales",
        "Support",
        "Marketing",
        "Viewer",
        "Catalogue manager",
        "Accountant",
        "E-mail intake (mail server)",
    ]
    await page.get_by_label("Manager", exact=True).check()
    await page.get_by_label("Sales", exact=True).uncheck()
    teams = page.locator('[data-field="team_ids"]')
    if await teams.get_by_role("searchbox").count():
        await teams.get_by_role("searchbox").fill(tag)
    await teams.get_by_label(f"Отдел продаж {tag}").check()
    await page.get_by_role("button", name="Create user").click()
    password_error = page.locator('[data-field="password"] .field-error')
    await expect(password_error).to_contain_text("8 characters")
    await expect(_input(page, "Password")).to_have_attribute("aria-invalid", "true")
    await _input(page, "Password").fill("Смирнова-2026")
    await page.get_by_role("button", name="Create user").click()
    await wait_ready(page, "admin-user")
    await expect(page.get_by_role("heading", level=1)).to_have_text(name)
    await expect(page.locator(".admin-user-summary")).to_contain_text("Active")
    created = next(u for u in (await admin.api.get("/api/v1/users", params={"q": username})).json())
    assert (created["username"], created["roles"], created["team_ids"]) == (username, ["manager"], [team])

    # The list finds them by e-mail; their teams and roles read as names.
    await page.get_by_role("link", name="Users", exact=True).click()
    await wait_ready(page, "admin-users")
    await page.get_by_role("searchbox", name="Find by name, username or e-mail").fill(f"{username}@example")
    rows = page.locator("tbody tr")
    await expect(rows).to_have_count(1)
    await expect(rows.first).to_contain_text(name)
    await expect(rows.first).to_contain_text(f"Отдел продаж {tag}")
    await expect(rows.first).to_contain_text("Manager")
    await expect(page.locator(".list-count")).to_have_text("1 user")
    assert "q=" in page.url
    await page.get_by_label("Kind", exact=True).select_option(label="Service accounts")
    await expect(rows).to_have_text(["Nobody matches."])
    await page.get_by_label("Kind", exact=True).select_option(label="People")
    await expect(rows).to_have_count(1)
    await _picture(screenshot, page, "admin-users")
    phone = await logged_in_page(admin, f"/admin?q={tag}", phone=True)
    await expect(phone.locator("tbody tr")).to_have_count(1)
    assert await _overflow(phone) == 0
    await _picture(screenshot, phone, "admin-users")

    # They sign in with that password.
    login = await anonymous_page("/")
    await wait_ready(login, "login")
    await _input(login, "Username").fill(username)
    await _input(login, "Password").fill("Смирнова-2026")
    await login.get_by_role("button", name="Sign in").click()
    await wait_ready(login, "dashboard")
    await expect(login.locator(".user-name")).to_have_text(name)
    nav = login.get_by_role("navigation", name="Sections")
    await expect(nav.get_by_role("link", name="Tasks")).to_be_visible()
    await expect(nav.get_by_role("link", name="Administration")).to_have_count(0)


async def test_a_deactivated_users_open_page_goes_to_sign_in_on_its_next_request(
    browser_users, logged_in_page, wait_ready
):
    admin = await browser_users.user(roles=["admin"])
    user = await browser_users.user()
    work = await logged_in_page(user, "/parties")

    page = await logged_in_page(admin, f"/admin/users/{user.id}")
    await expect(page.get_by_role("heading", level=1)).to_have_text(user.display_name)
    access = page.locator('[data-section="access"]')
    deactivate = access.get_by_role("button", name="Deactivate")
    # With the keyboard: the dialog opens on Cancel (Enter does no harm), Escape closes it and focus comes back.
    await deactivate.focus()
    await page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog")
    await expect(dialog.get_by_role("heading")).to_have_text(f"Deactivate {user.display_name}?")
    await expect(dialog).to_contain_text("their open sessions end at once")
    await expect(dialog.get_by_role("button", name="Cancel")).to_be_focused()
    await page.keyboard.press("Escape")
    await expect(dialog).to_have_count(0)
    await expect(deactivate).to_be_focused()
    assert (await admin.api.get(f"/api/v1/users/{user.id}")).json()["active"] is True
    await page.keyboard.press("Enter")
    await page.keyboard.press("Shift+Tab")
    await page.keyboard.press("Enter")
    await expect(dialog).to_be_hidden()
    await expect(page.locator(".admin-user-summary")).to_contain_text("Deactivated")
    await expect(access.get_by_role("button", name="Reactivate")).to_be_visible()
    assert (await admin.api.get(f"/api/v1/users/{user.id}")).json()["active"] is False

    # The user's open page: the next thing they do asks the server, which ends the session: the sign-in page.
    await work.get_by_role("navigation", name="Sections").get_by_role("link", name="Deals").click()
    await wait_ready(work, "login")
    assert "expired=1" in work.url
    await expect(work.locator("main")).to_contain_text("session")

    # Reactivated, they sign in again.
    await access.get_by_role("button", name="Reactivate").click()
    await page.get_by_role("dialog").get_by_role("button", name="Reactivate").click()
    await expect(page.locator(".admin-user-summary")).to_contain_text("Active")
    await _input(work, "Username").fill(user.username)
    await _input(work, "Password").fill(user.password)
    await work.get_by_role("button", name="Sign in").click()
    await wait_ready(work, "deals")


async def test_an_admin_cannot_lock_themselves_out_and_keeps_their_session_after_a_new_password(
    browser_users, logged_in_page, wait_ready
):
    admin = await browser_users.user(roles=["admin"])
    page = await logged_in_page(admin, f"/admin/users/{admin.id}")
    await expect(page.locator(".admin-user-summary")).to_contain_text("You")

    # Deactivating oneself: the server refuses, the dialog says why and stays open.
    await page.locator('[data-section="access"]').get_by_role("button", name="Deactivate").click()
    dialog = page.get_by_role("dialog")
    await dialog.get_by_role("button", name="Deactivate").click()
    await expect(dialog.get_by_role("alert")).to_have_text(
        "You cannot deactivate yourself or take away your own admin role."
    )
    await dialog.get_by_role("button", name="Cancel").click()
    await expect(dialog).to_be_hidden()

    # Dropping one's own admin role: the refusal shows next to the roles.
    profile = page.locator('[data-section="profile"]')
    await profile.get_by_label("Administrator", exact=True).uncheck()
    await profile.get_by_role("button", name="Save").click()
    await expect(profile.locator('[data-field="roles"] .field-error')).to_have_text(
        "You cannot deactivate yourself or take away your own admin role."
    )
    assert (await admin.api.get(f"/api/v1/users/{admin.id}")).json()["roles"] == ["admin"]

    # A new password of one's own: this session stays (the next page loads, no sign-in).
    password = page.locator('[data-section="password"]')
    await expect(password).to_contain_text("this one stays")
    await _input(password, "New password").fill("новый-пароль-2026")
    await password.get_by_role("button", name="Set password").click()
    await expect(page.locator(".toast", has_text="you stay signed in here")).to_be_visible()
    await expect(_input(password, "New password")).to_have_value("")
    await page.get_by_role("navigation", name="Sections").get_by_role("link", name="Tasks").click()
    await wait_ready(page, "tasks")
    await page.get_by_role("navigation", name="Sections").get_by_role("link", name="Administration").click()
    await wait_ready(page, "admin-users")


async def test_a_non_admin_neither_sees_the_administration_nor_opens_its_pages(
    browser_users, logged_in_page, wait_ready
):
    user = await browser_users.user(roles=["manager"])
    page = await logged_in_page(user, "/")
    await expect(page.locator(".user-name")).to_have_text(user.display_name)  # /me has answered: the nav is final
    nav = page.get_by_role("navigation", name="Sections")
    await expect(nav.get_by_role("link", name="Tasks")).to_be_visible()
    await expect(nav.get_by_role("link", name="Administration")).to_have_count(0)
    for path, name in [
        ("/admin", "admin-users"),
        ("/admin/users/new", "admin-user-new"),
        (f"/admin/users/{user.id}", "admin-user"),
        ("/admin/teams", "admin-teams"),
        ("/admin/pipelines", "admin-pipelines"),
        ("/admin/partners", "admin-partners"),
        (f"/admin/partners/{user.id}", "admin-partner"),
    ]:
        await page.goto(path)
        await wait_ready(page, name)
        await expect(page.get_by_role("heading", level=1)).to_have_text("Not found")
        await expect(page.locator("main form, main table")).to_have_count(0)
    assert (await user.api.get("/api/v1/service-accounts")).status_code == 403


def _list_parties(port: int, key: str):  # type: ignore[no-untyped-def]
    """A partner's call to the contacts service with the key (a coroutine giving the answer or raising)."""

    async def call() -> contacts_pb2.ListPartiesResponse:
        async with grpc.aio.insecure_channel(f"127.0.0.1:{port}") as channel:
            request = contacts_pb2.ListPartiesRequest(
                filters=[common_pb2.Filter(field="kind", op="eq", value="company")]
            )
            stub = contacts_pb2_grpc.ContactsServiceStub(channel)
            return await stub.ListParties(request, metadata=(("x-api-key", key),), timeout=5)

    return call()


async def test_an_admin_gives_a_partner_a_key_that_is_shown_once_works_and_is_revoked(
    browser_users, logged_in_page, wait_ready, screenshot, platform
):
    admin = await browser_users.user(roles=["admin"])
    tag = _tag()
    page = await logged_in_page(admin, "/admin/partners")
    await expect(page.locator("main")).to_contain_text("It cannot sign in")
    await page.get_by_role("button", name="New service account").click()
    await _input(page, "Name").fill(f"1С:Бухгалтерия {tag}")
    await expect(_input(page, "Username")).to_have_value(f"1s-bukhgalteriia-{tag}")
    await page.get_by_label("Sales", exact=True).check()
    await page.get_by_role("button", name="Create service account").click()
    await wait_ready(page, "admin-partner")
    await expect(page.get_by_role("heading", level=1)).to_have_text(f"1С:Бухгалтерия {tag}")
    keys = page.locator('[data-section="keys"]')
    await expect(keys.locator("tbody tr")).to_have_text(["No keys yet: create one for the partner’s program."])
    help_text = page.locator('[data-section="help"]')
    await expect(help_text).to_contain_text("x-api-key")
    for service in ("contacts", "deals", "tasks"):
        await expect(help_text).to_contain_text(f"gRPC port {REGISTRY[service].grpc_port}")

    # The dialog: a checkbox per service and access (every scope the server knows), nothing chosen at first.
    await page.get_by_role("button", name="New key").click()
    dialog = page.get_by_role("dialog")
    boxes = dialog.locator('[data-field="scopes"] input[type="checkbox"]')
    assert [await box.get_attribute("value") for box in await boxes.all()] == list(SCOPES)
    await dialog.get_by_role("button", name="Create key").click()
    await expect(dialog.locator('[data-field="name"] .field-error')).not_to_be_empty()
    await expect(dialog.locator('[data-field="scopes"] .field-error')).not_to_be_empty()
    await _input(dialog, "Name").fill("Обмен с 1С")
    await dialog.get_by_label("Clients: read", exact=True).check()
    await dialog.get_by_label("Clients: write", exact=True).check()
    until = datetime.date.today() + datetime.timedelta(days=30)
    await dialog.get_by_label("Valid until (optional)").fill(until.isoformat())
    await dialog.get_by_role("button", name="Create key").click()

    # Shown once, with a warning and a copy button.
    shown = page.get_by_role("dialog")
    await expect(shown.get_by_role("heading")).to_have_text("Key “Обмен с 1С” created")
    await expect(shown).to_contain_text("it is shown only this once")
    await expect(shown.get_by_role("button", name="Done, the key is saved")).to_be_focused()
    key = await shown.get_by_label("API key").input_value()
    assert key.startswith("crm_") and len(key) > 40
    await page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    await shown.get_by_role("button", name="Copy").click()
    await expect(shown.get_by_role("status")).to_have_text("Copied to the clipboard.")
    assert await page.evaluate("navigator.clipboard.readText()") == key
    await shown.get_by_role("button", name="Done, the key is saved").click()
    await expect(page.get_by_role("dialog")).to_have_count(0)

    # The list: only its prefix; the key works over gRPC as the service account.
    row = keys.locator("tbody tr", has_text="Обмен с 1С")
    await expect(row.locator(".admin-key-prefix")).to_have_text(f"{key[:12]}…")
    await expect(row).to_contain_text("Clients: read")
    await expect(row).to_contain_text("Clients: write")
    await expect(row).to_contain_text("Not used yet")
    await expect(row).to_contain_text("Active")
    assert key not in await page.content()
    listed = [k for k in (await admin.api.get("/api/v1/api-keys")).json() if k["name"] == "Обмен с 1С"]
    stored = next(k for k in listed if k["prefix"] == key[:12])
    assert stored["scopes"] == ["contacts:read", "contacts:write"]
    assert datetime.datetime.fromisoformat(stored["expires_at"]).date() in (until, until + datetime.timedelta(days=1))
    port = platform.config.grpc_ports["contacts"]
    await _list_parties(port, key)
    await _picture(screenshot, page, "admin-keys")

    # Revoked after a confirmation: it shows as revoked and the partner is refused at once.
    await row.get_by_role("button", name="Revoke: Обмен с 1С").click()
    confirm = page.get_by_role("dialog")
    await expect(confirm).to_contain_text(f"The key {key[:12]}… stops working at once")
    await confirm.get_by_role("button", name="Revoke").click()
    await expect(confirm).to_be_hidden()
    await expect(row).to_contain_text("Revoked")
    await expect(row.get_by_role("button", name="Revoke: Обмен с 1С")).to_have_count(0)
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await _list_parties(port, key)
    assert refused.value.code() == grpc.StatusCode.UNAUTHENTICATED

    phone = await logged_in_page(admin, page.url.removeprefix(platform.config.gateway_url), phone=True)
    await expect(phone.locator('[data-section="keys"] tbody tr')).to_have_count(1)
    assert await _overflow(phone) == 0
    await _picture(screenshot, phone, "admin-keys")


def _english_templates(dictionaries) -> list[re.Pattern]:  # type: ignore[no-untyped-def]
    """Every English text of the client that Russian says differently, as a pattern ({name} matches anything)."""
    en, ru = dictionaries["en"], dictionaries["ru"]
    patterns = []
    for key, value in en.items():
        if value == ru[key] or (isinstance(value, str) and value in LANGUAGE_NAMES):
            continue
        for text in value.values() if isinstance(value, dict) else [value]:
            literal = re.sub(r"\{\w+\}", " ", text)
            if not re.search(r"[A-Za-z]{3,}", literal):
                continue  # "{service}: {access}" says nothing in any language
            parts = re.split(r"\{\w+\}", text)
            patterns.append(re.compile(".+?".join(re.escape(part) for part in parts), re.S))
    return patterns


async def test_the_russian_administration_screens_have_no_english_text_and_every_control_a_name(
    browser_users, logged_in_page, wait_ready, dictionaries, unlabelled
):
    admin = await browser_users.user(roles=["admin"])
    tag = _tag()
    team = f"sklad-{tag}"
    assert (await admin.api.post("/api/v1/teams", json={"id": team, "name": f"Склад {tag}"})).status_code == 201
    person = await browser_users.user(team=team)
    renamed = await admin.api.patch(f"/api/v1/users/{person.id}", json={"display_name": f"Пётр Сидоров {tag}"})
    assert renamed.status_code == 200, renamed.text
    account = (
        await admin.api.post(
            "/api/v1/service-accounts",
            json={"username": f"site-{tag}", "display_name": f"Сайт {tag}", "roles": ["sales"], "team_ids": [team]},
        )
    ).json()
    for name in ("Заявки с сайта", "Старый ключ"):
        created = await admin.api.post(
            f"/api/v1/service-accounts/{account['id']}/api-keys", json={"name": name, "scopes": ["contacts:write"]}
        )
        assert created.status_code == 201, created.text
    assert (await admin.api.delete(f"/api/v1/api-keys/{created.json()['id']}")).status_code == 204

    templates = _english_templates(dictionaries)
    page = await logged_in_page(admin, "/admin")
    await page.get_by_label("Language", exact=True).select_option("ru")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Пользователи")
    seen = []

    async def check(where: str) -> None:
        texts = await page.evaluate(PAGE_TEXTS)
        english = [
            text
            for text in texts
            if any(p.fullmatch(text) for p in templates) or (ENGLISH_RUN.search(text) and not CYRILLIC.search(text))
        ]
        assert english == [], where
        assert await unlabelled(page) == [], where
        seen.append(where)

    await page.get_by_role("searchbox", name="Поиск по имени, имени пользователя или почте").fill(tag)
    await expect(page.locator("tbody tr")).to_have_count(2)  # the person and the service account
    await check("users")

    await page.goto("/admin/users/new")
    await wait_ready(page, "admin-user-new")
    await _input(page, "Имя пользователя").fill(person.username)
    await _input(page, "Имя").fill("Пётр Иванов")
    await _input(page, "Пароль").fill("пароль-надёжный")
    await page.get_by_role("button", name="Создать пользователя").click()
    await expect(page.locator('[data-field="username"] .field-error')).to_have_text("Это имя пользователя уже занято.")
    await _input(page, "Пароль").fill("коротко")
    await page.get_by_role("button", name="Создать пользователя").click()
    await expect(page.locator('[data-field="password"] .field-error')).to_have_text("Не короче 8 символов.")
    await check("new user with errors")

    await page.goto(f"/admin/users/{person.id}")
    await wait_ready(page, "admin-user")
    await check("user")
    await page.get_by_role("button", name="Отключить").click()
    await expect(page.get_by_role("dialog")).to_contain_text("открытые сеансы завершатся сразу")
    await check("deactivate dialog")
    await page.get_by_role("dialog").get_by_role("button", name="Отмена").click()

    await page.goto("/admin/teams")
    await wait_ready(page, "admin-teams")
    await page.get_by_role("button", name="Новая команда").click()
    await check("teams")

    await page.goto("/admin/partners")
    await wait_ready(page, "admin-partners")
    await page.get_by_role("button", name="Новая сервисная учётная запись").click()
    await check("partners")

    await page.goto(f"/admin/partners/{account['id']}")
    await wait_ready(page, "admin-partner")
    await expect(page.locator('[data-section="keys"] tbody tr')).to_have_count(2)
    await expect(page.locator('[data-section="keys"]')).to_contain_text("Клиенты: запись")
    await check("partner")
    await page.get_by_role("button", name="Новый ключ").click()
    await page.get_by_role("dialog").get_by_role("button", name="Создать ключ").click()
    await expect(page.get_by_role("dialog").locator('[data-field="scopes"] .field-error')).to_have_text(
        "Выберите хотя бы одно значение."
    )
    await check("new key dialog with errors")
    await page.get_by_role("dialog").get_by_role("button", name="Отмена").click()
    await page.get_by_role("button", name="Отозвать: Заявки с сайта").click()
    await expect(page.get_by_role("dialog")).to_contain_text("сразу перестанет работать")
    await check("revoke dialog")
    assert len(seen) == 9


def test_the_clients_roles_are_the_servers():
    """The admin screens list roles as a constant: it must be the server's (key scopes and the services' gRPC
    ports come from the registry in index.html: test_serving.py and the partner test above check them)."""
    common = (WEB / "js" / "admin" / "lazy" / "common.js").read_text(encoding="utf-8")
    roles = re.search(r"export const ROLES = \[([^\]]*)\]", common).group(1)
    assert re.findall(r"'(\w+)'", roles) == list(ROLES)
