"""What the layers produce: planned items and their results."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

@dataclass
class ItemSpec:
    """One check the run will make; becomes one pytest item."""

    id: str  # "L1::roundtrip[reference]::discrete_fs1"
    layer: str  # "L1" | "L2" | "L3" | "ledger"
    variant: str
    name: str
    run: Callable  # run(pair) -> ItemResult


@dataclass
class ItemResult:
    outcome: str  # passed | failed | xfailed | error | inconclusive | fixed | not_run
    summary: str
    seconds: float = 0.0
    examples: int | None = None
    divergence: object = None  # equiv._compare.Divergence
    stats: dict | None = None
    ledger: list = field(default_factory=list)
    message: str = ""  # the full text shown when the item fails

    def to_json(self, spec: ItemSpec) -> dict:
        return {"id": spec.id, "name": spec.name, "layer": spec.layer, "variant": spec.variant,
                "outcome": self.outcome, "seconds": round(self.seconds, 4), "summary": self.summary,
                "examples": self.examples,
                "divergence": None if self.divergence is None else self.divergence.to_json(),
                "stats": self.stats, "ledger": list(self.ledger), "message": self.message}


def item_id(layer: str, name: str, variant: str) -> str:
    return f"{layer}::{name}::{variant}"
