"""Review: the decisions store and the import of reviewer decisions."""
