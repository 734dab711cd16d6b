"""Probabilistic matching with Splink (Fellegi-Sunter) on DuckDB or Spark (``backend``), for
what the deterministic links left apart.

**Candidates (blocking).** Only pairs of records that are not already one person
(``l.det_cluster <> r.det_cluster``) and share at least one of:

- the same first and last name (match keys: case, accents, spaces and hyphens ignored);
- the same personal phone number (E.164, not a switchboard);
- the same last name and the same company (catches a first name spelled otherwise);
- the same first name and the same company (catches a last name spelled otherwise, or changed).

**Evidence (comparisons).** First name and last name (exact, with term-frequency adjustment so
that a shared rare name weighs more than a shared common one; Jaro-Winkler ≥ 0.92; else),
personal phone (exact; else), organisation (company match key and web domain together, as
one comparison because they are two spellings of the same fact: same company with domains
not different — equal, or one unknown, as for a personal address / same domain / similar
company name with a domain unknown / else, which includes two known domains that differ),
country (exact; else) and job title (exact, term-frequency adjusted; else). A domain unknown
shares the level of equal domains because the pairs that teach ``m`` (below) all hold one
address, so one domain: a level of its own was never seen there, and its floored ``m`` left
apart a person's work and personal records at the same company (recall 0.955 → 0.973 at
large scale, precision unchanged at 0.9999).
E-mail is not compared: equal addresses are a deterministic link already, and addresses that
differ by a letter are mostly colleagues whose addresses derive from their names
(``j.martin@`` and ``a.martin@`` the same company).
Placeholder contact data (seed ``placeholder_contact_values``) is no evidence here either: a
placeholder phone has no ``phone_key`` (so it neither blocks nor compares) and a placeholder
address (``x@test.com``) gives no web domain.

**Parameters.** ``u`` (how often a level occurs between two different people) is estimated
from random pairs. ``m`` (how often it occurs between two records of the same person) is
estimated from the pairs the deterministic links joined: they are the same person for sure.
A level those ``n`` pairs never showed (two records of one person with different last names,
say) is not impossible, only rare: its ``m`` is floored at ``3 / n``, the "rule of three"
upper bound of a 95 % confidence interval for an event never seen in ``n`` trials, kept
between ``M_FLOOR_MIN`` and ``M_FLOOR_MAX``. The prior (the probability that two random
records are the same person) is the share of pairs the deterministic links joined, divided
by their assumed recall ``DETERMINISTIC_RECALL``.

**Kept between runs.** The trained model and the term frequencies it was trained with are kept
(``match_state``): a daily run scores with them only the pairs of the records that changed,
so that a pair scores the same whichever run scored it.

**Decision.** A pair is linked when its match probability is at least
``MATCH_THRESHOLD`` (0.9). Measured against the demo data's truth, pairs that agree on
name only sit around 0.5 to 0.65 (two people with the same name are common), while pairs that
agree on name and on a phone or an organisation are above 0.99: the threshold lies in the gap
(precision and recall hardly change between 0.8 and 0.95).
"""

from __future__ import annotations

import copy
import hashlib
import json
from dataclasses import dataclass
from typing import Any

import duckdb
import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import Linker, SettingsCreator

from smarketing.identity.backend import SplinkBackend
from smarketing.identity.deterministic import EDGES, PROBABILISTIC
from smarketing.identity.sql import count

MATCH_THRESHOLD = 0.9
M_FLOOR_MIN = 0.001
M_FLOOR_MAX = 0.01
DETERMINISTIC_RECALL = 0.9
U_SAMPLE_PAIRS = 2e6
U_SAMPLE_SEED = 42
NOT_YET_ONE_PERSON = "l.det_cluster <> r.det_cluster"
# a daily run scores the pairs of the records whose inputs or deterministic group changed
CHANGED_ONLY = "(l.is_changed or r.is_changed)"
TF_COLUMNS = ("first_name_key", "last_name_key", "job_title_key")
"""The comparisons adjusted for term frequency (kept with a trained model)."""

