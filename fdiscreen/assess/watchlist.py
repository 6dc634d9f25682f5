"""Watch lists the user supplies: the OpenSanctions ``targets.simple.csv`` export and METI's End User
List (外国ユーザーリスト) saved as CSV, matched against every name, Japanese name (name_ja) and alias of
the acquirer and its chain.

Names are compared on a normalised key: NFKC width folding and case folding; Latin-script names
(and names in other scripts the ICU transliteration of ``normality`` turns into Latin, e.g. Cyrillic)
lose punctuation and accents; Japanese and Chinese names (kanji, kana) stay in their script, lose
spaces, punctuation and the middle dot (中黒 ・) and have the katakana long-vowel mark (長音符 ー)
made uniform. A corporate form (株式会社, (株), 有限公司, Co., Ltd., OOO, ...) is removed only where a
form belongs: at the end of a name, or at its start for forms customarily written first (前株
株式会社 X, Russian OOO X); never in the middle, and never when that would leave nothing or only
generic words ("Holdings Ltd" keeps its form, and a name made only of generic words is not matched
at all). The forms come from OpenSanctions' ``fingerprints`` type table plus the Japanese
romanisations it lacks. A name only matches a name of the same script group (Latin or CJK); a
Japanese name is matched across scripts only through a Latin alias on the list or the entity's
name_ja. Similarity is rapidfuzz's token_sort_ratio (the Indel ratio of the tokens sorted once, when
the key is made), capped by the ratio of the names without their shared generic words, computed for
the whole list at once (``process.cdist``) and kept only from ``FUZZY_MIN`` up; equal keys score 1.0
and short keys match only when equal. The keys of a list are made once: kept on a ``WatchList`` and
cached per name."""

from __future__ import annotations

import hashlib

import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import lru_cache
from itertools import filterfalse
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from pydantic import BaseModel

from fdiscreen.collector import collector_paused
from fdiscreen.csvfile import read_rows
from fdiscreen.errors import FdiscreenError
from fdiscreen.model import Deal

# Product judgement, not law: a fuzzy score of 0.92 (Indel ratio over sorted tokens) accepts one
# dropped or added letter in a key of seven characters or more and one changed letter in a key of
# about thirteen or more ("Northwind Precision Instrument(s)", "Red Harbo(u)r Technology"), and
# rejects names that differ in a short distinctive word ("ABC Trading" / "ABD Trading" = 0.91,
# "Sino Holdings" / "Sinopec Holdings" = 0.90, "Tokyo Electron" / "Tokyo Electric" = 0.86). A watch
# list hit raises a finding a reviewer confirms, so a miss on a real variant is worse than a
# reviewed false hit, but a hit on every shared generic word would bury the real ones.
FUZZY_MIN = 0.92
# Keys shorter than this (characters, spaces included) match only when equal. At FUZZY_MIN the ratio
# alone already rejects any edit to a key of five letters or fewer ("ABC" / "ABD", "ソニー" / "ソニア");
# this also keeps six-letter names from matching with one letter added ("Rostec" / "Rostecs"), where
# short names collide with other companies' names most.
FUZZY_MIN_LENGTH = 7

# Words that do not identify a company on their own: a name made only of these (after its form is
# removed) is not matched, and the fuzzy score also compares the names without them, so that a
# long shared tail ("... Technology Holdings Group") cannot carry two different names over the bar.
GENERIC_WORDS = frozenset({
    "and", "of", "the", "holding", "holdings", "group", "groups", "trading", "trade", "international", "intl",
    "industries", "industry", "industrial", "technology", "technologies", "tech", "capital", "partners",
    "investment", "investments", "enterprise", "enterprises", "services", "global", "management", "development",
    "resources", "systems", "solutions", "ventures", "manufacturing", "engineering", "import", "export", "imp", "exp",
    "co", "corp", "company", "corporation",
})
GENERIC_CJK = ("ホールディングス", "ホールディング", "グループ", "インターナショナル", "テクノロジーズ", "テクノロジー",
               "控股", "集团", "集團", "国际", "國際", "国際", "科技", "技术", "技術", "贸易", "貿易", "商事", "産業", "产业",
               "工業", "工业", "投資", "投资")

