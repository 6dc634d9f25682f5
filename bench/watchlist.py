"""Benchmark: watch-list matching of ten entities (with aliases and Japanese names) against a synthetic
OpenSanctions-format list of 100,000 entries, with today's algorithm (rapidfuzz over a normalised index,
``fdiscreen.assess.watchlist``) and the previous one (difflib ``SequenceMatcher`` on every name pair,
reimplemented below as the baseline) in the same run.

    python bench/watchlist.py [--entries 100000] [--seed 18] [--baseline-sample 2000] [--keep out.csv]

The list is written deterministically (seeded): company names of one to three coined words, generic words
("Holdings", "Trading") and corporate forms (Co., Ltd., LLC, GmbH, K.K., OOO ...), a third of the entries with
aliases, about 6% Japanese (株式会社 / (株) forms, kanji and katakana) and 6% Cyrillic (ООО / АО). Some of the
deal's names are planted in the list (exactly and with one letter changed) so the run also checks the hits.

Timed: loading the CSV (reported, outside the goal); the new matcher from the loaded entries to the hits,
normalisation of the whole list included (name cache cleared first); the same call again with the index
kept on the WatchList. The baseline is slow (one SequenceMatcher per name pair), so it runs on the first
``--baseline-sample`` entries and its time is extrapolated linearly to the full list, labelled as such.
Goal (issue 18, item 5): 100,000 entries x ten entities in under 2 s.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import re
import tempfile
import time
import unicodedata
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

from fdiscreen.assess import watchlist as wl
from fdiscreen.load import parse_deal
from fdiscreen.model import Deal

GOAL_S = 2.0
HEADER = ["id", "schema", "name", "aliases", "birth_date", "countries", "addresses", "identifiers", "sanctions", "phones",
          "emails", "dataset", "first_seen", "last_seen", "last_change"]
SYLLABLES = ["ka", "to", "ri", "mo", "sa", "ne", "lu", "vor", "tek", "dan", "bel", "gor", "shi", "an", "er", "ix", "on",
             "ma", "zen", "tra", "pol", "ve", "qui", "ro", "sta", "nor", "wen", "dal", "fi", "har"]
GENERIC = ["Holdings", "Trading", "Technology", "Industrial", "International", "Group", "Capital", "Engineering", "Logistics",
           "Precision", "Materials", "Energy", "Marine", "Electronics", "Systems"]
FORMS = ["Co., Ltd.", "Ltd.", "LLC", "Inc.", "GmbH", "S.A.", "K.K.", "Limited", "Corporation", "PLC", "JSC", "B.V.", ""]
KANJI = list("東京大阪北南中央日本光電精密機械化学工業技研通信重工電子製作所海洋新星紅港華")
KATAKANA = ["トウ", "キョウ", "エレ", "クト", "ロン", "サン", "テック", "マリン", "システム", "ノヴァ", "アルファ", "ゼン"]
JA_FORMS = ["株式会社{}", "{}株式会社", "{}（株）", "㈱{}", "{}有限会社", "{}合同会社"]
CYRILLIC = ["Тех", "Нефть", "Строй", "Пром", "Маш", "Энерго", "Север", "Альфа", "Вектор", "Импульс"]
CY_FORMS = ["ООО «{}»", "АО {}", "ПАО {}", "{} ООО"]

ENTITIES: list[dict[str, Any]] = [
    {"name": "Red Harbor Technology Co., Ltd.", "aliases": ["Red Harbour Tech"], "name_ja": "紅港科技有限公司"},
    {"name": "Northwind Precision Instruments LLC", "aliases": ["Northwind PI"]},
    {"name": "Eastern Star Aerospace Materials", "aliases": ["ESAM Ltd"]},
    {"name": "Kavirtek Industrial Group", "aliases": []},
    {"name": "Tokai Seimitsu K.K.", "aliases": ["Tokai Precision"], "name_ja": "東海精密株式会社"},
    {"name": "Blue Ridge Capital Partners IV, L.P.", "aliases": ["Blue Ridge IV"]},
    {"name": "OOO Romashka", "aliases": ["Romashka LLC"]},
    {"name": "Volterra Marine Systems GmbH", "aliases": ["Volterra Marine"]},
    {"name": "Sakura Denshi Holdings", "aliases": ["Sakura Electronics"], "name_ja": "さくら電子ホールディングス株式会社"},
    {"name": "Quintessa Trading International", "aliases": ["Quintessa Trading"]},
]
# planted in the list: (name written there, aliases) -> the entity it should hit
PLANTED = [("RED HARBOR TECHNOLOGY CO LTD", ["紅港科技有限公司"]), ("Northwind Precision Instrument", []),
           ("ООО «Ромашка»", []), ("東海精密（株）", []), ("Volterra Marine Systems", ["Volterra Marine GmbH"]),
           ("Quintessa Tradinq International", [])]


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()


def _latin_name(rng: random.Random) -> str:
    words = [_word(rng) for _ in range(rng.randint(1, 2))] + rng.sample(GENERIC, rng.randint(0, 2))
    return " ".join(words + [rng.choice(FORMS)]).strip()


def _japanese_name(rng: random.Random) -> str:
    core = "".join(rng.choice(KANJI) for _ in range(rng.randint(2, 5))) if rng.random() < 0.6 else \
        "".join(rng.choice(KATAKANA) for _ in range(rng.randint(2, 4)))
    return rng.choice(JA_FORMS).format(core)


def _cyrillic_name(rng: random.Random) -> str:
    return rng.choice(CY_FORMS).format("".join(rng.choice(CYRILLIC) for _ in range(rng.randint(2, 3))))


def _entry(rng: random.Random) -> tuple[str, list[str]]:
    roll = rng.random()
    name = _japanese_name(rng) if roll < 0.06 else _cyrillic_name(rng) if roll < 0.12 else _latin_name(rng)
    aliases = [_latin_name(rng) for _ in range(rng.randint(1, 2))] if rng.random() < 0.33 else []
    return name, aliases


def write_list(path: Path, entries: int, seed: int) -> None:
    """A deterministic OpenSanctions targets.simple.csv of `entries` rows, the planted names spread through it."""
    rng = random.Random(seed)
    planted_at = {int(entries * (k + 1) / (len(PLANTED) + 1)): p for k, p in enumerate(PLANTED)}
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(HEADER)
        for i in range(entries):
            name, aliases = planted_at.get(i) or _entry(rng)
            out.writerow([f"NK-{i:06d}", "Company", name, ";".join(aliases), "", rng.choice(["cn", "ru", "ir", "kp", "hk"]),
                          "", "", "", "", "", "bench", "2024-01-01", "2026-10-01", "2026-10-01"])


def bench_deal() -> Deal:
    clean = dict(fefta_violation_sanctioned=False, information_cooperation_duty=False, decisions_by_obliged_persons=False,
                 decisions_at_office_in_obliging_country=False, contractual_disclosure_duty=False)
    ents = [dict(id=f"e{k}", kind="corporation", jurisdiction="HK", **e) for k, e in enumerate(ENTITIES)]
    ents[0].update(clean, owners=[{"owner": f"e{k}", "voting_pct": 5} for k in range(1, len(ents))])
    return parse_deal({
        "matter": "bench", "acquirer": "e0", "entities": ents,
        "target": {"name": "Target K.K.", "listed": True, "subsidiaries_complete": True, "specified_core_business_entity": False,
                   "businesses": [{"name": "Machine tools", "activity": "machine_tools_robots"}]},
        "transaction": {"kind": "share_acquisition", "shares_before_pct": 0, "shares_after_pct": 5, "acquired_from": "market"},
    })


# ---- the previous algorithm (difflib), as it was before issue 18, for the baseline ----
OLD_SUFFIX_WORDS = {
    "co", "company", "corp", "corporation", "inc", "incorporated", "ltd", "limited", "llc", "llp", "lp", "plc", "gmbh", "ag",
    "sa", "sas", "spa", "srl", "bv", "nv", "kk", "pte", "pty", "jsc", "pjsc", "ojsc", "oao", "zao", "ooo", "sarl", "ab", "as", "oy",
}
OLD_SUFFIX_PHRASES = ["kabushiki kaisha", "godo kaisha", "yugen kaisha", "public limited company", "joint stock company",
                      "limited liability company", "株式会社", "有限会社", "合同会社", "股份有限公司", "有限责任公司", "有限責任公司", "有限公司"]
OLD_PUNCT = re.compile(r"[^\w\s]", re.UNICODE)
OLD_INNER_DOT = re.compile(r"(?<=\b\w)\.(?=\w\b)")


def old_normalize(name: str) -> str:
    s = unicodedata.normalize("NFKC", name).casefold()
    for phrase in OLD_SUFFIX_PHRASES:
        s = s.replace(phrase, " ")
    s = OLD_INNER_DOT.sub("", s)
    s = OLD_PUNCT.sub(" ", s).replace("_", " ")
    return " ".join(t for t in s.split() if t not in OLD_SUFFIX_WORDS)


def old_score(a: str, b: str) -> float:
    na, nb = old_normalize(a), old_normalize(b)
    if not na or not nb:
        return 0.0
    if na == nb:
        return 1.0
    if min(len(na), len(nb)) < 6:
        return 0.0
    ratio = SequenceMatcher(None, " ".join(sorted(na.split())), " ".join(sorted(nb.split()))).ratio()
    return round(ratio, 3) if ratio >= 0.92 else 0.0


def old_match(deal: Deal, entries: list[wl.ListEntry]) -> int:
    hits = 0
    for ent in deal.entities:
        names = [ent.name] + ([ent.name_ja] if ent.name_ja else []) + list(ent.aliases)
        for entry in entries:
            if max(old_score(mine, theirs) for mine in names for theirs in (entry.name, *entry.aliases)):
                hits += 1
    return hits


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--entries", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=18)
    ap.add_argument("--baseline-sample", type=int, default=2_000, help="entries the difflib baseline runs on (0 = all)")
    ap.add_argument("--keep", type=Path, help="write the synthetic list here instead of a temporary file")
    args = ap.parse_args()
    deal = bench_deal()
    with tempfile.TemporaryDirectory() as tmp:
        path = args.keep or Path(tmp) / "targets.simple.csv"
        write_list(path, args.entries, args.seed)
        t0 = time.perf_counter()
        entries = wl.load_watchlist(path)
        load_s = time.perf_counter() - t0

    wl.clear_name_cache()
    t0, c0 = time.perf_counter(), time.process_time()
    hits = wl.match_deal(deal, entries)
    new_s, new_cpu = time.perf_counter() - t0, time.process_time() - c0
    t0 = time.perf_counter()
    again = wl.match_deal(deal, entries)
    warm_s = time.perf_counter() - t0
    assert [h.model_dump() for h in hits] == [h.model_dump() for h in again]

    sample = entries[: args.baseline_sample] if args.baseline_sample else entries
    t0 = time.perf_counter()
    old_hits = old_match(deal, list(sample))
    old_sample_s = time.perf_counter() - t0
    scale = len(entries) / max(len(sample), 1)
    old_s = old_sample_s * scale
    names = sum(1 + len(e.aliases) for e in entries)
    queries = sum(1 + bool(e.name_ja) + len(e.aliases) for e in deal.entities)

    print(f"list: {len(entries):,} entries, {names:,} names and aliases; deal: {len(deal.entities)} entities, {queries} names")
    print(f"load CSV (outside the goal):          {load_s:7.3f} s")
    print(f"new (rapidfuzz), normalisation incl.: {new_s:7.3f} s   (CPU {new_cpu:.3f} s, all threads)   {len(hits)} hits")
    print(f"new, index kept on the WatchList:     {warm_s:7.3f} s")
    label = "measured" if scale == 1 else f"extrapolated x{scale:.0f} from {len(sample):,} entries ({old_sample_s:.2f} s, {old_hits} hits)"
    print(f"old (difflib), {label}: {old_s:7.1f} s")
    print(f"ratio old / new: {old_s / new_s:,.0f}x")
    planted = {n for n, _ in PLANTED}
    found = {h.listed_name for h in hits} & planted
    print(f"planted names found: {len(found)}/{len(planted)}" + (f", missed {sorted(planted - found)}" if planted - found else ""))
    for h in hits[:15]:
        print(f"  hit {h.score:.3f}  {h.entity_name!r} ({h.path}: {h.matched_name!r}) ~ {h.listed_name!r} [{h.entry_id}]")
    if len(hits) > 15:
        print(f"  ... and {len(hits) - 15} more")
    print(f"load average (1, 5, 15 min): {', '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")
    print(f"goal: {args.entries:,} entries x {len(deal.entities)} entities < {GOAL_S:.0f} s: "
          f"{'MET' if new_s < GOAL_S else 'MISSED'} ({new_s:.3f} s)")


if __name__ == "__main__":
    main()
