"""What every export asset is: `exports/<name>` for a run date, written after the marts it
reads, one run per day."""

from dagster import AssetKey, BackfillPolicy, asset

from assets.transform.dbt_assets import model_key
from core.partitions import daily_partitions


def daily_export(name: str, reads: list[str], description: str, kinds=("python", "html")):
    """The decorator of an export asset that reads the dbt models named in `reads`."""
    return asset(
        key=AssetKey(["exports", name]),
        group_name="exports",
        partitions_def=daily_partitions,
        backfill_policy=BackfillPolicy.multi_run(1),
        deps=[model_key(model) for model in reads],
        kinds=set(kinds),
        description=" ".join(description.split()),
    )
