"""Python assets: ingestion now; drafting, review, inbound mail and reports as they arrive."""
