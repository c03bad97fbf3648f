"""Drafting: governed drafts from the draft candidates, linted."""
