"""HubSpot contacts exported *with associations*, and the companies they are associated with.

HubSpot creates a company for each work e-mail domain and associates the contact with it
(a contact with a personal address has none). The contacts exports then name their key
``Record ID - Contact`` and follow the contact's properties with the associated company's:
``Record ID - Company`` and the company's properties under the labels the contact's use
(``Company name``, ``Create Date``, ``Country/Region``, ``Phone Number``; French labels in the
French delivery). The companies are exported too
(``hubspot-crm-exports-all-companies-<as_of>.csv``). The generator has no HubSpot deals (the
opportunities live in Salesforce): no deals export.
"""

from __future__ import annotations

import csv
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from smarketing_tools.generator import clock, mess, rules
from smarketing_tools.generator.contacts_plan import ContactPlan
from smarketing_tools.generator.context import Context
from smarketing_tools.generator.csvio import CsvOut
from smarketing_tools.generator.delivery_fields import draws
from smarketing_tools.generator.hubspot import COLUMNS, file_names

COMPANY_ID_BASE = 9_000_000_000
# (English, French) labels of the company columns of a contact export with associations
COMPANY_KEY = ("Record ID - Company", "ID de fiche d'informations - Entreprise")
CONTACT_KEY = ("Record ID - Contact", "ID de fiche d'informations - Contact")
COMPANY_CELLS: tuple[tuple[str, str, str], ...] = (
    ("name", "Company name", "Nom de l'entreprise"),
    ("domain", "Company Domain Name", "Nom de domaine de l'entreprise"),
    ("create_date", "Create Date", "Date de création"),
    ("country", "Country/Region", "Pays/région"),
    ("phone", "Phone Number", "Numéro de téléphone"),
)
COMPANIES_HEADER = [
    "Record ID",
    "Company name",
    "Company Domain Name",
    "Create Date",
    "Company owner",
    "Phone Number",
    "City",
    "Country/Region",
    "Industry",
    "Number of Employees",
    "Lifecycle Stage",
    "Associated Contact IDs",
]
# HubSpot moves a company to the furthest lifecycle stage among its contacts
LIFECYCLE_ORDER = (
    "subscriber",
    "lead",
    "marketingqualifiedlead",
    "salesqualifiedlead",
    "opportunity",
    "customer",
)
_LIFECYCLE_CODE = {
    label: code
    for code, labels in rules.HUBSPOT_LABELS["lifecycle_stage"].items()
    for label in labels
}


@dataclass
class Company:
    org: int
    created: int
    contacts: list[int] = field(default_factory=list)
    """associated contacts' record ids, ascending"""
    phone: str = ""
    owner: str = ""
    lifecycle: int = -1

    @property
    def record_id(self) -> int:
        return company_id(self.org)


def company_id(org: int) -> int:
    """A stable HubSpot company id per organisation."""
    return COMPANY_ID_BASE + 17 * org


def associated_orgs(ctx: Context, plan: ContactPlan) -> np.ndarray:
    """The organisation each contact is associated with (by work e-mail domain), or -1."""
    orgs = ctx.people.org[plan.person]
    found = np.full(plan.n, -1, dtype=np.int64)
    for i, (email, o) in enumerate(zip(plan.email, orgs.tolist(), strict=True)):
        if email.strip().lower().endswith("@" + ctx.orgs.domain[o]):
            found[i] = o
    return found


def build_companies(ctx: Context, plan: ContactPlan, org_of: np.ndarray) -> dict[int, Company]:
    companies: dict[int, Company] = {}
    for i in np.flatnonzero(org_of >= 0).tolist():  # ascending record id = creation order
        o, created = int(org_of[i]), int(plan.created[i])
        company = companies.setdefault(o, Company(o, created))
        company.created = min(company.created, created)
        company.contacts.append(int(plan.record_id[i]))
    for o, company in companies.items():
        r = draws(ctx.seed, "hubspot-company", str(o))
        has_phone = r.random() > 0.08
        company.phone = mess.phone(ctx.orgs.phone[o], ctx.orgs.country[o], r) if has_phone else ""
    return dict(sorted(companies.items()))


def company_cells(ctx: Context, company: Company, french: bool) -> dict[str, str]:
    o = company.org
    fmt = clock.fmt_hs_fr if french else clock.fmt_hs_en
    return {
        "name": ctx.orgs.name[o],
        "domain": ctx.orgs.domain[o],
        "create_date": fmt(company.created),
        "country": rules.COUNTRY_SPELLINGS[ctx.orgs.country[o]][0],
        "phone": company.phone,
    }


