"""The run date: one daily partition per business day; its key is `as_of` everywhere."""

from datetime import date

from dagster import DailyPartitionsDefinition

# end_offset=1: today's partition exists during the day, so a morning run can use it.
daily_partitions = DailyPartitionsDefinition(start_date="2025-01-01", end_offset=1)


def as_of_of(partition_key: str) -> date:
    """The run date a partition key names (the one conversion)."""
    return date.fromisoformat(partition_key)


def run_date(context) -> date:
    """The run date of an asset's or check's execution context (its partition key)."""
    return as_of_of(context.partition_key)
