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
    AssetSpec(
        AssetKey(["review", "breach_acknowledgements"]),
        group_name="review",
        description=(
            "review.breach_acknowledgements: one row per human acknowledgement of a pilot-gate "
            "breach (`outreach acknowledge-breach`): who, why, when, the last day it covers."
        ),
    ),
    AssetSpec(
        AssetKey(["review", "crm_audits"]),
        group_name="review",
        description=(
            "review.crm_audits: one row per CRM record a human checked against the evidence "
            "(`outreach audit-crm`): the stage the pipeline showed, the stage the human found, "
            "who and when. The measure of CRM accuracy (marts.funnel_campaign)."
        ),
    ),
]
