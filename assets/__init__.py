"""The middle floor: the pipeline's stages in flow order (ingestion, inbound, privacy,
transform, drafting, review, exports), each a package of its Dagster assets and the library
code they use. Imports core only, never dagster_project."""
