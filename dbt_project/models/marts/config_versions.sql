{{ config(tags=['after_drafting']) }}
-- Versioned learning: one row per campaign x configuration version (the content hash of
-- the workspace configuration), in the order the versions were used, with what changed
-- for this campaign since the version before (claims, CTAs, targeting, templates,
-- sequence, scoring, messaging, experiments, campaign settings, sources), and the
-- figures of the messages made under it: drafts, reviewer decisions, sends and the
-- replies to those sends, beside the previous version's (before/after). A change only
-- ever comes from a person editing config: the pipeline never writes it.
{%- set parts = ['claims', 'ctas', 'targeting', 'templates', 'sequence', 'scoring', 'messaging', 'experiments', 'campaign', 'sources'] %}
{%- set rates = ['approval_rate', 'edit_rate', 'reply_rate', 'positive_reply_rate'] %}
with history as (
    select * from {{ ref('stg_config__version_history') }}
),

ordered as (
    select
        history.*,
        row_number() over (partition by history.campaign_id order by history.first_seen_on, history.config_version) as version_number
    from history
),

with_previous as (
    select
        ordered.*,
        lag(ordered.config_version) over (partition by ordered.campaign_id order by ordered.version_number) as previous_version
        {%- for part in parts %}
            ,
            lag({{ part }}_hash) over (partition by ordered.campaign_id order by ordered.version_number) as previous_{{ part }}_hash
    
        {%- endfor %}
    from ordered
),

drafts as (
    select
        campaign_id,
        config_version,
        count(distinct communication_id) as drafts
    from {{ ref('stg_drafting__draft_history') }}
    group by campaign_id, config_version
),

decisions as (
    select
        campaign_id,
        config_version,
        {{ review_decision_counts() }}
    from {{ ref('stg_review__decisions') }}
    group by campaign_id, config_version
),

sent as (
    select
        communication_id,
        campaign_id,
        config_version
    from {{ ref('stg_send__records') }}
    where sent_status = 'sent'
),

replies as (
    select
        sent.campaign_id,
        sent.config_version,
        count(distinct case when inbound.reply_class not in ('Out Of Office', 'Bounce') then inbound.communication_id end) as replies,
        count(distinct case when inbound.reply_class in ('Interested', 'Booked') then inbound.communication_id end) as positive_replies,
        count(distinct case when inbound.reply_class = 'Objection' then inbound.communication_id end) as objections,
        count(distinct case when inbound.reply_class = 'Complaint' then inbound.communication_id end) as complaints
    from sent
    inner join {{ ref('stg_inbound__messages') }} as inbound on sent.communication_id = inbound.communication_id
    group by sent.campaign_id, sent.config_version
),

sends as (
    select
        campaign_id,
        config_version,
        count(distinct communication_id) as messages_sent
    from sent
    group by campaign_id, config_version
),

measured as (
    select
        with_previous.*,
        coalesce(drafts.drafts, 0) as drafts,
        coalesce(decisions.decisions, 0) as decisions,
        coalesce(decisions.approvals, 0) as approvals,
        coalesce(decisions.edits, 0) as edits,
        coalesce(decisions.rejections, 0) as rejections,
        coalesce(sends.messages_sent, 0) as messages_sent,
        coalesce(replies.replies, 0) as replies,
        coalesce(replies.positive_replies, 0) as positive_replies,
        coalesce(replies.objections, 0) as objections,
        coalesce(replies.complaints, 0) as complaints,
        {{ ratio('decisions.approvals', 'decisions.decisions') }} as approval_rate,
        {{ ratio('decisions.edits', 'decisions.approvals') }} as edit_rate,
        {{ ratio('replies.replies', 'sends.messages_sent') }} as reply_rate,
        {{ ratio('replies.positive_replies', 'sends.messages_sent') }} as positive_reply_rate
    from with_previous
    left join drafts
        on with_previous.campaign_id = drafts.campaign_id and with_previous.config_version = drafts.config_version
    left join decisions
        on with_previous.campaign_id = decisions.campaign_id and with_previous.config_version = decisions.config_version
    left join sends
        on with_previous.campaign_id = sends.campaign_id and with_previous.config_version = sends.config_version
    left join replies
        on with_previous.campaign_id = replies.campaign_id and with_previous.config_version = replies.config_version
),

final as (
    select
        campaign_id,
        config_version,
        version_number,
        first_seen_on,
        last_seen_on,
        previous_version,
        case
            when previous_version is null then 'first version'
            else coalesce(
                nullif(
                    {%- for part in parts %}
                        case when {{ part }}_hash <> previous_{{ part }}_hash then '{{ part }} ' else '' end
                        {%- if not loop.last %} || {% endif %}
                    {%- endfor %},
                    ''
                ),
                'no change for this campaign (another campaign''s configuration changed)'
            )
        end as changed_parts,
        drafts,
        decisions,
        approvals,
        edits,
        rejections,
        messages_sent,
        replies,
        positive_replies,
        objections,
        complaints
        {%- for rate in rates %}
            ,
            {{ rate }},
            lag({{ rate }}) over (partition by campaign_id order by version_number) as previous_{{ rate }}
    
        {%- endfor %}
    from measured
)

select * from final
