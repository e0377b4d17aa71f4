"""The versioned theme codebook (data/codebook/codebook.yaml): load, validate, and compose its patterns."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml

from analysis import config
from analysis.errors import InputError

DEFAULT_PATH = config.DATA / "codebook" / "codebook.yaml"

# The 28 core themes of reference/themes.md: their ids must never change, so codings stay comparable.
CORE_THEMES = (
    "caseloads",
    "supervision",
    "assessment_quality",
    "management_oversight",
    "planning_drift",
    "timeliness",
    "workforce_stability",
    "workforce_sufficiency",
    "leadership",
    "quality_assurance",
    "multi_agency",
    "voice_of_child",
    "early_help",
    "front_door",
    "child_protection",
    "exploitation_missing",
    "domestic_abuse",
    "homeless_16_17",
    "disabled_children",
    "out_of_hours",
    "children_in_care",
    "permanence",
    "care_leavers",
    "unregistered_placements",
    "ict_recording",
    "learning_culture",
    "staff_morale",
    "political_corporate_support",
)
POLARITIES = ("strength", "concern", "improving", "neutral")
CUE_LISTS = (
    "strength",
    "concern",
    "improving",
    "improved",
    "negators",
    "requests",
    "request_headings",
    "ignore",
    "contrast",
    "concessive",
)

_TOP_KEYS = {"version", "themes", "polarity"}
_THEME_KEYS = {"id", "label", "definition", "framework", "patterns", "parent", "core"}
_THEME_REQUIRED = ("id", "label", "definition", "patterns")
_ID = re.compile(r"[a-z][a-z0-9_]*")
_VERSION = re.compile(r"\d+\.\d+\.\d+")
# Constructs RE2 (DuckDB's regex engine) rejects; the same pattern must run in DuckDB and in Python `re`.
_NOT_RE2 = re.compile(r"\(\?[=!<]|\\[1-9]|\(\?P=")
# A negator may stand up to this many words before the cue it flips ('not yet consistently timely').
NEGATION_WINDOW = 3
# How the concessive rewrite orders the two clauses (RE2 and Python both read \1, \2 in a replacement).
CONCESSIVE_REWRITE = r"\2 ; \1"
# Markers written into a clause in place of flipped cues, so later cue tests see them.
CONCERN_MARK = " zzconcernzz "
REQUEST_MARK = " zzrequestzz "
STRENGTH_MARK = " zzstrengthzz "


@dataclass(frozen=True)
class Theme:
    """One theme: its id, words, framework area and the regexes that find it."""

    theme_id: str
    label: str
    definition: str
    framework_area: str | None
    parent_theme_id: str | None
    is_core: bool
    patterns: tuple[str, ...]

    @property
    def pattern(self) -> str:
        """All the theme's patterns as one case-insensitive regex (one constant per SQL expression)."""
        return "(?i)" + "|".join(f"(?:{p})" for p in self.patterns)


@dataclass(frozen=True, eq=False)  # hashed by identity, so engine caches can key on it
class Codebook:
    """A loaded, validated codebook: version, themes in file order, and the polarity cue lists."""

    version: str
    theme_list: tuple[Theme, ...]
    cues: dict[str, tuple[str, ...]] = field(default_factory=dict)
    path: Path | None = None

    @property
    def themes(self) -> pd.DataFrame:
        """The rows of the `themes` table."""
        return pd.DataFrame(
            [
                {
                    "theme_id": t.theme_id,
                    "label": t.label,
                    "definition": t.definition,
                    "framework_area": t.framework_area,
                    "parent_theme_id": t.parent_theme_id,
                    "is_core": t.is_core,
                }
                for t in self.theme_list
            ],
            columns=["theme_id", "label", "definition", "framework_area", "parent_theme_id", "is_core"],
        )

    @property
    def theme_ids(self) -> list[str]:
        """Theme ids in codebook order."""
        return [t.theme_id for t in self.theme_list]

    def cue(self, name: str) -> str:
        """One cue list as a single case-insensitive regex."""
        return _alternation(self.cues[name])

    def polarity_patterns(self) -> dict[str, str]:
        """The composed cue regexes the engine uses, by name (the same in DuckDB and in Python)."""
        negators = "|".join(f"(?:{p})" for p in self.cues["negators"])
        strength = "|".join(f"(?:{p})" for p in self.cues["strength"])
        concern = "|".join(f"(?:{p})" for p in self.cues["concern"])
        gap = rf"\s+(?:[\w'-]+\s+){{0,{NEGATION_WINDOW}}}"
        concessive = "|".join(f"(?:{p})" for p in self.cues["concessive"])
        return {
            "contrast": self.cue("contrast"),
            # 'Although X, Y' -> 'Y ; X': the main clause first, so it reads like 'Y, but X'.
            "concessive": rf"(?i)^\W*(?:{concessive})\b([^,;]*),\s*(.+)$",
            "request_headings": self.cue("request_headings"),
            "ignore": self.cue("ignore"),
            "requests": self.cue("requests"),
            "neg_strength": f"(?i)(?:{negators}){gap}(?:{strength})",
            "neg_concern": rf"(?i)\b(?:no|without|nor|never)\s+(?:[\w'-]+\s+){{0,1}}(?:{concern})",
            "strength": self.cue("strength"),
            "concern": self.cue("concern"),
            "improving": self.cue("improving"),
            "improved": self.cue("improved"),
        }


def _alternation(patterns: tuple[str, ...]) -> str:
    return "(?i)" + "|".join(f"(?:{p})" for p in patterns)