# fingerprints canonical forms that are ordinary words or places rather than legal forms when they
# end a name ("... International", "... UK", "... EU", Turkish "San. Tic.", "Fund II"): never removed.
NOT_FORMS = frozenset({"intl", "imp", "exp", "imp and", "ins", "uk", "eu", "jp", "san", "tic", "ii"})
# Forms customarily written before the name: 株式会社 X (前株) romanised, Russian/CIS OOO/AO/ZAO X,
# Indonesian PT X, and "LLC X" in English renderings of Russian names.
PREFIX_FORMS = frozenset({"kk", "gk", "yk", "ooo", "oao", "zao", "ao", "rao", "pt", "llc"})
# Japanese romanised forms fingerprints lacks, mapped to its canonical abbreviations.
EXTRA_LATIN_FORMS = {
    "kabushiki kaisha": "kk", "kabushiki gaisha": "kk", "kabushikikaisha": "kk", "kabushikigaisha": "kk", "k k": "kk",
    "godo kaisha": "gk", "godo gaisha": "gk", "yugen kaisha": "yk", "yugen gaisha": "yk", "gomei kaisha": "gmk",
    "goshi kaisha": "gsk", "public joint stock company": "rao", "pao": "rao", "pjsc": "rao",
}
# Japanese and Chinese forms fingerprints lacks (its table gives 株式会社, 有限会社, 合同会社, 合名会社,
# 合資会社, 有限公司, 股份有限公司, ...): bracketed abbreviations (㈱ and （株） become (株) under NFKC),
# traditional-character spellings, the simplified 有限责任公司, and katakana readings as banks write them.
EXTRA_CJK_FORMS = ("(株)", "(有)", "(同)", "(名)", "(資)", "株式會社", "有限會社", "合同會社", "有限责任公司",
                   "有限責任公司", "股份公司", "公司", "カブシキガイシャ", "カブシキカイシャ", "ユウゲンガイシャ",
                   "ゴウドウガイシャ", "カ)", "(カ")

CJK_CHAR = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3005\u3006]")
KATAKANA = "\u30a1-\u30fa"
DASH_AFTER_KANA = re.compile(rf"(?<=[{KATAKANA}\u30fc])[-\u2010-\u2015\u2212\uff5e\u301c]")
# 長音符 at the end of a katakana word of three or more letters is written or left out by house
# style (コンピュータ / コンピューター, メモリ / メモリー): dropped so both spellings meet.
TRAILING_LONG_VOWEL = re.compile(rf"(?<=[{KATAKANA}\u30fc]{{2}}[{KATAKANA}])\u30fc(?![{KATAKANA}\u30fc])")
CJK_DROP = re.compile(r"[\s\u30fb\u00b7.,，、。'\"「」『』【】\[\]!?！？:：;；/／&＆+＋-]")
CJK_NONWORD = re.compile(r"[\W_]")
# ASCII punctuation to spaces, with the dot and apostrophe removed ("K.K." -> "kk", "O'Neil" -> "oneil")
LATIN_PUNCT = bytes(c if chr(c).isalnum() else 32 for c in range(256))
LATIN_PUNCT_KEEP_LINES = bytes(c if chr(c).isalnum() or c == 10 else 32 for c in range(256))
BRACKETED = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
GENERIC_CJK_RE = re.compile("|".join(sorted(map(re.escape, GENERIC_CJK), key=len, reverse=True)))


def _is_cjk(text: str) -> bool:
    return CJK_CHAR.search(text) is not None


