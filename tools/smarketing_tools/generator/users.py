"""Salesforce users: sales teams and their managers, marketing, RevOps and the HubSpot
integration user, with one rep who leaves during the history and their replacement."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from smarketing_tools.generator import clock, rules
from smarketing_tools.generator.ids import IdSequence, salesforce_id
from smarketing_tools.generator.population import ascii_fold
from smarketing_tools.generator.reference import FIRST_NAMES_FEMALE, FIRST_NAMES_MALE, LAST_NAMES
from smarketing_tools.generator.scales import STREAM_USERS, Scale


@dataclass
class User:
    index: int
    id: str
    first: str
    last: str
    title: str
    department: str
    team: str
    region: str
    role: str
    profile: str
    manager: int
    created: int
    left_at: int | None = None

    @property
    def name(self) -> str:
        return f"{self.first} {self.last}"

    @property
    def username(self) -> str:
        local = ascii_fold(f"{self.first}.{self.last}").lower().replace(" ", "").replace("'", "")
        return f"{local}@{rules.COMPANY_DOMAIN}"

    @property
    def is_sales(self) -> bool:
        return self.department == rules.SALES_DEPARTMENT

    def active(self, t: int) -> bool:
        return self.created <= t and (self.left_at is None or t < self.left_at)


PROFILES = {
    "sales": salesforce_id("00e", 11),
    "marketing": salesforce_id("00e", 12),
    "admin": salesforce_id("00e", 13),
    "integration": salesforce_id("00e", 14),
}


@dataclass
class Staff:
    users: list[User]
    teams: dict[str, list[int]]
    integration: int
    revops: int
    marketing: int

    def active_in(self, team: str, t: int) -> list[int]:
        return [u for u in self.teams[team] if self.users[u].active(t)]


def build_staff(scale: Scale, seed: int, window: clock.Window) -> Staff:
    rnd = random.Random(seed * 1_000 + STREAM_USERS)
    ids = IdSequence("User")
    users: list[User] = []
    used: set[str] = set()
    roles: dict[str, str] = {}

    def role_id(name: str) -> str:
        if name not in roles:
            roles[name] = salesforce_id("00E", 100 + len(roles))
        return roles[name]

    def person() -> tuple[str, str, bool]:
        while True:
            female = rnd.random() < 0.5
            first = rnd.choice(FIRST_NAMES_FEMALE if female else FIRST_NAMES_MALE)
            last = rnd.choice(LAST_NAMES)
            if f"{first} {last}" not in used:
                used.add(f"{first} {last}")
                return first, last, female

    def add(
        title: tuple[str, str],
        department: str,
        team: str,
        region: str,
        role: str,
        profile: str,
        manager: int,
        created: int | None = None,
    ) -> int:
        first, last, female = person()
        if created is None:
            start = date(2019, 1, 1).toordinal()
            day = date.fromordinal(rnd.randint(start, window.first_day.toordinal() - 60))
            created = clock.from_date(day, 9, rnd.randint(0, 59))
        users.append(
            User(
                len(users),
                ids(),
                first,
                last,
                title[1] if female else title[0],
                department,
                team,
                region,
                role_id(role),
                PROFILES[profile],
                manager,
                created,
            )
        )
        return len(users) - 1

    sales = rules.SALES_DEPARTMENT
    director = add(
        ("Directeur commercial", "Directrice commerciale"),
        sales,
        "",
        "National",
        "Direction commerciale",
        "sales",
        -1,
    )
    revops = add(
        ("Responsable RevOps", "Responsable RevOps"),
        "Revenue Operations",
        "",
        "National",
        "RevOps",
        "admin",
        -1,
    )
    marketing = add(
        ("Directeur marketing", "Directrice marketing"),
        "Marketing",
        "Marketing",
        "National",
        "Marketing",
        "marketing",
        -1,
    )
    add(
        ("Chargé de marketing digital", "Chargée de marketing digital"),
        "Marketing",
        "Marketing",
        "National",
        "Marketing",
        "marketing",
        marketing,
    )
    # the integration user is not a person: fixed names
    users.append(
        User(
            len(users),
            ids(),
            "Intégration",
            "HubSpot",
            "Utilisateur d'intégration",
            "Marketing",
            "",
            "",
            role_id("Intégration"),
            PROFILES["integration"],
            -1,
            clock.from_date(date(2021, 3, 1), 10, 0),
        )
    )
    integration = len(users) - 1

    r = scale.reps_per_team
    sizes = {
        rules.TEAM_ENTERPRISE: r,
        rules.TEAM_SMB: r,
        rules.TEAM_INTERNATIONAL: max(1, r // 2),
        rules.TEAM_SDR: max(2, r // 2),
    }
    for team in rules.REGIONAL_TEAMS.values():
        sizes[team] = max(2, r // 2)
    managers = {
        rules.TEAM_ENTERPRISE: ("Responsable Grands Comptes", rules.TEAM_ENTERPRISE, "National"),
        "mid": ("Responsable Mid-Market", "", "National"),
        rules.TEAM_SMB: ("Responsable Inside Sales", rules.TEAM_SMB, "National"),
        rules.TEAM_INTERNATIONAL: (
            "Responsable International",
            rules.TEAM_INTERNATIONAL,
            "International",
        ),
    }
    manager_of: dict[str, int] = {}
    for key, (title, team, region) in managers.items():
        manager_of[key] = add((title, title), sales, team, region, title, "sales", director)
    teams: dict[str, list[int]] = {team: [] for team in rules.SALES_TEAMS}
    for team in rules.SALES_TEAMS:
        if team in rules.REGIONAL_TEAMS.values():
            manager, region = manager_of["mid"], team.removeprefix("Mid-Market ")
            rep_title = ("Account Executive", "Account Executive")
        elif team == rules.TEAM_SDR:
            manager, region = manager_of[rules.TEAM_SMB], "National"
            rep_title = ("Business Developer (SDR)", "Business Developer (SDR)")
        else:
            manager = manager_of[team]
            region = "International" if team == rules.TEAM_INTERNATIONAL else "National"
            rep_title = ("Account Executive", "Account Executive")
        for _ in range(sizes[team]):
            teams[team].append(add(rep_title, sales, team, region, team, "sales", manager))
    # one rep of Sud-Est leaves; the replacement starts the next working day
    leaving_team = rules.REGIONAL_TEAMS["Sud-Est"]
    leaver = teams[leaving_team][0]
    users[leaver].left_at = clock.from_date(date(2025, 9, 30), 18, 0)
    teams[leaving_team].append(
        add(
            ("Account Executive", "Account Executive"),
            sales,
            leaving_team,
            "Sud-Est",
            leaving_team,
            "sales",
            manager_of["mid"],
            clock.from_date(date(2025, 10, 1), 9, 0),
        )
    )
    return Staff(users, teams, integration, revops, marketing)
