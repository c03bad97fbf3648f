"""Transform: the dbt project as Dagster assets (models, seeds, data tests as asset checks)."""