def _latin_tokens(text: str) -> list[str]:
    """Width- and case-folded text to ASCII word tokens (ICU transliteration for non-Latin scripts)."""
    if not text.isascii():
        from normality import ascii_text  # ICU: imported only when a name needs it

        text = ascii_text(text.replace("\u2019", "")).lower()
    return text.encode("ascii", "ignore").translate(LATIN_PUNCT, b".'").decode("ascii").split()


def _cjk_clean(text: str) -> str:
    """Width- and case-folded CJK text without spaces, 中黒 and punctuation, long-vowel marks made uniform."""
    text = DASH_AFTER_KANA.sub("\u30fc", text)
    text = TRAILING_LONG_VOWEL.sub("", text)      # before the separators go: they end a word
    return CJK_DROP.sub("", text)


def _form_tables() -> tuple[dict[str, str], dict[tuple[str, ...], str], tuple[str, ...]]:
    """(single-word canonical forms, multi-word form -> canonical, CJK forms longest first) from fingerprints."""
    from fingerprints.types.data import TYPES

    pairs: list[tuple[str, str]] = list(EXTRA_LATIN_FORMS.items())
    cjk: set[str] = set(EXTRA_CJK_FORMS)
    for entry in TYPES["types"]:
        main = str(entry["main"])
        for form in [main, *entry["forms"]]:
            folded = unicodedata.normalize("NFKC", str(form)).casefold()
            if _is_cjk(folded):
                cjk.add(_cjk_clean(folded))
            else:
                pairs.append((folded, main))
    single: dict[str, str] = {}
    for form, main in pairs:
        toks, main_toks = _latin_tokens(form), _latin_tokens(main)
        if len(toks) == 1 and len(main_toks) == 1:
            single.setdefault(toks[0], main_toks[0])
    multi: dict[tuple[str, ...], str] = {}
    for form, main in pairs:
        toks = tuple(single.get(t, t) for t in _latin_tokens(form))
        canonical = " ".join(single.get(t, t) for t in _latin_tokens(main))
        if toks and canonical not in NOT_FORMS:
            multi.setdefault(toks, canonical)
    return single, multi, tuple(sorted((c for c in cjk if c), key=len, reverse=True))


@dataclass(frozen=True)
class _EdgeForms:
    """Corporate forms as seen from one edge of a name: one-word forms, and longer forms keyed by their two edge
    words (last two for suffixes, first two for prefixes) with their lengths longest first."""
    single: frozenset[str]
    longer: dict[tuple[str, str], tuple[tuple[int, frozenset[tuple[str, ...]]], ...]]

    @classmethod
    def of(cls, forms: dict[tuple[str, ...], str], last: bool) -> _EdgeForms:
        chosen = [toks for toks, main in forms.items() if last or main in PREFIX_FORMS]
        by_pair: dict[tuple[str, str], dict[int, set[tuple[str, ...]]]] = {}
        for toks in chosen:
            if len(toks) > 1:
                pair = (toks[-2], toks[-1]) if last else (toks[0], toks[1])
                by_pair.setdefault(pair, {}).setdefault(len(toks), set()).add(toks)
        longer = {k: tuple((n, frozenset(v[n])) for n in sorted(v, reverse=True)) for k, v in by_pair.items()}
        return cls(frozenset(t[0] for t in chosen if len(t) == 1), longer)


@dataclass(frozen=True)
class _Forms:
    """The corporate-form tables, built from fingerprints' type list on first use (not at import: a
    screening without a watch list never needs them)."""

    canonical_word: dict[str, str]
    cjk: tuple[str, ...]
    suffixes: _EdgeForms
    prefixes: _EdgeForms


@lru_cache(maxsize=1)
def _forms() -> _Forms:
    canonical, latin, cjk = _form_tables()
    return _Forms(canonical, cjk, _EdgeForms.of(latin, last=True), _EdgeForms.of(latin, last=False))


