"""Data quality checks: Dagster asset checks (SQL) and Great Expectations suites."""
