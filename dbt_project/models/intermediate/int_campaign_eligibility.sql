-- Prospect x campaign pairs eligible for outreach: in the campaign's audience, qualified (Priority One or
-- Two), permitted on the campaign's channel, not suppressed (globally, on the
-- channel, or for the campaign's client), identity Verified or
-- Probable, in a campaign whose authority allows drafting, with the one safe
-- evidence point drafting may use.
with qualified as (
    select * from {{ ref('int_prospect_offers_qualified') }}
),

prospects as (
    select * from {{ ref('int_prospects_resolved') }}
),

permitted as (
    select * from {{ ref('int_prospect_channels_permitted') }}
),

campaigns as (
    select * from {{ ref('stg_config__campaigns') }}
),

in_audience as (
    select * from {{ ref('int_campaign_audience') }}
),

client_suppressions as (
    select * from {{ ref('int_prospects_suppressed') }}
    where scope = 'client'
),

evidence as (
    select * from {{ ref('int_evidence_classified') }}
),

-- the smallest safe point: the strongest class, then the newest, then a stable id
-- what may be mentioned about the prospect's company, or what the prospect asked us
-- themselves (an inbound form's inquiry: the first thing to answer)
matched_evidence as (
    {%- for joined_on, only_when in [
        ('prospects.company_domain = evidence.company_domain', 'true'),
        ('prospects.email = evidence.email_key', 'evidence.company_domain is null'),
    ] %}
        {{ 'union all' if not loop.first }}
        select
            prospects.prospect_id,
            evidence.evidence_id,
            evidence.evidence_class,
            evidence.category,
            evidence.observation,
            evidence.source_url,
            evidence.source_on
        from prospects
        inner join evidence on {{ joined_on }}
        where evidence.is_safe_to_mention and {{ only_when }}
    {%- endfor %}
),

ranked_evidence as (
    select
        prospect_id,
        evidence_id,
        evidence_class,
        category,
        observation,
        source_url,
        source_on,
        row_number() over (
            partition by prospect_id
            order by
                case when category = 'inquiry' then 0 when evidence_class = 'Verified Fact' then 1 else 2 end,
                source_on desc, evidence_id asc
        ) as evidence_rank
    from matched_evidence
),

final as (
    select
        qualified.prospect_id,
        campaigns.campaign_id,
        campaigns.client_id,
        campaigns.offer_id,
        campaigns.channel,
        campaigns.send_authority,
        qualified.priority,
        qualified.priority_reasons,
        prospects.identity_status,
        permitted.lawful_basis,
        ranked_evidence.evidence_id,
        ranked_evidence.evidence_class,
        ranked_evidence.category as evidence_category,
        ranked_evidence.observation as evidence_observation,
        ranked_evidence.source_url as evidence_source_url,
        ranked_evidence.source_on as evidence_source_on
    from qualified
    inner join campaigns on qualified.offer_id = campaigns.offer_id
    inner join prospects on qualified.prospect_id = prospects.prospect_id
    inner join in_audience
        on qualified.prospect_id = in_audience.prospect_id and campaigns.campaign_id = in_audience.campaign_id
    inner join permitted
        on qualified.prospect_id = permitted.prospect_id and campaigns.channel = permitted.channel
    inner join ranked_evidence
        on qualified.prospect_id = ranked_evidence.prospect_id and ranked_evidence.evidence_rank = 1
    left join client_suppressions
        on
            qualified.prospect_id = client_suppressions.prospect_id
            and campaigns.client_id = client_suppressions.scope_value
    where
        qualified.priority in ('Priority One', 'Priority Two')
        and permitted.is_permitted
        and not prospects.is_suppressed
        and client_suppressions.prospect_id is null
        and prospects.identity_status in ('Verified', 'Probable')
        and campaigns.send_authority in {{ send_authorities_that('may_draft') }}
)

select * from final