class NameKey(NamedTuple):
    """A name reduced for matching: its script group (latin or cjk), its key, the string scored (sorted tokens for
    Latin script), and whether it names anything beyond generic words and forms."""
    script: str
    key: str
    compare: str
    matchable: bool

    def split_generic(self) -> tuple[str, str]:
        """(the scored string without generic words, the generic words in it, sorted)."""
        if self.script == "cjk":
            return GENERIC_CJK_RE.sub("", self.compare), "".join(sorted(GENERIC_CJK_RE.findall(self.compare)))
        tokens = self.compare.split()
        return (" ".join(t for t in tokens if t not in GENERIC_WORDS), " ".join(t for t in tokens if t in GENERIC_WORDS))


def _suffix_length(tokens: list[str], lo: int, hi: int) -> int:
    """Number of tokens of the longest corporate form ending tokens[lo:hi] (0 if none)."""
    if hi - lo >= 2:
        for n, forms in _forms().suffixes.longer.get((tokens[hi - 2], tokens[hi - 1]), ()):
            if n <= hi - lo and tuple(tokens[hi - n:hi]) in forms:
                return n
    return 1 if tokens[hi - 1] in _forms().suffixes.single else 0


def _prefix_length(tokens: list[str], lo: int, hi: int) -> int:
    """Number of tokens of the longest prefix form (OOO, PT, K.K., ...) starting tokens[lo:hi] (0 if none)."""
    if hi - lo >= 2:
        for n, forms in _forms().prefixes.longer.get((tokens[lo], tokens[lo + 1]), ()):
            if n <= hi - lo and tuple(tokens[lo:lo + n]) in forms:
                return n
    return 1 if tokens[lo] in _forms().prefixes.single else 0


def _strip_latin_forms(tokens: list[str]) -> list[str]:
    """Tokens without the corporate forms at their end, and the prefix forms (OOO, PT, K.K.) at their start."""
    lo = 1 if len(tokens) > 1 and tokens[0] == "the" else 0
    hi = len(tokens)
    while lo < hi:
        if n := _suffix_length(tokens, lo, hi):
            hi -= n
        elif n := _prefix_length(tokens, lo, hi):
            lo += n
        else:
            break
    return tokens[lo:hi]


def _without_brackets(text: str) -> str:
    """Text without bracketed parts ("(Seychelles)", "(formerly ...)"), as fingerprints does, unless nothing would remain."""
    return BRACKETED.sub(" ", text) if BRACKETED.sub("", text).strip() else text


def _latin_keys(folded: list[str]) -> list[NameKey]:
    """Keys of width- and case-folded non-CJK names: ASCII tokens (ICU transliteration for other scripts),
    canonical form words, forms removed at the edges unless only generic words would remain."""
    texts = [_without_brackets(t) if "(" in t or "[" in t else t for t in folded]
    if not all(t.isascii() for t in texts):
        from normality import ascii_text  # ICU: imported only when a name needs it

        texts = [t if t.isascii() else ascii_text(t.replace("\u2019", "")).lower() for t in texts]
    # one C-level pass over all names: punctuation to spaces, dots and apostrophes removed, line breaks kept
    blob = "\n".join(texts).encode("ascii", "ignore").translate(LATIN_PUNCT_KEEP_LINES, b".'").decode("ascii")
    get, only_generic, new, out = _forms().canonical_word.get, GENERIC_WORDS.issuperset, tuple.__new__, []
    for line in blob.split("\n"):
        tokens = line.split()
        tokens = list(map(get, tokens, tokens))
        core = _strip_latin_forms(tokens)
        matchable = not only_generic(core)
        kept = core if matchable else tokens       # removing the form would leave nothing or generic words only
        out.append(new(NameKey, ("latin", " ".join(kept), " ".join(sorted(kept)), matchable)))
    return out


def _strip_cjk_forms(text: str) -> str:
    """Text without the Japanese or Chinese forms at its end or start (longest form first)."""
    forms = _forms().cjk
    while text and (text.endswith(forms) or text.startswith(forms)):
        form = next(f for f in forms if text.endswith(f) or text.startswith(f))
        text = text[:-len(form)] if text.endswith(form) else text[len(form):]
    return text


