"""Pairwise precision, recall and F1 of a clustering against true clusters."""

from dataclasses import dataclass

import polars as pl


@dataclass(frozen=True)
class PairScores:
    records: int
    predicted_pairs: int
    true_pairs: int
    correct_pairs: int

    @property
    def precision(self) -> float:
        return self.correct_pairs / self.predicted_pairs if self.predicted_pairs else 1.0

    @property
    def recall(self) -> float:
        return self.correct_pairs / self.true_pairs if self.true_pairs else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def line(self, label: str) -> str:
        return (
            f"{label}: {self.records} records, {self.predicted_pairs} pairs put together, "
            f"{self.true_pairs} true pairs, {self.correct_pairs} correct -> precision "
            f"{self.precision:.3f}, recall {self.recall:.3f}, F1 {self.f1:.3f}"
        )


def _pairs(sizes: pl.Series) -> int:
    return int((sizes * (sizes - 1) // 2).sum())


def pair_scores(frame: pl.DataFrame, predicted: str, truth: str) -> PairScores:
    """`frame` has one row per record, a predicted cluster id and a true cluster id."""
    return PairScores(
        records=frame.height,
        predicted_pairs=_pairs(frame.group_by(predicted).len()["len"]),
        true_pairs=_pairs(frame.group_by(truth).len()["len"]),
        correct_pairs=_pairs(frame.group_by(predicted, truth).len()["len"]),
    )
