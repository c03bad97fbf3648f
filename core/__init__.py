"""The ground floor: config, workspace, partitions, the warehouse, the operational schema, keys and
the rules every stage shares. Imports nothing of the floors above (assets, checks,
dagster_project)."""