def _cjk_key(text: str) -> NameKey:
    cleaned = _cjk_clean(text)
    core = CJK_NONWORD.sub("", _strip_cjk_forms(cleaned))
    matchable = bool(GENERIC_CJK_RE.sub("", core))
    kept = core if matchable else CJK_NONWORD.sub("", cleaned)
    return NameKey("cjk", kept, kept, matchable)


_KEYS: dict[str, NameKey] = {}
KEY_CACHE_MAX = 1 << 20


def _fold(names: list[str]) -> list[str]:
    """NFKC and casefold of every name (ASCII names are already NFKC: only lowered); line breaks become spaces."""
    folded = [n.lower() if n.isascii() else "" for n in names]
    wide = [i for i, n in enumerate(names) if not n.isascii()]
    joined = "\n".join(names[i].replace("\n", " ").replace("\r", " ") for i in wide)
    parts = unicodedata.normalize("NFKC", joined).casefold().split("\n") if wide else []
    if len(parts) != len(wide):       # cannot happen with NFKC, kept as a guard
        parts = [unicodedata.normalize("NFKC", names[i]).casefold() for i in wide]
    for i, part in zip(wide, parts):
        folded[i] = part
    return [f.replace("\n", " ").replace("\r", " ").strip() for f in folded]


def _compute_keys(names: list[str]) -> list[NameKey]:
    """Keys of many names, folded in one pass."""
    folded = _fold(names)
    cjk = [CJK_CHAR.search(f) is not None for f in folded]
    latin = iter(_latin_keys([f for f, c in zip(folded, cjk) if not c]))
    return [_cjk_key(f) if c else next(latin) for f, c in zip(folded, cjk)]


def name_keys(names: Sequence[str]) -> list[NameKey]:
    """The matching keys of names, in order; each distinct name is normalised once per process (cached)."""
    missing = list(filterfalse(_KEYS.__contains__, dict.fromkeys(names)))
    if missing:
        if len(_KEYS) + len(missing) > KEY_CACHE_MAX:
            _KEYS.clear()
        with collector_paused():
            _KEYS.update(zip(missing, _compute_keys(missing)))
    return list(map(_KEYS.__getitem__, names))


def name_key(name: str) -> NameKey:
    """The matching key of one name (cached like name_keys)."""
    return _KEYS.get(name) or name_keys([name])[0]


def clear_name_cache() -> None:
    """Forget the cached keys (benchmarks time normalisation from scratch with this)."""
    _KEYS.clear()


def normalize_name(name: str) -> str:
    """Fold width and case, drop punctuation and a corporate form where it belongs: 'ＡＢＣ Co., Ltd.' -> 'abc'."""
    return name_key(name).key


def _similarity(a: NameKey, b: NameKey) -> float:
    """Indel ratio (0-100) of the sorted tokens; when both names share the same generic words, capped by the
    ratio of what is left, so a shared tail ("... Technology Holdings Group") cannot carry different names."""
    from rapidfuzz import fuzz

    full = fuzz.ratio(a.compare, b.compare)
    (da, ga), (db, gb) = a.split_generic(), b.split_generic()
    return min(full, fuzz.ratio(da, db)) if ga and ga == gb else full


def key_score(a: NameKey, b: NameKey) -> float:
    """1.0 for equal keys of one script group; a fuzzy score in [FUZZY_MIN, 1) for close long keys; else 0.0."""
    if not (a.matchable and b.matchable) or a.script != b.script:
        return 0.0
    if a.compare == b.compare:
        return 1.0
    if min(len(a.compare), len(b.compare)) < FUZZY_MIN_LENGTH:
        return 0.0
    score = _similarity(a, b) / 100.0
    return min(round(score, 3), 0.999) if score >= FUZZY_MIN else 0.0     # 1.0 stays for equal keys


def name_score(a: str, b: str) -> float:
    """Score of two names in [0, 1]: 1.0 when their keys are equal, else a high fuzzy score or 0.0."""
    return key_score(name_key(a), name_key(b))


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


