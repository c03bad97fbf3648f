-- One row per lead record with the identity keys it can be matched on.
with leads as (
    select * from {{ ref('stg_raw__leads') }}
),

sources as (
    select * from {{ ref('stg_config__lead_sources') }}
),

-- a record without a whole name whose address reads "first.last@" is named by it for
-- matching (a "Thompson" with raymond.thompson@ is not the Thomas Thompson on its
-- switchboard); the name as given is kept as it is
local_parts as (
    select
        leads.*,
        regexp_replace(leads.phone_as_given, '[^0-9]', '', 'g') as digits_given,
        case
            when
                (leads.first_name is null or leads.last_name is null)
                and split_part(leads.email_key, '@', 1) ~ '^[a-z]{2,}\.[a-z]{2,}$'
                then split_part(leads.email_key, '@', 1)
        end as dotted_local
    from leads
),

named as (
    select
        local_parts.*,
        coalesce(local_parts.first_name, split_part(local_parts.dotted_local, '.', 1)) as match_first,
        coalesce(local_parts.last_name, split_part(local_parts.dotted_local, '.', 2)) as match_last
    from local_parts
),

final as (
    select
        leads.lead_record_id,
        leads.source_id,
        leads.source_record,
        leads.captured_on,
        leads.ingested_on,
        leads.first_name,
        leads.last_name,
        leads.email_key as email_address_key,
        leads.email_domain,
        leads.email_issue,
        leads.phone_e164,
        -- the number as records are matched on it: E.164 when valid, else an international
        -- number's digits as given (a London "+44 20 5016 ..." that phonenumbers finds
        -- unallocated is still one line in two records; a national one needs its country)
        coalesce(
            leads.phone_e164,
            case
                when
                    leads.phone_as_given like '+%'
                    and length(leads.digits_given) between 8 and 15
                    then '+' || leads.digits_given
            end
        ) as phone_key,
        leads.company_name,
        leads.company_domain,
        leads.is_free_mail,
        leads.is_role_address,
        leads.role,
        leads.country,
        leads.city,
        sources.permission_type,
        sources.permitted_use,
        coalesce({{ recipient_country('leads.country') }}, sources.jurisdiction) as jurisdiction,
        case when {{ recipient_country('leads.country') }} is not null then 'recipient country' else 'lead source' end
            as jurisdiction_basis,
        sources.has_existing_relationship,
        -- a shared mailbox (info@, sales@) is not a person: it never links records
        case
            when leads.email_issue is null and not leads.is_role_address then leads.email_key
        end as email_key,
        lower(trim(coalesce(leads.first_name, '') || ' ' || coalesce(leads.last_name, ''))) as name_key,
        -- the name's parts in alphabetical order, so a swapped first and last name is the same
        -- name (name_2 is null when only one part is given), the city and company as compared
        lower(leads.first_name) as first_key,
        least(lower(leads.match_first), lower(leads.match_last)) as name_1,
        case
            when leads.match_first is not null and leads.match_last is not null
                then greatest(lower(leads.match_first), lower(leads.match_last))
        end as name_2,
        lower(leads.city) as city_key,
        coalesce(leads.company_domain, lower(leads.company_name)) as company_key,
        case
            when leads.last_name is not null and leads.first_name is not null and leads.company_domain is not null
                then lower(substr(leads.first_name, 1, 1)) || '.' || lower(leads.last_name) || '@' || leads.company_domain
        end as name_company_key
    from named as leads
    left join sources on leads.source_id = sources.source_id
)

select * from final
