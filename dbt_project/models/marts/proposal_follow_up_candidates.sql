-- One row per prospect x campaign whose proposal is Follow-Up Due on the run date
-- (int_proposal_states) and who may be written to: an email campaign that may draft, a
-- person not suppressed who never opted out or complained. Drafting writes one Proposal
-- Follow-Up from it (assets/drafting/proposal_follow_ups.py) that cites the proposal's
-- version, date and scope and states no other price or scope (lint
-- no_unapproved_commitment, with the record's terms as the only approved ones).
with states as (
    select * from {{ ref('int_proposal_states') }}
    where proposal_state = 'Follow-Up Due'
),

campaigns as (
    select * from {{ ref('stg_config__campaigns') }}
),

prospects as (
    select * from {{ ref('prospects') }}
),

stopped as (
    select distinct prospect_id from {{ ref('stg_inbound__messages') }}
    where creates_suppression and prospect_id is not null
),

-- one follow-up per person: a proposal recorded against the person, not a campaign, is
-- followed up in the campaign they were last written to in
last_sent as (
    select
        prospect_id,
        campaign_id,
        max(sent_at) as last_sent_at
    from {{ ref('stg_send__records') }}
    where sent_status = 'sent'
    group by prospect_id, campaign_id
),

may_write as (
    select
        states.prospect_id,
        states.campaign_id,
        campaigns.offer_id,
        prospects.email as recipient,
        prospects.first_name,
        prospects.company_name,
        states.proposal_version,
        states.proposal_scope,
        states.proposal_price,
        states.proposal_sent_on,
        states.proposal_owner,
        states.follow_ups_sent + 1 as follow_up_number
    from states
    inner join campaigns on states.campaign_id = campaigns.campaign_id
    inner join prospects on states.prospect_id = prospects.prospect_id
    left join stopped on states.prospect_id = stopped.prospect_id
    where
        campaigns.channel = 'email'
        and campaigns.send_authority in {{ send_authorities_that('may_draft') }}
        and prospects.email is not null
        and not prospects.is_suppressed
        and stopped.prospect_id is null
),

ranked as (
    select
        may_write.*,
        row_number() over (
            partition by may_write.prospect_id
            order by last_sent.last_sent_at desc nulls last, may_write.campaign_id asc
        ) as pair_rank
    from may_write
    left join last_sent
        on may_write.prospect_id = last_sent.prospect_id and may_write.campaign_id = last_sent.campaign_id
),

final as (
    select
        prospect_id,
        campaign_id,
        offer_id,
        recipient,
        first_name,
        company_name,
        proposal_version,
        proposal_scope,
        proposal_price,
        proposal_sent_on,
        proposal_owner,
        follow_up_number
    from ranked
    where pair_rank = 1
)

select * from final
