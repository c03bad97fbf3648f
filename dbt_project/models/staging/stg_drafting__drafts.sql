{{ config(tags=['after_drafting']) }}

with source as (
    select * from {{ source('drafting', 'drafts') }}
),

final as (
    select * from source
)

-- the lint columns (lint_<rule>) follow core/message_lint.py RULES: passed through, not listed twice
select * from final  -- noqa: AM04