BLOCKING_RULES = (
    "l.first_name_key = r.first_name_key and l.last_name_key = r.last_name_key",
    "l.phone_key = r.phone_key",
    "l.last_name_key = r.last_name_key and l.company_key = r.company_key",
    "l.first_name_key = r.first_name_key and l.company_key = r.company_key",
)


@dataclass(frozen=True)
class ModelRun:
    candidate_pairs: int
    linked_pairs: int
    prior: float
    parameters: dict[str, Any]
    """The trained model, as Splink writes it to JSON."""


def _organisation() -> cl.CustomComparison:
    domain_unknown = "(web_domain_l is null or web_domain_r is null)"
    return cl.CustomComparison(
        output_column_name="organisation",
        comparison_levels=[
            cll.CustomLevel(
                "(company_key_l is null or company_key_r is null) and " + domain_unknown,
                "company or domain unknown",
            ).configure(is_null_level=True),
            # a domain unknown (a personal address) says nothing against the company: one
            # level with the equal domains, whose m the deterministic pairs (one address,
            # one domain) can teach
            cll.CustomLevel(
                f"company_key_l = company_key_r and (web_domain_l = web_domain_r or "
                f"{domain_unknown})",
                "same company, domains not different",
            ),
            cll.CustomLevel("web_domain_l = web_domain_r", "same domain"),
            # Splink's own level: each engine names its Jaro-Winkler function its own way
            cll.And(
                cll.JaroWinklerLevel("company_key", 0.9),
                cll.CustomLevel(domain_unknown),
            ).configure(label_for_charts="similar company, a domain unknown"),
            cll.ElseLevel(),
        ],
    )


def settings(prior: float) -> SettingsCreator:
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="record_key",
        probability_two_random_records_match=prior,
        blocking_rules_to_generate_predictions=[
            f"{rule} and {NOT_YET_ONE_PERSON}" for rule in BLOCKING_RULES
        ],
        comparisons=[
            cl.JaroWinklerAtThresholds("first_name_key", [0.92]).configure(
                term_frequency_adjustments=True
            ),
            cl.JaroWinklerAtThresholds("last_name_key", [0.92]).configure(
                term_frequency_adjustments=True
            ),
            cl.ExactMatch("phone_key"),
            _organisation(),
            cl.ExactMatch("country_code"),
            cl.ExactMatch("job_title_key").configure(term_frequency_adjustments=True),
        ],
        retain_matching_columns=False,
        retain_intermediate_calculation_columns=False,
    )


def m_floor(labelled_pairs: int) -> float:
    """The smallest m of a level: the rule of three for ``labelled_pairs`` trials."""
    if labelled_pairs <= 0:
        return M_FLOOR_MAX
    return min(max(3 / labelled_pairs, M_FLOOR_MIN), M_FLOOR_MAX)


def floor_m_probabilities(model: dict[str, Any], floor: float) -> dict[str, Any]:
    """Each non-null level's m at least ``floor`` (unseen levels included), renormalised."""
    for comparison in model["comparisons"]:
        levels = [lv for lv in comparison["comparison_levels"] if not lv.get("is_null_level")]
        floored = [max(float(lv.get("m_probability") or 0.0), floor) for lv in levels]
        total = sum(floored)
        for level, m in zip(levels, floored, strict=True):
            level["m_probability"] = m / total
    return model