@dataclass
class _ScriptIndex:
    """The matchable names of one script group of a list: their keys, the strings scored, and their entries."""
    keys: list[NameKey]
    compare: list[str]
    entry: list[int]


@dataclass
class ListIndex:
    """Every name and alias of a list, normalised once, split by script group (Latin, CJK)."""
    scripts: dict[str, _ScriptIndex]

    @classmethod
    def build(cls, entries: Sequence[ListEntry]) -> ListIndex:
        with collector_paused():
            owners = [i for i, entry in enumerate(entries) for _ in range(1 + len(entry.aliases))]
            keys = name_keys([text for entry in entries for text in (entry.name, *entry.aliases)])
            scripts = {}
            for script in ("latin", "cjk"):
                at = [n for n, k in enumerate(keys) if k.matchable and k.script == script]
                scripts[script] = _ScriptIndex([keys[n] for n in at], [keys[n].compare for n in at], [owners[n] for n in at])
            return cls(scripts)

    def scores(self, queries: Sequence[NameKey]) -> list[dict[int, float]]:
        """For each query key, the best score per list entry it reaches (entries below FUZZY_MIN left out).
        One rapidfuzz cdist per script group over all names (plain Indel ratio, one point below the bar, as
        a prefilter: an equal key scores 100); key_score then decides each candidate exactly."""
        import numpy as np
        from rapidfuzz import fuzz, process

        out: list[dict[int, float]] = [{} for _ in queries]
        for script, group in self.scripts.items():
            mine = [(q, k) for q, k in enumerate(queries) if k.matchable and k.script == script]
            if not mine or not group.compare:
                continue
            matrix = process.cdist([k.compare for _, k in mine], group.compare, scorer=fuzz.ratio,
                                   score_cutoff=FUZZY_MIN * 100 - 1, dtype=np.uint8, workers=-1)
            for row, col in zip(*np.nonzero(matrix)):
                q, k = mine[row]
                score = key_score(k, group.keys[col])
                entry = group.entry[col]
                if score > out[q].get(entry, 0.0):
                    out[q][entry] = score
        return out


class WatchList(list[ListEntry]):
    """Entries of one or more loaded lists; the normalised index of their names is built once, on first match."""

    _index: ListIndex | None = None
    _indexed_len: int = -1
    _digest: str | None = None
    _digest_len: int = -1

    def name_index(self) -> ListIndex:
        if self._index is None or self._indexed_len != len(self):
            self._index, self._indexed_len = ListIndex.build(self), len(self)
        return self._index


def entries_digest(entries: Sequence[ListEntry]) -> str:
    """SHA-256 of the entries matched against (list, id, name), order-free; kept on a WatchList so a
    batch of screenings against one large list computes it once."""
    cached = getattr(entries, "_digest", None)
    if cached is not None and getattr(entries, "_digest_len", -1) == len(entries):
        return str(cached)
    digest = hashlib.sha256("\n".join(sorted(f"{e.list_name}|{e.entry_id}|{e.name}" for e in entries)).encode("utf-8")).hexdigest()
    if isinstance(entries, WatchList):
        entries._digest, entries._digest_len = digest, len(entries)
    return digest


def index_of(entries: Sequence[ListEntry]) -> ListIndex:
    """The index of a WatchList (kept on it), or one built now for a plain list of entries."""
    return entries.name_index() if isinstance(entries, WatchList) else ListIndex.build(entries)


def _header_cell(cell: str) -> str:
    return unicodedata.normalize("NFKC", cell).strip().casefold()


def _header_index(rows: list[list[str]], wanted: tuple[str, ...]) -> int | None:
    for i, row in enumerate(rows[:20]):
        cells = [_header_cell(c) for c in row]
        if any(c.startswith(w) for w in wanted for c in cells):
            return i
    return None


