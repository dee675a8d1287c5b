"""What a call cost, from token counts and a price table (US dollars per million tokens).

The table comes from settings, e.g.
``{"gpt-4o-mini": {"input_per_million": 0.15, "output_per_million": 0.60}}``. Prices are converted through
``str`` so that 0.15 is exactly 0.15, not the nearest binary fraction.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any, Mapping

__all__ = ["estimate_cost"]

_MILLION = Decimal(1_000_000)
# "-2024-07-18" (OpenAI snapshots) or "-001" (Gemini versions).
_SNAPSHOT_RE = re.compile(r"-(\d{4}-\d{2}-\d{2}|\d{3})$")


def estimate_cost(prices: Mapping[str, Mapping[str, Any]], model: str, tokens_in: int, tokens_out: int) -> Decimal:
    """Dollars for one call; ``Decimal(0)`` for a model the table does not list.

    A snapshot name the table lacks (``gpt-4o-mini-2024-07-18``, ``gemini-2.0-flash-001``) is priced as the
    model it is a snapshot of, because providers answer with the snapshot's name of the model asked for.
    """
    if tokens_in < 0 or tokens_out < 0:
        raise ValueError(f"token counts cannot be negative, got {tokens_in} in and {tokens_out} out")
    entry = prices.get(model)
    if entry is None:
        entry = prices.get(_SNAPSHOT_RE.sub("", model))
        if entry is None:
            return Decimal(0)
    price_in = Decimal(str(entry.get("input_per_million", 0)))
    price_out = Decimal(str(entry.get("output_per_million", 0)))
    return (price_in * tokens_in + price_out * tokens_out) / _MILLION
