"""Watch lists the user supplies: the OpenSanctions ``targets.simple.csv`` export and METI's End User
List (外国ユーザーリスト) saved as CSV. Names are matched after normalisation (width, case,
punctuation, corporate suffixes) against every name and alias of the acquirer and its chain."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path

from pydantic import BaseModel

from fdiscreen.csvfile import read_rows
from fdiscreen.errors import FdiscreenError
from fdiscreen.model import Deal

SUFFIX_WORDS = {
    "co", "company", "corp", "corporation", "inc", "incorporated", "ltd", "limited", "llc", "llp", "lp", "plc", "gmbh", "ag",
    "sa", "sas", "spa", "srl", "bv", "nv", "kk", "pte", "pty", "jsc", "pjsc", "ojsc", "oao", "zao", "ooo", "sarl", "ab", "as", "oy",
}
SUFFIX_PHRASES = ["kabushiki kaisha", "godo kaisha", "yugen kaisha", "public limited company", "joint stock company",
                  "limited liability company", "株式会社", "有限会社", "合同会社", "股份有限公司", "有限责任公司", "有限責任公司", "有限公司"]
PUNCT = re.compile(r"[^\w\s]", re.UNICODE)
INNER_DOT = re.compile(r"(?<=\b\w)\.(?=\w\b)")
FUZZY_MIN = 0.92


def normalize_name(name: str) -> str:
    """Fold width and case, drop punctuation and corporate suffixes: 'ＡＢＣ Co., Ltd.' -> 'abc'."""
    s = unicodedata.normalize("NFKC", name).casefold()
    for phrase in SUFFIX_PHRASES:
        s = s.replace(phrase, " ")
    s = INNER_DOT.sub("", s)
    s = PUNCT.sub(" ", s).replace("_", " ")
    tokens = [t for t in s.split() if t not in SUFFIX_WORDS]
    return " ".join(tokens)


@dataclass(frozen=True)
class ListEntry:
    list_name: str
    entry_id: str
    name: str
    aliases: tuple[str, ...]
    country: str


class WatchHit(BaseModel):
    entity_id: str
    entity_name: str
    path: str
    matched_name: str
    list_name: str
    listed_name: str
    entry_id: str
    score: float


def _header_index(rows: list[list[str]], wanted: tuple[str, ...]) -> int | None:
    for i, row in enumerate(rows[:20]):
        cells = {unicodedata.normalize("NFKC", c).strip().casefold() for c in row}
        if any(w in cells for w in wanted):
            return i
    return None


def _col(header: list[str], *names: str) -> int | None:
    normed = [unicodedata.normalize("NFKC", h).strip().casefold() for h in header]
    for n in names:
        for i, h in enumerate(normed):
            if h == n or h.startswith(n):
                return i
    return None


def load_watchlist(path: str | Path) -> list[ListEntry]:
    """Read an OpenSanctions targets.simple.csv or a METI End User List CSV (format detected by header)."""
    p = Path(path)
    rows = read_rows(p, "a watch-list CSV")
    if not rows:
        raise FdiscreenError("file is empty", file=str(p), expected="a watch-list CSV with a header row")
    head = [c.strip().casefold() for c in rows[0]]
    if "schema" in head and "name" in head and "id" in head:
        return _opensanctions(rows, p.name)
    at = _header_index(rows, ("company or organization", "企業名・組織名", "企業名", "company name"))
    if at is not None:
        return _meti(rows, at, p.name)
    raise FdiscreenError(f"unrecognised header {rows[0]}", file=str(p), path="header",
                         expected="OpenSanctions targets.simple.csv (id, schema, name, aliases, ...) or METI End User List columns")


def _opensanctions(rows: list[list[str]], source: str) -> list[ListEntry]:
    header = rows[0]
    i_id, i_name, i_alias, i_country = (_col(header, "id"), _col(header, "name"), _col(header, "aliases"), _col(header, "countries"))
    out = []
    for row in rows[1:]:
        if not row or i_name is None or i_name >= len(row):
            continue
        aliases = tuple(a.strip() for a in (row[i_alias] if i_alias is not None and i_alias < len(row) else "").split(";") if a.strip())
        out.append(ListEntry(f"OpenSanctions ({source})", row[i_id] if i_id is not None else "", row[i_name], aliases,
                             row[i_country] if i_country is not None and i_country < len(row) else ""))
    return out


def _meti(rows: list[list[str]], at: int, source: str) -> list[ListEntry]:
    header = rows[at]
    i_no = _col(header, "no", "番号")
    i_name = _col(header, "company or organization", "企業名・組織名", "企業名", "company name")
    i_alias = _col(header, "also known as", "別名")
    i_country = _col(header, "country or region", "country", "国名・地域名", "国名")
    out = []
    for row in rows[at + 1:]:
        if not row or i_name is None or i_name >= len(row) or not row[i_name].strip():
            continue
        alias_text = row[i_alias] if i_alias is not None and i_alias < len(row) else ""
        aliases = tuple(a.strip() for a in re.split(r"[;\n,、]|\s/\s", alias_text) if a.strip())
        out.append(ListEntry(f"METI End User List ({source})", row[i_no] if i_no is not None and i_no < len(row) else "",
                             row[i_name].strip(), aliases, row[i_country] if i_country is not None and i_country < len(row) else ""))
    return out


def name_score(a: str, b: str) -> float:
    """1.0 for equal normalised names; otherwise a similarity of their sorted tokens, kept only when high."""
    na, nb = normalize_name(a), normalize_name(b)
    if not na or not nb:
        return 0.0
    if na == nb:
        return 1.0
    if min(len(na), len(nb)) < 6:
        return 0.0
    ratio = SequenceMatcher(None, " ".join(sorted(na.split())), " ".join(sorted(nb.split()))).ratio()
    return round(ratio, 3) if ratio >= FUZZY_MIN else 0.0


def match_deal(deal: Deal, lists: list[ListEntry]) -> list[WatchHit]:
    """Every entity of the deal (acquirer and chain) against every entry, best hit per entity and list entry."""
    hits: list[WatchHit] = []
    for i, ent in enumerate(deal.entities):
        names = [(f"entities[{i}].name", ent.name)] + ([(f"entities[{i}].name_ja", ent.name_ja)] if ent.name_ja else [])
        names += [(f"entities[{i}].aliases[{k}]", a) for k, a in enumerate(ent.aliases)]
        for entry in lists:
            best: tuple[float, str, str] | None = None
            for path, mine in names:
                for theirs in (entry.name, *entry.aliases):
                    s = name_score(mine, theirs)
                    if s and (best is None or s > best[0]):
                        best = (s, path, mine)
            if best:
                hits.append(WatchHit(entity_id=ent.id, entity_name=ent.name, path=best[1], matched_name=best[2],
                                     list_name=entry.list_name, listed_name=entry.name, entry_id=entry.entry_id, score=best[0]))
    return sorted(hits, key=lambda h: (-h.score, h.entity_id, h.list_name, h.entry_id))
