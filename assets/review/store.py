"""The tables drafting and human review own in the warehouse (schemas drafting, review).

Created here, once, with their types, so dbt sources and the importer always find them."""

from dagster import AssetKey, AssetSpec

review_bookkeeping = [
    AssetSpec(
        AssetKey(["review", "decisions"]),
        group_name="review",
        description=(
            "review.decisions: one row per accepted reviewer decision, bound to the draft's "
            "content hash at export; written by `outreach queue import` and the decisions sensor. "
            "Refused rows are in review.rejected_decisions with the reason."
        ),
    ),
]
