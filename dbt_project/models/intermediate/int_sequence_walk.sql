{{ config(tags=['after_drafting']) }}
-- One row per prospect x campaign x event, in order: the state before, the time
-- transition (if time moved the state first), the state after, and whether the rule
-- table allows the transition.
{{ sequence_walk() }}