def _col(header: list[str], *names: str) -> int | None:
    normed = [_header_cell(h) for h in header]
    for n in names:
        for i, h in enumerate(normed):
            if h == n or h.startswith(n):
                return i
    return None


def load_watchlist(path: str | Path) -> WatchList:
    """Read an OpenSanctions targets.simple.csv or a METI End User List CSV (format detected by header)."""
    p = Path(path)
    rows = read_rows(p, "a watch-list CSV")
    if not rows:
        raise FdiscreenError("file is empty", file=str(p), expected="a watch-list CSV with a header row")
    head = [c.strip().casefold() for c in rows[0]]
    if "schema" in head and "name" in head and "id" in head:
        return WatchList(_opensanctions(rows, p.name))
    at = _header_index(rows, METI_NAME_HEADERS)
    if at is not None:
        return WatchList(_meti(rows, at, p.name))
    raise FdiscreenError(f"unrecognised header {rows[0]}", file=str(p), path="header",
                         expected="OpenSanctions targets.simple.csv (id, schema, name, aliases, ...) or METI End User List columns")


def load_watchlists(paths: Iterable[str | Path]) -> WatchList:
    """Several lists as one WatchList, so that their names are indexed together once."""
    return WatchList(entry for p in paths for entry in load_watchlist(p))


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


METI_NAME_HEADERS = ("company or organization", "企業名・組織名", "企業名、組織名", "企業名", "company name")


def _meti(rows: list[list[str]], at: int, source: str) -> list[ListEntry]:
    header = rows[at]
    i_no = _col(header, "no", "番号")
    i_name = _col(header, *METI_NAME_HEADERS)
    i_alias = _col(header, "also known as", "別名")
    i_country = _col(header, "country or region", "country", "国名・地域名", "国名、地域名", "国名")
    out = []
    for row in rows[at + 1:]:
        if not row or i_name is None or i_name >= len(row) or not row[i_name].strip():
            continue
        alias_text = row[i_alias] if i_alias is not None and i_alias < len(row) else ""
        aliases = tuple(a.strip() for a in re.split(r"[;\n,、]|\s/\s", alias_text) if a.strip())
        out.append(ListEntry(f"METI End User List ({source})", row[i_no] if i_no is not None and i_no < len(row) else "",
                             row[i_name].strip(), aliases, row[i_country] if i_country is not None and i_country < len(row) else ""))
    return out


def _names_of(deal: Deal, i: int) -> list[tuple[str, str]]:
    """(path, name) of every name of entity i: its name, its Japanese name (name_ja) and its aliases."""
    ent = deal.entities[i]
    names = [(f"entities[{i}].name", ent.name)] + ([(f"entities[{i}].name_ja", ent.name_ja)] if ent.name_ja else [])
    return names + [(f"entities[{i}].aliases[{k}]", a) for k, a in enumerate(ent.aliases)]


def match_deal(deal: Deal, lists: Sequence[ListEntry]) -> list[WatchHit]:
    """Every entity of the deal (acquirer and chain) against every entry, best hit per entity and list entry."""
    if not lists:
        return []
    index = index_of(lists)
    named = [(i, path, mine) for i in range(len(deal.entities)) for path, mine in _names_of(deal, i)]
    scored = index.scores(name_keys([mine for _, _, mine in named]))
    best: dict[tuple[int, int], tuple[float, str, str]] = {}
    for (i, path, mine), per_entry in zip(named, scored):
        for entry, score in per_entry.items():
            if (i, entry) not in best or score > best[(i, entry)][0]:
                best[(i, entry)] = (score, path, mine)
    hits = []
    for (i, e), (score, path, mine) in best.items():
        ent, entry = deal.entities[i], lists[e]
        hits.append(WatchHit(entity_id=ent.id, entity_name=ent.name, path=path, matched_name=mine, list_name=entry.list_name,
                             listed_name=entry.name, entry_id=entry.entry_id, score=score))
    return sorted(hits, key=lambda h: (-h.score, h.entity_id, h.list_name, h.entry_id))