def _fail(path: Path, where: str, message: str) -> InputError:
    return InputError(config.relative(path), message, field=where)


def _check_pattern(path: Path, where: str, pattern: object) -> str:
    if not isinstance(pattern, str) or not pattern.strip():
        raise _fail(path, where, f"a pattern must be a non-empty string, not {pattern!r}")
    if _NOT_RE2.search(pattern):
        raise _fail(path, where, f"{pattern!r} uses look-around or a back-reference, which DuckDB's RE2 rejects")
    try:
        compiled = re.compile(pattern, re.IGNORECASE)
    except re.error as exc:
        raise _fail(path, where, f"{pattern!r} does not compile: {exc}") from None
    if compiled.search(""):
        raise _fail(path, where, f"{pattern!r} matches the empty string, so it would match every sentence")
    return pattern


def _theme(path: Path, i: int, raw: object) -> Theme:
    where = f"themes[{i}]"
    if not isinstance(raw, dict):
        raise _fail(path, where, "each theme must be a mapping with id, label, definition, patterns")
    unknown = sorted(set(raw) - _THEME_KEYS)
    if unknown:
        raise _fail(path, f"{where}.{unknown[0]}", f"unknown key {unknown[0]!r} (allowed: {sorted(_THEME_KEYS)})")
    for key in _THEME_REQUIRED:
        if raw.get(key) in (None, "", []):
            raise _fail(path, f"{where}.{key}", "a value is required")
    theme_id = str(raw["id"])
    if not _ID.fullmatch(theme_id):
        raise _fail(path, f"{where}.id", f"{theme_id!r} is not a lowercase identifier")
    patterns = raw["patterns"]
    if not isinstance(patterns, list):
        raise _fail(path, f"{where}.patterns", "patterns must be a list of regexes")
    checked = tuple(_check_pattern(path, f"{where}.patterns[{j}]", p) for j, p in enumerate(patterns))
    parent = raw.get("parent")
    return Theme(
        theme_id=theme_id,
        label=str(raw["label"]),
        definition=str(raw["definition"]).strip(),
        framework_area=None if raw.get("framework") is None else str(raw["framework"]),
        parent_theme_id=None if parent is None else str(parent),
        is_core=theme_id in CORE_THEMES if raw.get("core") is None else bool(raw["core"]),
        patterns=checked,
    )


def _check_re2(path: Path, codebook: Codebook) -> None:
    """Compile every composed pattern in DuckDB too: Python accepting a regex does not mean RE2 does."""
    import duckdb

    from analysis import db

    composed = {f"themes.{t.theme_id}": t.pattern for t in codebook.theme_list}
    composed.update({f"polarity.{k}": v for k, v in codebook.polarity_patterns().items()})
    con = duckdb.connect()
    try:
        for where, pattern in composed.items():
            try:
                db.query(con, "codebook_pattern_check", pattern=pattern)
            except duckdb.Error as exc:
                raise _fail(path, where, f"DuckDB (RE2) rejects the pattern: {exc}") from None
    finally:
        con.close()


def load(path: Path | str | None = None) -> Codebook:
    """Read and validate the codebook YAML; any problem is an InputError naming the file and YAML path."""
    path = Path(path or DEFAULT_PATH)
    shown = config.relative(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(shown, "the codebook file does not exist") from None
    except yaml.YAMLError as exc:
        raise InputError(shown, f"not valid YAML: {exc}") from None
    if not isinstance(raw, dict):
        raise InputError(shown, "the codebook must be a mapping with version, themes and polarity")
    unknown = sorted(set(raw) - _TOP_KEYS)
    if unknown:
        raise _fail(path, unknown[0], f"unknown key {unknown[0]!r} (allowed: {sorted(_TOP_KEYS)})")
    version = str(raw.get("version") or "")
    if not _VERSION.fullmatch(version):
        raise _fail(path, "version", f"{version!r} is not a version like 1.0.0")
    if not isinstance(raw.get("themes"), list) or not raw["themes"]:
        raise _fail(path, "themes", "a non-empty list of themes is required")
    themes = tuple(_theme(path, i, t) for i, t in enumerate(raw["themes"]))
    ids = [t.theme_id for t in themes]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise _fail(path, "themes", f"duplicate theme id(s): {', '.join(duplicates)}")
    missing = [c for c in CORE_THEMES if c not in ids]
    if missing:
        raise _fail(path, "themes", f"core theme(s) missing: {', '.join(missing)}")
    for i, t in enumerate(themes):
        if t.parent_theme_id is not None and t.parent_theme_id not in ids:
            raise _fail(path, f"themes[{i}].parent", f"parent {t.parent_theme_id!r} is not a theme id")
    polarity = raw.get("polarity")
    if not isinstance(polarity, dict):
        raise _fail(path, "polarity", f"a mapping with the cue lists {', '.join(CUE_LISTS)} is required")
    unknown = sorted(set(polarity) - set(CUE_LISTS))
    if unknown:
        raise _fail(path, f"polarity.{unknown[0]}", f"unknown cue list (allowed: {', '.join(CUE_LISTS)})")
    cues: dict[str, tuple[str, ...]] = {}
    for name in CUE_LISTS:
        items = polarity.get(name)
        if not isinstance(items, list) or not items:
            raise _fail(path, f"polarity.{name}", "a non-empty list of regexes is required")
        cues[name] = tuple(_check_pattern(path, f"polarity.{name}[{j}]", p) for j, p in enumerate(items))
    codebook = Codebook(version=version, theme_list=themes, cues=cues, path=path)
    _check_re2(path, codebook)
    return codebook
