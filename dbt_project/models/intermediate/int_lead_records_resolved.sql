-- One row per lead record with its prospect, company and identity status.
with clustered as (
    select
        keyed.*,
        clusters.cluster_label,
        clusters.is_converged,
        clusters.match_reason,
        clusters.match_score
    from {{ ref('int_lead_records_keyed') }} as keyed
    inner join {{ ref('int_lead_records_clustered') }} as clusters
        on keyed.lead_record_id = clusters.lead_record_id
),

anchor_candidates as (
    select
        cluster_label,
        ingested_on,
        1 as strength,
        'e:' || email_key as identity_key
    from clustered
    where email_key is not null
    union all
    select
        cluster_label,
        ingested_on,
        2 as strength,
        'p:' || phone_e164 as identity_key
    from clustered
    where phone_e164 is not null
    union all
    select
        cluster_label,
        ingested_on,
        3 as strength,
        'n:' || name_company_key as identity_key
    from clustered
    where name_company_key is not null
    union all
    select
        cluster_label,
        ingested_on,
        4 as strength,
        'r:' || lead_record_id as identity_key
    from clustered
),

-- the prospect id hangs on the first key ever seen for the person, so the same
-- input in any order gives the same id and a later source never renumbers it
anchors as (
    select
        cluster_label,
        identity_key,
        ingested_on,
        row_number() over (
            partition by cluster_label order by ingested_on, strength, identity_key
        ) as anchor_rank
    from anchor_candidates
),

-- a key can be the first of two clusters (a number shared by people it does not link):
-- the cluster that had it first keeps the plain key, and any other adds its first record
-- (by ingestion, then source and record), so neither id moves when the other arrives
first_records as (
    select
        cluster_label,
        first_record
    from (
        select
            cluster_label,
            source_id || ':' || source_record as first_record,
            row_number() over (
                partition by cluster_label
                order by ingested_on, captured_on, source_id, source_record, lead_record_id
            ) as record_rank
        from clustered
    ) as ordered
    where record_rank = 1
),

anchor_owners as (
    select
        anchors.cluster_label,
        anchors.identity_key,
        first_records.first_record,
        row_number() over (
            partition by anchors.identity_key order by anchors.ingested_on, first_records.first_record
        ) as owner_rank
    from anchors
    inner join first_records on anchors.cluster_label = first_records.cluster_label
    where anchors.anchor_rank = 1
),

prospect_ids as (
    select
        cluster_label,
        'pr_' || substr(
            {{ dbt.hash("case when owner_rank = 1 then identity_key else identity_key || '|' || first_record end") }},
            1, 16
        ) as prospect_id
    from anchor_owners
),

-- two records of one cluster sharing an address, or a number as identity compares it
-- (phone_key: an unallocated number too; a number shared by people it did not link, a
-- switchboard, is no conflict: those are in two clusters)
same_key_pairs as (
    {%- for shared in ['email_key', 'phone_key'] %}
        {{ 'union all' if not loop.first }}
        select
            left_record.cluster_label,
            {{ names_conflict('left_record', 'right_record') }} as names_conflict,
            left_record.company_domain as left_company,
            right_record.company_domain as right_company
        from clustered as left_record
        inner join clustered as right_record
            on
                left_record.{{ shared }} = right_record.{{ shared }}
                {%- if shared == 'phone_key' %}
                    and left_record.cluster_label = right_record.cluster_label
                {%- endif %}
                and left_record.lead_record_id < right_record.lead_record_id
    {%- endfor %}
),

-- one address or number used by two different people, or at two companies
conflicts as (
    select
        cluster_label,
        count(*) as conflicting_pairs
    from same_key_pairs
    where
        names_conflict
        or (left_company is not null and right_company is not null and left_company != right_company)
    group by cluster_label
),

cluster_facts as (
    select
        cluster_label,
        count(*) as record_count,
        max(case when email_key is not null and not is_free_mail and email_domain = company_domain then 1 else 0 end)
            as has_work_email_at_company,
        max(case when email_key is not null and has_existing_relationship then 1 else 0 end) as has_known_relationship,
        max(case when match_reason in ('same name at company domain', 'same name, similar email', 'same phone at company', 'same name in city', 'similar name at company') then 1 else 0 end)
            as has_name_match_only,
        max(case when email_key is not null and first_name is not null and company_name is not null then 1 else 0 end) as has_named_email
    from clustered
    group by cluster_label
),

ranked as (
    select
        clustered.*,
        row_number() over (
            partition by clustered.cluster_label
            order by clustered.ingested_on, clustered.captured_on, clustered.source_id, clustered.source_record, clustered.lead_record_id
        ) as record_rank
    from clustered
),

final as (
    select
        ranked.lead_record_id,
        ranked.source_id,
        ranked.source_record,
        prospect_ids.prospect_id,
        case
            when ranked.company_domain is not null then 'co_' || substr({{ dbt.hash('ranked.company_domain') }}, 1, 16)
            when ranked.company_name is not null then 'co_' || substr({{ dbt.hash('lower(ranked.company_name)') }}, 1, 16)
        end as company_id,
        case
            when conflicts.cluster_label is not null then 'Conflicting'
            when cluster_facts.has_work_email_at_company = 1 or cluster_facts.has_known_relationship = 1 then 'Verified'
            when cluster_facts.has_name_match_only = 1 or cluster_facts.has_named_email = 1 then 'Probable'
            else 'Unverified'
        end as prospect_identity_status,
        case
            when conflicts.cluster_label is not null then 'Conflicting'
            when ranked.record_rank > 1 then 'Duplicate'
            when cluster_facts.has_work_email_at_company = 1 or cluster_facts.has_known_relationship = 1 then 'Verified'
            when cluster_facts.has_name_match_only = 1 or cluster_facts.has_named_email = 1 then 'Probable'
            else 'Unverified'
        end as identity_status,
        ranked.record_rank = 1 as is_primary_record,
        ranked.match_reason,
        ranked.match_score,
        cluster_facts.record_count,
        coalesce(conflicts.conflicting_pairs, 0) as conflicting_pairs,
        ranked.is_converged,
        ranked.first_name,
        ranked.last_name,
        ranked.email_key,
        ranked.email_address_key,
        ranked.email_domain,
        ranked.email_issue,
        ranked.phone_e164,
        ranked.company_name,
        ranked.company_domain,
        ranked.is_free_mail,
        ranked.is_role_address,
        ranked.role,
        ranked.country,
        ranked.city,
        ranked.captured_on,
        ranked.ingested_on,
        ranked.permission_type,
        ranked.permitted_use,
        ranked.jurisdiction,
        ranked.jurisdiction_basis,
        ranked.has_existing_relationship
    from ranked
    inner join prospect_ids on ranked.cluster_label = prospect_ids.cluster_label
    inner join cluster_facts on ranked.cluster_label = cluster_facts.cluster_label
    left join conflicts on ranked.cluster_label = conflicts.cluster_label
)

select * from final
