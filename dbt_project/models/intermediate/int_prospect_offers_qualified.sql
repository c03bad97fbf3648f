-- One row per prospect x offer: the framework's qualification factors as columns,
-- points from config/scoring.yml, and a priority with its reasons. Contact data
-- alone never qualifies anyone: points come from fit, evidence and relationship.
with prospects as (
    select * from {{ ref('int_prospects_resolved') }}
),

offers as (
    select * from {{ ref('stg_config__offers') }}
),

offer_roles as (
    select * from {{ ref('stg_config__offer_buyer_roles') }}
),

offer_countries as (
    select * from {{ ref('stg_config__offer_countries') }}
),

rules as (
    select * from {{ ref('stg_config__scoring_rules') }}
),

thresholds as (
    select
        max(priority_one_min) as one_min,
        max(priority_two_min) as two_min,
        max(priority_three_min) as three_min
    from rules
),

permitted as (
    select
        prospect_id,
        max(case when is_permitted then 1 else 0 end) as has_permitted_channel
    from {{ ref('int_prospect_channels_permitted') }}
    group by prospect_id
),

factors as (
    select
        prospects.prospect_id,
        offers.offer_id,
        prospects.has_live_signal as has_timing_signal,
        prospects.has_existing_relationship,
        prospects.is_role_address,
        prospects.is_suppressed,
        prospects.is_disqualified,
        prospects.identity_status,
        offer_roles.role is not null as is_role_fit,
        offer_countries.country is not null as is_market_fit,
        prospects.safe_evidence_count > 0 as has_problem_evidence,
        prospects.identity_status = 'Verified' as is_identity_verified,
        coalesce(permitted.has_permitted_channel, 0) = 1 as has_permitted_channel
    from prospects
    cross join offers
    left join offer_roles on offers.offer_id = offer_roles.offer_id and prospects.role = offer_roles.role
    left join offer_countries on offers.offer_id = offer_countries.offer_id and prospects.country = offer_countries.country
    left join permitted on prospects.prospect_id = permitted.prospect_id
),

scored as (
    select
        factors.*,
        coalesce(sum(
            case
                when rules.factor = 'role_fit' and factors.is_role_fit then rules.points
                when rules.factor = 'market_fit' and factors.is_market_fit then rules.points
                when rules.factor = 'problem_evidence' and factors.has_problem_evidence then rules.points
                when rules.factor = 'timing' and factors.has_timing_signal then rules.points
                when rules.factor = 'relationship' and factors.has_existing_relationship then rules.points
                when rules.factor = 'identity' and factors.is_identity_verified then rules.points
                when rules.factor = 'reachability' and factors.is_role_address then rules.points
                else 0
            end
        ), 0) as score
    from factors
    cross join rules
    group by
        factors.prospect_id, factors.offer_id, factors.is_role_fit, factors.is_market_fit,
        factors.has_problem_evidence, factors.has_timing_signal, factors.has_existing_relationship,
        factors.is_identity_verified, factors.is_role_address, factors.is_suppressed,
        factors.is_disqualified, factors.identity_status, factors.has_permitted_channel
),

final as (
    select
        scored.*,
        case
            when scored.is_suppressed then 'Rejected'
            when scored.is_disqualified then 'Rejected'
            when scored.identity_status = 'Conflicting' then 'Rejected'
            when not scored.has_permitted_channel then 'Rejected'
            when scored.score >= thresholds.one_min then 'Priority One'
            when scored.score >= thresholds.two_min then 'Priority Two'
            when scored.score >= thresholds.three_min then 'Priority Three'
            else 'Parked'
        end as priority,
        case
            when scored.is_suppressed then 'suppressed'
            when scored.is_disqualified then 'disqualified by a recorded event'
            when scored.identity_status = 'Conflicting' then 'conflicting identity'
            when not scored.has_permitted_channel then 'no permitted channel'
            else concat_ws(
                ', ',
                case when scored.is_role_fit then 'role fit' else 'role not a buyer role' end,
                case when scored.is_market_fit then 'served market' else 'market not served' end,
                case when scored.has_problem_evidence then 'safe problem evidence' else 'no safe evidence' end,
                case when scored.has_timing_signal then 'live timing signal' end,
                case when scored.has_existing_relationship then 'existing relationship' end,
                case when scored.is_identity_verified then 'identity verified' end,
                case when scored.is_role_address then 'shared mailbox' end
            ) || ' (score ' || cast(scored.score as varchar) || ')'
        end as priority_reasons
    from scored
    cross join thresholds
)

select * from final
