{{ config(tags=['after_drafting']) }}
-- One row per prospect x campaign: the sequence state on the run date (framework
-- Reply And Follow Up State Machine), derived from the event log, never typed in;
-- the next step and when it is due; why it is in that state, and the evidence of the
-- last fact that moved it. One state across channels: a reply, bounce or booking in
-- one campaign moves every campaign of the prospect.
{{ sequence_states(ref('int_sequence_walk')) }}
