"""mwms-outreach: the Dagster code location and the pieces it assembles."""