def rewrite_contacts(
    ctx: Context,
    plan: ContactPlan,
    path: Path,
    french: bool,
    org_of: np.ndarray,
    companies: dict[int, Company],
) -> int:
    """One contacts export, with its associated company's columns after the contact's."""
    encoding, delimiter, newline = ("cp1252", ";", "\r\n") if french else ("utf-8", ",", "\n")
    lang = 2 if french else 1
    labels = {column[0]: column[lang] for column in COLUMNS}
    nulls = draws(ctx.seed, "hubspot-associations", path.name)
    with path.open(encoding=encoding, newline="") as handle:
        reader = csv.reader(handle, delimiter=delimiter)
        header = next(reader)
        owner_at = header.index(labels["contact_owner"])
        stage_at = header.index(labels["lifecycle_stage"])
        out = CsvOut(
            path.with_name(f".{path.name}.associations"),
            [
                CONTACT_KEY[lang - 1],
                *header[1:],
                COMPANY_KEY[lang - 1],
                *(c[lang] for c in COMPANY_CELLS),
            ],
            encoding=encoding,
            delimiter=delimiter,
            newline=newline,
        )
        for row in reader:
            record_id = int(row[0])
            i = int(np.searchsorted(plan.record_id, record_id))
            if plan.record_id[i] != record_id:
                raise ValueError(f"{path.name}: record {record_id} is not a planned contact")
            o = int(org_of[i])
            if o < 0:
                out.write([*row, "", *("" for _ in COMPANY_CELLS)])
                continue
            company = companies[o]
            company.owner = company.owner or row[owner_at]
            stage = _LIFECYCLE_CODE.get(row[stage_at], "")
            if stage in LIFECYCLE_ORDER:
                company.lifecycle = max(company.lifecycle, LIFECYCLE_ORDER.index(stage))
            cells = company_cells(ctx, company, french)
            values = [cells[c[0]] for c in COMPANY_CELLS]
            if not french:  # the English UI writes some empty cells as `null`
                values = [v or ("null" if nulls.random() < 0.5 else "") for v in values]
            out.write([*row, str(company.record_id), *values])
    out.close()
    out.path.replace(path)
    return out.rows


def write_companies(ctx: Context, companies: dict[int, Company], path: Path) -> int:
    orgs = ctx.orgs
    out = CsvOut(path, COMPANIES_HEADER)
    labels = rules.HUBSPOT_LABELS["lifecycle_stage"]
    for company in companies.values():
        o = company.org
        stage = LIFECYCLE_ORDER[company.lifecycle] if company.lifecycle >= 0 else ""
        cells = company_cells(ctx, company, french=False)
        out.write(
            [
                str(company.record_id),
                cells["name"],
                cells["domain"],
                cells["create_date"],
                company.owner,
                cells["phone"],
                orgs.city[o],
                cells["country"],
                orgs.industry[o],
                str(int(orgs.employees[o])),
                labels[stage][0] if stage else "",
                ";".join(str(c) for c in company.contacts),
            ]
        )
    out.close()
    return out.rows


def deliver_hubspot_associations(ctx: Context, plan: ContactPlan) -> dict[str, int]:
    """Rewrite the contacts exports with associations and add the companies export."""
    folder = ctx.inbox / "hubspot"
    en_name, en_copy, fr_name = file_names(ctx.window.as_of)
    org_of = associated_orgs(ctx, plan)
    companies = build_companies(ctx, plan, org_of)
    counts = {
        f"inbox/hubspot/{en_name}": rewrite_contacts(
            ctx, plan, folder / en_name, False, org_of, companies
        ),
        f"inbox/hubspot/{fr_name}": rewrite_contacts(
            ctx, plan, folder / fr_name, True, org_of, companies
        ),
    }
    shutil.copyfile(folder / en_name, folder / en_copy)
    counts[f"inbox/hubspot/{en_copy}"] = counts[f"inbox/hubspot/{en_name}"]
    companies_name = f"hubspot-crm-exports-all-companies-{ctx.window.as_of.isoformat()}.csv"
    counts[f"inbox/hubspot/{companies_name}"] = write_companies(
        ctx, companies, folder / companies_name
    )
    return counts
