-- The state of every prospect x campaign when the run starts, before the day's
-- drafting: which step each open sequence drafts next (draft_candidates reads it).
-- marts.sequence_states is the same machine after drafting.
{{ sequence_states('(' ~ sequence_walk() ~ ') as walked') }}