def summarise(model: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Each comparison's levels with their m and u probabilities (for logs and metadata)."""
    return {
        comparison["output_column_name"]: [
            {
                "level": level.get("label_for_charts"),
                "m": round(float(level["m_probability"]), 6),
                "u": round(float(level["u_probability"]), 8),
            }
            for level in comparison["comparison_levels"]
            if not level.get("is_null_level")
            and "m_probability" in level
            and "u_probability" in level
        ]
        for comparison in model["comparisons"]
    }


def prior_from_deterministic_clusters(con: duckdb.DuckDBPyConnection, records: str) -> float:
    """P(two random records are one person), from the pairs the deterministic links joined."""
    rows = con.execute(
        f"""
        with sizes as (select count(*) as n from {records} group by det_cluster)
        select coalesce(sum(n * (n - 1) / 2), 0), coalesce(sum(n), 0) from sizes
        """
    ).fetchall()
    joined, total = float(rows[0][0]), float(rows[0][1])
    all_pairs = total * (total - 1) / 2
    if all_pairs <= 0:
        return 0.5
    return min(max(joined / DETERMINISTIC_RECALL, 1.0) / all_pairs, 0.5)


def settings_fingerprint() -> str:
    """What a kept model must have been trained with: the comparisons and blocking rules (not
    the prior, which training estimates). Code that changes them makes a kept model unusable."""
    document = settings(0.5).create_settings_dict("duckdb")
    for key in ("probability_two_random_records_match", "linker_uid"):
        document.pop(key, None)
    return hashlib.sha256(json.dumps(document, sort_keys=True).encode("utf-8")).hexdigest()


def train(con: duckdb.DuckDBPyConnection, splink: SplinkBackend, records: str) -> dict[str, Any]:
    """The model trained on ``records`` (with ``det_cluster``) in SPLINK's database, as Splink
    writes it to JSON; the term frequencies of ``records`` left in the work tables
    ``tf_<column>``."""
    prior = prior_from_deterministic_clusters(con, records)
    linker = Linker(splink.register(records), settings(prior), log_level=None)
    linker.training.estimate_u_using_random_sampling(max_pairs=U_SAMPLE_PAIRS, seed=U_SAMPLE_SEED)
    labelled_pairs = count(
        con,
        f"select sum(n * (n - 1) // 2) from (select count(*) as n from {records} "
        "group by det_cluster)",
    )
    if labelled_pairs:
        linker.training.estimate_m_from_label_column("det_cluster")
    for column in TF_COLUMNS:
        frequencies = linker.table_management.compute_tf_table(column)
        splink.fetch(frequencies, "computed_frequencies")
        con.execute(
            f"create or replace table {tf_table(column)} as select * from computed_frequencies"
        )
        splink.drop("computed_frequencies")
    return floor_m_probabilities(linker.misc.save_model_to_json(), m_floor(labelled_pairs))


def tf_table(column: str) -> str:
    """Work table of a column's term frequencies (``<column>``, ``tf_<column>``), as Splink
    computes them."""
    return f"tf_{column}"


def probabilistic_edges(
    con: duckdb.DuckDBPyConnection,
    splink: SplinkBackend,
    records: str,
    model: dict[str, Any],
    *,
    changed_only: bool = False,
) -> ModelRun:
    """Score the candidate pairs of ``records`` with MODEL and the term frequencies of the
    ``tf_<column>`` tables in SPLINK's database, and append the pairs it links to the edges
    table. CHANGED_ONLY:
    only the pairs with a record flagged ``is_changed`` (the others were scored before)."""
    parameters = copy.deepcopy(model)
    if changed_only:
        parameters["blocking_rules_to_generate_predictions"] = [
            {**rule, "blocking_rule": f"{rule['blocking_rule']} and {CHANGED_ONLY}"}
            for rule in parameters["blocking_rules_to_generate_predictions"]
        ]
    linker = Linker(
        splink.register(records, as_name=f"{records}_scored"), parameters, log_level=None
    )
    for column in TF_COLUMNS:
        linker.table_management.register_term_frequency_lookup(
            splink.register(tf_table(column)), column
        )
    predictions = linker.inference.predict(warning_mode="never")
    splink.fetch(predictions, "scored_pairs", ("record_key_l", "record_key_r", "match_probability"))
    counted = con.execute(
        f"""
        select count(*), count(*) filter (where match_probability >= {MATCH_THRESHOLD})
        from scored_pairs
        """
    ).fetchall()[0]
    con.execute(
        f"""
        insert into {EDGES}
        select record_key_l, record_key_r, '{PROBABILISTIC}', match_probability
        from scored_pairs
        where match_probability >= {MATCH_THRESHOLD}
        """
    )
    splink.drop("scored_pairs")
    predictions.drop_table_from_database_and_remove_from_cache()
    candidates, linked = int(counted[0]), int(counted[1])
    return ModelRun(candidates, linked, float(model["probability_two_random_records_match"]), model)
