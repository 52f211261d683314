"""Realistic Russian parties for tests, imports and benchmarks: deterministic, a million in minutes.

Each party is the JSON body POST /api/v1/parties takes (the crm.contacts.v1.Party message as
json_format gives it), so the same rows can go through the REST API, CreateParty or
BulkCreateParties. Registration ids carry valid check digits (INN 10/12 digits, OGRN 13,
OGRNIP 15, KPP from the INN's tax office), phones are typed the many ways Russians write them,
people's patronymics agree with their gender.

Faker draws every field through several provider calls; a million parties would take tens of
minutes. Here name parts are small fixed pools combined by one `random.Random(seed)`, so the
same seed gives the same rows on every machine and a party costs a few microseconds.

    gen = PartyGenerator(seed=7, owners=[("u1", "t1"), ("u2", "t2")])
    rows = gen.parties(1000)           # companies and people, mixed
    gen.company(), gen.person()        # one of a kind
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from typing import Any

# fmt: off
# Company names: a root word, sometimes with a prefix or a suffix ("Торговый дом Север", "СтройМонтаж").
_ROOTS = (
    "Север", "Юг", "Восток", "Запад", "Альфа", "Бета", "Вега", "Гранит", "Дельта", "Орион", "Сигма", "Титан",
    "Меридиан", "Горизонт", "Рассвет", "Заря", "Ладога", "Волга", "Кама", "Урал", "Сибирь", "Байкал", "Алтай",
    "Ромашка", "Берёзка", "Прогресс", "Импульс", "Вектор", "Квант", "Атлант", "Феникс", "Магистраль", "Светоч",
    "Нева", "Фортуна", "Эталон", "Олимп", "Стандарт", "Капитал", "Партнёр", "Континент", "Радуга", "Исток",
)
_STEMS = (
    "Строй", "Тех", "Пром", "Агро", "Энерго", "Мед", "Транс", "Инвест", "Софт", "Нефте", "Газ", "Лес", "Хим",
    "Металл", "Электро", "Авто", "Теле", "Био", "Эко", "Гео", "Нано", "Фарм", "Торг", "Снаб", "Проект",
)
_ENDINGS = (
    "Монтаж", "Сервис", "Снаб", "Торг", "Комплект", "Ресурс", "Систем", "Групп", "Маркет", "Логистик",
    "Инжиниринг", "Холдинг", "Трейд", "Пром", "Лайн", "Стиль", "Мастер", "Профи", "Центр", "Сбыт",
)
_PREFIXES = (
    "Торговый дом", "Группа компаний", "Производственная компания", "Научно-производственное объединение",
    "Завод", "Фабрика", "Агентство", "Бюро", "Студия", "Компания",
)
_SUFFIXES = ("-Сервис", "-Трейд", "-М", "-Плюс", "-Групп", "-Холдинг", "-Инвест", "-Логистик")

# Legal forms by share of Russian registrations: (short, full, weight).
_FORMS = (
    ("ООО", "Общество с ограниченной ответственностью", 70),
    ("АО", "Акционерное общество", 8),
    ("ПАО", "Публичное акционерное общество", 2),
    ("ИП", "Индивидуальный предприниматель", 20),
)

_MALE_FIRST = (
    "Александр", "Алексей", "Андрей", "Антон", "Артём", "Борис", "Вадим", "Василий", "Виктор", "Владимир",
    "Дмитрий", "Евгений", "Егор", "Иван", "Игорь", "Кирилл", "Константин", "Максим", "Михаил", "Никита",
    "Николай", "Олег", "Павел", "Роман", "Сергей", "Степан", "Юрий", "Ярослав",
)
_FEMALE_FIRST = (
    "Александра", "Алина", "Анастасия", "Анна", "Валентина", "Валерия", "Вера", "Виктория", "Галина", "Дарья",
    "Екатерина", "Елена", "Ирина", "Ксения", "Людмила", "Марина", "Мария", "Наталья", "Ольга", "Полина",
    "Светлана", "Софья", "Татьяна", "Юлия",
)
# Patronymic stems: + "ич" for a man, + "на" for a woman ("Иванович", "Ивановна").
_FATHERS = (
    "Александров", "Алексеев", "Андреев", "Борисов", "Васильев", "Викторов", "Владимиров", "Дмитриев",
    "Евгеньев", "Иванов", "Игорев", "Константинов", "Максимов", "Михайлов", "Николаев", "Олегов", "Павлов",
    "Петров", "Романов", "Сергеев", "Степанов", "Юрьев", "Фёдоров", "Анатольев", "Геннадьев",
)
# Surnames in their male form; the female form adds "а" (-ов/-ев/-ин) or turns -ский into -ская.
_SURNAMES = (
    "Иванов", "Смирнов", "Кузнецов", "Попов", "Васильев", "Петров", "Соколов", "Михайлов", "Новиков", "Фёдоров",
    "Морозов", "Волков", "Алексеев", "Лебедев", "Семёнов", "Егоров", "Павлов", "Козлов", "Степанов", "Николаев",
    "Орлов", "Андреев", "Макаров", "Никитин", "Захаров", "Зайцев", "Соловьёв", "Борисов", "Яковлев", "Григорьев",
    "Романов", "Воробьёв", "Сергеев", "Кузьмин", "Фролов", "Александров", "Дмитриев", "Королёв", "Гусев",
    "Киселёв", "Ильин", "Максимов", "Поляков", "Сорокин", "Виноградов", "Ковалёв", "Белов", "Медведев",
    "Антонов", "Тарасов", "Жуков", "Баранов", "Филиппов", "Комаров", "Давыдов", "Беляев", "Герасимов",
    "Богданов", "Осипов", "Сидоров", "Матвеев", "Титов", "Марков", "Миронов", "Крылов", "Куликов", "Карпов",
    "Власов", "Мельников", "Денисов", "Гаврилов", "Тихонов", "Казаков", "Афанасьев", "Данилов", "Савельев",
    "Тимофеев", "Высоцкий", "Покровский", "Вишневский", "Ковальский", "Островский", "Смоленский",
)
_POSITIONS = (
    "Генеральный директор", "Директор", "Коммерческий директор", "Финансовый директор", "Главный бухгалтер",
    "Бухгалтер", "Менеджер по закупкам", "Начальник отдела снабжения", "Руководитель отдела продаж",
    "Менеджер по продажам", "Юрист", "Главный инженер", "Технический директор", "Специалист по закупкам",
    "Офис-менеджер", "Заместитель директора", "Логист", "IT-директор", "Руководитель проекта",
)
_INDUSTRIES = (
    "Строительство", "Оптовая торговля", "Розничная торговля", "Производство", "Логистика", "ИТ",
    "Сельское хозяйство", "Энергетика", "Медицина", "Образование", "Финансы", "Общепит",
)
_SIZES = ("1-10", "11-50", "51-250", "251-1000", "1000+")
_TAGS = (
    "опт", "розница", "vip", "новый", "тендер", "дилер", "постоянный", "холодный", "партнёр", "госзаказ",
    "импорт", "регион", "выставка", "сайт", "рекомендация",
)

# Cities: region code (first two digits of INN, KPP, OGRN) and landline area codes.
_CITIES = (
    ("Москва", "77", ("495", "499")), ("Санкт-Петербург", "78", ("812",)), ("Новосибирск", "54", ("383",)),
    ("Екатеринбург", "66", ("343",)), ("Казань", "16", ("843",)), ("Нижний Новгород", "52", ("831",)),
    ("Самара", "63", ("846",)), ("Ростов-на-Дону", "61", ("863",)), ("Краснодар", "23", ("861",)),
    ("Воронеж", "36", ("473",)), ("Пермь", "59", ("342",)), ("Уфа", "02", ("347",)),
    ("Красноярск", "24", ("391",)), ("Челябинск", "74", ("351",)), ("Омск", "55", ("381",)),
    ("Тюмень", "72", ("345",)), ("Иркутск", "38", ("395",)), ("Ярославль", "76", ("485",)),
)
# Streets named after someone or something take any kind of street; "Садовая" is an "ул." only.
_NAMED_STREETS = ("Ленина", "Мира", "Гагарина", "Пушкина", "Кирова", "Победы", "Космонавтов")
_STREETS = ("Советская", "Садовая", "Лесная", "Школьная", "Центральная", "Молодёжная", "Заводская", "Октябрьская")
_STREET_KINDS = ("ул.", "пр-т", "пер.", "б-р")
_MOBILE_CODES = (
    "900", "903", "905", "909", "910", "912", "915", "916", "917", "919", "921", "925", "926", "929", "950",
    "952", "960", "977", "985", "987", "999",
)
_MAIL_DOMAINS = ("mail.ru", "yandex.ru", "gmail.com", "bk.ru", "inbox.ru", "list.ru", "rambler.ru")
_TRANSLIT = dict(zip(
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
    ("a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p", "r", "s", "t", "u",
     "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya"),
    strict=True,
))
# fmt: on

_INN10 = (2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN11 = (7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN12 = (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)


def _check(digits: str, weights: Sequence[int]) -> str:
    return str(sum(int(d) * w for d, w in zip(digits, weights, strict=False)) % 11 % 10)


def company_inn(body: str) -> str:
    """A 10-digit organisation INN from its first 9 digits (region, tax office, number)."""
    return body + _check(body, _INN10)


def person_inn(body: str) -> str:
    """A 12-digit individual INN from its first 10 digits."""
    with_11 = body + _check(body, _INN11)
    return with_11 + _check(with_11, _INN12)


def ogrn(body: str) -> str:
    """A 13-digit ОГРН from its first 12 digits (the remainder by 11, its last digit)."""
    return body + str(int(body) % 11 % 10)


def ogrnip(body: str) -> str:
    """A 15-digit ОГРНИП from its first 14 digits (the remainder by 13, its last digit)."""
    return body + str(int(body) % 13 % 10)


def translit(text: str) -> str:
    """Latin letters for a Russian word, as people spell them in e-mail addresses."""
    return "".join(_TRANSLIT.get(c, c) for c in text.lower() if c.isalnum() or c == "-")


def female_surname(surname: str) -> str:
    """The female form of a male surname (Иванов -> Иванова, Высоцкий -> Высоцкая)."""
    if surname.endswith("ий"):
        return surname[:-2] + "ая"
    if surname.endswith(("ов", "ев", "ёв", "ин")):
        return surname + "а"
    return surname


class PartyGenerator:
    """Draws parties from one `random.Random(seed)`; `owners` are the (owner_id, team_id) pairs to spread them over.

    An owner without a team is ("user-id", ""). With no owners the bodies name none and the creating
    caller owns them. Registration ids come from a counter, so within one generator they never repeat
    (a generated duplicate is a test's choice, not an accident).
    """

    def __init__(self, seed: int = 0, owners: Sequence[tuple[str, str]] = ()) -> None:
        self.random = random.Random(seed)
        self.owners = list(owners)
        self._serial = self.random.randrange(10**6)
        self._forms = [form for form in _FORMS for _ in range(form[2])]

    def _next(self, digits: int) -> str:
        """A number of `digits` digits unique within this generator (a counter, spread by a stride)."""
        self._serial += 1
        return str(self._serial * 7919 % 10**digits).zfill(digits)

    def _city(self) -> tuple[str, str, tuple[str, ...]]:
        return self.random.choice(_CITIES)

    def company_name(self) -> str:
        """A trading name: «Север», «СтройМонтаж», «Альфа-Сервис», «Торговый дом Север»."""
        r = self.random
        shape = r.random()
        if shape < 0.35:
            return r.choice(_STEMS) + r.choice(_ENDINGS)
        if shape < 0.6:
            return r.choice(_ROOTS) + r.choice(_SUFFIXES)
        if shape < 0.8:
            return f"{r.choice(_PREFIXES)} {r.choice(_ROOTS)}"
        return r.choice(_ROOTS)

    def full_name(self) -> tuple[str, str, str, str]:
        """(last, first, middle, gender) with the surname and patronymic agreeing with the gender."""
        r = self.random
        surname, father = r.choice(_SURNAMES), r.choice(_FATHERS)
        if r.random() < 0.5:
            return surname, r.choice(_MALE_FIRST), father + "ич", "male"
        return female_surname(surname), r.choice(_FEMALE_FIRST), father + "на", "female"

    def address(self, city: str, region: str) -> str:
        r = self.random
        index = f"{region}{r.randrange(10000):04d}"[:6]
        house = f"д. {r.randint(1, 150)}" + (f", корп. {r.randint(1, 5)}" if r.random() < 0.2 else "")
        office = f", оф. {r.randint(1, 900)}" if r.random() < 0.6 else ""
        street = (
            f"{r.choice(_STREET_KINDS)} {r.choice(_NAMED_STREETS)}" if r.random() < 0.5 else f"ул. {r.choice(_STREETS)}"
        )
        prefix = "" if city in ("Москва", "Санкт-Петербург") else "г. "
        return f"{index}, {prefix}{city}, {street}, {house}{office}"

    def phone(self, area: str | None = None) -> str:
        """A Russian number typed one of the common ways, a landline sometimes with an extension."""
        r = self.random
        code = area or r.choice(_MOBILE_CODES)
        n = f"{r.randrange(10**7):07d}"
        a, b, c = n[:3], n[3:5], n[5:]
        typed = r.choice(
            (
                f"+7 {code} {a}-{b}-{c}",
                f"8 ({code}) {a} {b} {c}",
                f"8{code}{n}",
                f"7-{code}-{a}-{b}-{c}",
                f"+7 ({code}) {a}-{b}-{c}",
                f"+7{code}{n}",
                f"8-{code}-{a}-{b}{c}",
                f"8 {code} {n}",
            )
        )
        if area and r.random() < 0.3:
            typed += r.choice((" доб. ", " (доб. ", " ext. ")) + str(r.randint(100, 999))
            typed += ")" if "(доб" in typed else ""
        return typed

    def _owner(self) -> dict[str, Any]:
        if not self.owners:
            return {}
        owner_id, team_id = self.random.choice(self.owners)
        return {"owner_id": owner_id, **({"team_id": team_id} if team_id else {})}

    def _tags(self) -> list[str]:
        return self.random.sample(_TAGS, self.random.choice((0, 1, 1, 2, 3)))

    def company(self) -> dict[str, Any]:
        """A company (ООО, АО, ПАО) or a sole trader (ИП, kind "company" with a 12-digit INN and ОГРНИП)."""
        r = self.random
        short_form, full_form, _ = r.choice(self._forms)
        city, region, areas = self._city()
        registered = f"{r.randint(2, 24):02d}"
        if short_form == "ИП":
            last, first, middle, _gender = self.full_name()
            person = f"{last} {first} {middle}"
            details = {
                "legal_name": f"{full_form} {person}",
                "short_name": f"ИП {last} {first[0]}.{middle[0]}.",
                "inn": person_inn(region + self._next(8)),
                "ogrn": ogrnip("3" + registered + region + self._next(9)),
            }
            domain = translit(last)
        else:
            name = self.company_name()
            # Tax office and number from the counter: unique for ten million companies of a region.
            inn = company_inn(region + self._next(7))
            details = {
                "legal_name": f"{full_form} «{name}»",
                "short_name": f"{short_form} «{name}»",
                "inn": inn,
                "kpp": inn[:4] + r.choice(("01", "01", "01", "43", "45")) + "001",
                "ogrn": ogrn(r.choice("15") + registered + region + self._next(7)),
                "size": r.choice(_SIZES),
            }
            domain = translit(name.replace(" ", "-"))
        details["legal_address"] = self.address(city, region)
        details["industry"] = r.choice(_INDUSTRIES)
        site = f"{domain}-{self._next(6)}.ru"
        if short_form != "ИП":
            details["website"] = f"https://{site}"
        body: dict[str, Any] = {
            "kind": "company",
            "company": details,
            "phones": [{"kind": "work", "value": self.phone(r.choice(areas))}],
            "emails": [{"kind": "work", "value": f"{r.choice(('info', 'office', 'sales', 'zakaz'))}@{site}"}],
            "tags": self._tags(),
            **self._owner(),
        }
        if r.random() < 0.4:
            body["phones"].append({"kind": "mobile", "value": self.phone()})
        return body

    def person(self) -> dict[str, Any]:
        """A contact person: full name, position, a mobile (and maybe a work) phone, an e-mail."""
        r = self.random
        last, first, middle, _gender = self.full_name()
        login = (
            f"{translit(first)[0]}.{translit(last)}{self._next(6)}"
            if r.random() < 0.5
            else f"{translit(last)}.{translit(first)}.{self._next(6)}"
        )
        body: dict[str, Any] = {
            "kind": "person",
            "person": {"last_name": last, "first_name": first, "middle_name": middle, "position": r.choice(_POSITIONS)},
            "phones": [{"kind": "mobile", "value": self.phone()}],
            "emails": [{"kind": "work", "value": f"{login}@{r.choice(_MAIL_DOMAINS)}"}],
            "tags": self._tags(),
            **self._owner(),
        }
        if r.random() < 0.3:
            body["phones"].append({"kind": "work", "value": self.phone(r.choice(self._city()[2]))})
        return body

    def parties(self, count: int, companies: float = 0.6) -> list[dict[str, Any]]:
        """`count` parties, about `companies` of them companies (sole traders included)."""
        return list(self.iter_parties(count, companies))

    def iter_parties(self, count: int, companies: float = 0.6) -> Iterator[dict[str, Any]]:
        """As `parties`, one at a time (a million bodies need not sit in memory at once)."""
        for _ in range(count):
            yield self.company() if self.random.random() < companies else self.person()
