-- One row per live signal x qualified prospect at the signal's company (observed by the
-- run date, not expired): a research task, never a message. The framework's Signal
-- Trigger Requirements: the signal, its source and date, the prospect, its relevance (the
-- offer and priority it qualified for), the permission context, the recommended action
-- and the expiry; and what must not be assumed (a signal may improve timing; it does not
-- prove buyer need or authorise contact). The review export lists them; the prospect's
-- brief shows the signal's words. A Referral reply is a research task too (signal_type
-- referral): verify the person it names before anyone contacts them.
with signals as (
    select * from {{ ref('stg_raw__signals') }}
    where observed_on <= {{ as_of() }} and expires_on >= {{ as_of() }}
),

prospects as (
    select * from {{ ref('prospects') }}
),

qualified as (
    select
        prospect_id,
        offer_id,
        priority,
        priority_reasons,
        row_number() over (
            partition by prospect_id
            order by case priority when 'Priority One' then 1 when 'Priority Two' then 2 else 3 end, offer_id
        ) as offer_rank
    from {{ ref('int_prospect_offers_qualified') }}
    where priority in ('Priority One', 'Priority Two', 'Priority Three')
),

referrals as (
    select * from {{ ref('reply_tasks') }}
    where reply_class = 'Referral' and prospect_id is not null
),

campaigns as (
    select * from {{ ref('stg_config__campaigns') }}
),

signal_tasks as (
    select
        signals.signal_ref,
        prospects.prospect_id,
        prospects.company_name,
        signals.signal_type,
        signals.description as signal_text,
        signals.source_url,
        signals.observed_on,
        signals.expires_on,
        qualified.offer_id,
        qualified.priority,
        qualified.priority_reasons as relevance,
        prospects.permission_type as permission_context,
        'tk_signal_' || signals.signal_record_id || '_' || substr(prospects.prospect_id, 4) as task_id,
        trim(coalesce(prospects.first_name, '') || ' ' || coalesce(prospects.last_name, '')) as prospect_name,
        'confirm the signal from its source and whether it bears on the offer; update the '
        || 'brief; no message rests on it until a human has' as recommended_action,
        'a signal may improve timing; it does not prove buyer need or authorise contact, '
        || 'and it expires on ' || cast(signals.expires_on as varchar) as must_not_assume
    from signals
    inner join prospects on signals.company_domain = prospects.company_domain
    inner join qualified on prospects.prospect_id = qualified.prospect_id and qualified.offer_rank = 1
    where not prospects.is_suppressed
),

referral_tasks as (
    select
        referrals.message_hash as signal_ref,
        referrals.prospect_id,
        referrals.company_name,
        'referral' as signal_type,
        'named ' || coalesce(referrals.referred_contact, 'someone (no address given)') || ': '
        || coalesce(referrals.reply_text, '') as signal_text,
        cast(null as varchar) as source_url,
        cast(referrals.received_at as date) as observed_on,
        cast({{ dbt.dateadd('day', 30, 'cast(referrals.received_at as date)') }} as date) as expires_on,
        campaigns.offer_id,
        cast(null as varchar) as priority,
        cast(null as varchar) as relevance,
        prospects.permission_type as permission_context,
        'tk_referral_' || left(referrals.message_hash, 20) as task_id,
        referrals.prospect_name,
        'verify the person the reply names (who they are, their role, whether they may be '
        || 'contacted, on what basis) before anyone writes to them' as recommended_action,
        'a referral is not permission: the person named has not asked to hear from us, and '
        || 'the referrer may be wrong about their role' as must_not_assume
    from referrals
    inner join prospects on referrals.prospect_id = prospects.prospect_id
    left join campaigns on referrals.campaign_id = campaigns.campaign_id
),

final as (
    select * from signal_tasks
    union all
    select * from referral_tasks
)

select * from final
