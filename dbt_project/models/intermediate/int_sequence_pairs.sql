-- Every prospect x campaign with a sequence to track: each pair in the campaign's
-- audience (so every audience member has a CRM record from Discovered on), each pair
-- eligible today, and each pair something already happened in (a draft, a decision, a
-- send, an event naming the campaign), eligible or not, with what the walk needs of
-- its campaign.
with eligible as (
    select
        prospect_id,
        campaign_id
    from {{ ref('int_campaign_eligibility') }}
),

audience as (
    select
        prospect_id,
        campaign_id
    from {{ ref('int_campaign_audience') }}
),

campaign_events as (
    select distinct
        prospect_id,
        campaign_id
    from {{ ref('int_sequence_events') }}
    where applies_to = 'campaign' and campaign_id is not null
),

campaigns as (
    select * from {{ ref('stg_config__campaigns') }}
),

pairs as (
    select
        prospect_id,
        campaign_id
    from audience
    union
    select
        prospect_id,
        campaign_id
    from eligible
    union
    select
        prospect_id,
        campaign_id
    from campaign_events
),

final as (
    select
        pairs.prospect_id,
        pairs.campaign_id,
        campaigns.channel,
        campaigns.client_id,
        campaigns.sequence_id,
        campaigns.offer_id,
        campaigns.campaign_owner,
        -- a reactivation pair starts after the paused conversation: the person's facts from
        -- before this moment are not its sequence's (null: every fact counts)
        reactivation.reactivate_from as facts_from,
        exists(
            select 1 from eligible
            where eligible.prospect_id = pairs.prospect_id and eligible.campaign_id = pairs.campaign_id
        ) as is_eligible
    from pairs
    inner join campaigns on pairs.campaign_id = campaigns.campaign_id
    left join {{ ref('int_reactivation_pool') }} as reactivation
        on pairs.prospect_id = reactivation.prospect_id and pairs.campaign_id = reactivation.campaign_id
)

select * from final
