-- The allowed transitions (seed allowed_transitions) resolved for every state x event
-- type: an exact row wins over a from-state wildcard, which wins over an event
-- wildcard. '=' keeps the state; FORBIDDEN or no row means the transition is not
-- allowed (to_state null), and a check fails on any such transition in the walk.
{{ transition_rules() }}
