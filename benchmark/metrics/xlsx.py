"""What VLMEvalKit's xlsx round trip does to one prediction, without pandas or an xlsx file.

VLMEvalKit stores every answer with ``str(answer)`` in a DataFrame, writes it with ``DataFrame.to_excel(...,
engine="xlsxwriter")`` and reads it back with ``pd.read_excel`` (openpyxl) before scoring.  Reproduced here
for xlsxwriter 3.3.1, openpyxl 3.1.5 and pandas 2.2.3 (the figures in tests/unit/test_scoring_profiles*.py
come from running those three libraries in a separate environment), rule by rule:

* ``None`` (no answer) is written as the text ``"None"`` by ``str()``;
* ``""`` is written as a blank cell;
* a text starting with ``=``, or starting with ``{=`` and ending with ``}``, is written as a formula whose
  cached value is 0, and read back as the number 0 (which ``post_process`` then treats as no answer: every
  score 0, but the row is counted);
* a text holding ``:`` that starts with ``http://``, ``https://``, ``ftp://``, ``ftps://``, ``mailto:``,
  ``internal:``, ``external:`` or ``file://`` is written as a hyperlink whose cell text drops ``mailto:`` /
  ``internal:`` (and turns ``external:`` / ``file://`` into a Windows path); a link or ``#`` anchor longer than
  2,079 UTF-16 units is not written at all (a blank cell);
* a text longer than 32,767 UTF-16 units is cut there (never inside a character above U+FFFF);
* control characters other than tab and newline come back as ``_xHHHH_`` (``\\r`` as ``_x000D_``), and
  U+FFFE / U+FFFF as ``_xFFFE_`` / ``_xFFFF_``; a literal ``_xHHHH_`` survives;
* a blank cell, and a text equal to one of pandas' default NA strings (``"None"``, ``"nan"``, ``"NA"``,
  ``"null"``, ``"#N/A"``, ...), is read back as NaN: VLMEvalKit leaves such rows out of every mean.

Not reproduced: the workbook-wide failure xlsxwriter raises for a link whose converted path exceeds its own
limit, and its 65,530-links-per-sheet cap (a CG-AV-Counting sheet has 3,081 rows).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

NA_STRINGS = frozenset({
    "", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN", "<NA>", "N/A",
    "NA", "NULL", "NaN", "None", "n/a", "nan", "null",
})
MAX_CHARS = 32767  # UTF-16 units
MAX_URL = 2079  # UTF-16 units, of the link and of its anchor

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\ufffe\uffff]")
_URL_START = re.compile(r"(?:(?:ftp|http)s?://|mailto:|(?:in|ex)ternal:|file://)")


@dataclass(frozen=True)
class Cell:
    """A prediction after the round trip. ``value``: the text read back, ``None`` for NaN (the row is dropped),
    or ``0`` (a formula: read back as the number 0). ``why``: what happened, ``""`` when it came back as it was."""

    value: str | int | None
    why: str = ""


def _utf16_len(text: str) -> int:
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF) if not text.isascii() else len(text)


def _utf16_cut(text: str, limit: int) -> str:
    if len(text) <= limit // 2 or _utf16_len(text) <= limit:
        return text
    length = 0
    for i, ch in enumerate(text):
        length += 2 if ord(ch) > 0xFFFF else 1
        if length > limit:
            return text[:i]
    return text


def _link_text(link: str) -> str:
    if link.startswith("mailto:"):
        return link.replace("mailto:", "", 1)
    if link.startswith("internal:"):
        return link.replace("internal:", "", 1)
    if link.startswith("file://") or link.startswith("external:"):
        path = link.replace("external:", "file:///", 1)
        return path.replace("file:///", "", 1).replace("file://", "", 1).replace("/", "\\")
    return link


def roundtrip(prediction: str | None) -> Cell:
    """The prediction as VLMEvalKit's scorer reads it back from its xlsx file."""
    text = "None" if prediction is None else prediction
    why = []
    if text == "":
        return Cell(None, "empty: written as a blank cell, read back as NaN (dropped)")
    if text.startswith("=") or (text.startswith("{=") and text.endswith("}")):
        return Cell(0, "starts with '=': written as a formula, read back as the number 0 (scored 0, kept)")
    if ":" in text and _URL_START.match(text):
        url, _, anchor = text.partition("#")
        if _utf16_len(url) > MAX_URL or _utf16_len(anchor) > MAX_URL:
            return Cell(None, f"a link longer than {MAX_URL} characters: not written, read back as NaN (dropped)")
        shown = _link_text(text)
        if shown != text:
            why.append("written as a hyperlink whose text drops its prefix")
        text = shown
    cut = _utf16_cut(text, MAX_CHARS)
    if cut != text:
        why.append(f"cut to {MAX_CHARS:,} characters")
        text = cut
    if _CONTROL.search(text):
        text = _CONTROL.sub(lambda m: f"_x{ord(m.group()):04X}_", text)
        why.append("control characters come back as _xHHHH_ (\\r as _x000D_)")
    if text in NA_STRINGS:
        if prediction is None:
            return Cell(None, "no answer: str(None) is 'None', read back as NaN (dropped)")
        return Cell(None, f"{text!r} is one of pandas' NA strings: read back as NaN (dropped)")
    return Cell(text, "; ".join(why))
