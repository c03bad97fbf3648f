{#- How alike two normalised names are, 0 to 1: Jaro-Winkler. DuckDB has it built in;
    on PostgreSQL the run's on-run-start hook creates the same function (below);
    elsewhere exact equality is the fallback. -#}
{% macro name_similarity(a, b) -%}
    {{ return(adapter.dispatch('name_similarity')(a, b)) }}
{%- endmacro %}

{% macro default__name_similarity(a, b) -%}
    case when {{ a }} = {{ b }} then 1.0 else 0.0 end
{%- endmacro %}

{% macro postgres__name_similarity(a, b) -%}
    public.jaro_winkler_similarity({{ a }}, {{ b }})
{%- endmacro %}

{% macro duckdb__name_similarity(a, b) -%}
    jaro_winkler_similarity({{ a }}, {{ b }})
{%- endmacro %}

{#- Edits (insertions, deletions, substitutions, transpositions) between two strings:
    what a typo does. Unlike Jaro-Winkler it does not forgive a different surname after
    a shared first name. -#}
{% macro edit_distance(a, b) -%}
    {{ return(adapter.dispatch('edit_distance')(a, b)) }}
{%- endmacro %}

{% macro default__edit_distance(a, b) -%}
    levenshtein({{ a }}, {{ b }})
{%- endmacro %}

{% macro duckdb__edit_distance(a, b) -%}
    damerau_levenshtein({{ a }}, {{ b }})
{%- endmacro %}

{#- PostgreSQL: Levenshtein from the fuzzystrmatch extension (Debian's server packages
    ship it; the run's on-run-start hook creates it), which counts a transposition as
    two edits: a little stricter than DuckDB's Damerau-Levenshtein. -#}
{% macro postgres__edit_distance(a, b) -%}
    levenshtein({{ a }}, {{ b }})
{%- endmacro %}

{#- What a target needs before the models run. PostgreSQL: fuzzystrmatch (a trusted
    extension: the warehouse's owner may create it) and Jaro-Winkler as DuckDB computes
    it (matches within half the longer length less one, half the out-of-order matches
    as transpositions, a 0.1 bonus per shared leading character up to four when the
    Jaro similarity is over 0.7). Nothing on DuckDB. -#}
{% macro prepare_warehouse() -%}
    {{ return(adapter.dispatch('prepare_warehouse')()) }}
{%- endmacro %}

{% macro default__prepare_warehouse() -%}
    select 1
{%- endmacro %}

{% macro postgres__prepare_warehouse() -%}
    create extension if not exists fuzzystrmatch;
    create or replace function public.jaro_winkler_similarity(s1 text, s2 text)
    returns double precision language plpgsql immutable strict as $jw$
    declare
        l1 int := length(s1);
        l2 int := length(s2);
        reach int;
        m int := 0;
        t int := 0;
        k int := 1;
        prefix int := 0;
        f1 boolean[];
        f2 boolean[];
        jaro double precision;
    begin
        if l1 = 0 or l2 = 0 then return 0.0; end if;  -- as DuckDB: even two empty strings
        reach := greatest(greatest(l1, l2) / 2 - 1, 0);
        f1 := array_fill(false, array[l1]);
        f2 := array_fill(false, array[l2]);
        for i in 1..l1 loop
            for j in greatest(1, i - reach)..least(l2, i + reach) loop
                if not f2[j] and substr(s1, i, 1) = substr(s2, j, 1) then
                    f1[i] := true;
                    f2[j] := true;
                    m := m + 1;
                    exit;
                end if;
            end loop;
        end loop;
        if m = 0 then return 0.0; end if;
        for i in 1..l1 loop
            if f1[i] then
                while not f2[k] loop k := k + 1; end loop;
                if substr(s1, i, 1) <> substr(s2, k, 1) then t := t + 1; end if;
                k := k + 1;
            end if;
        end loop;
        jaro := (m::double precision / l1 + m::double precision / l2 + (m - t / 2)::double precision / m) / 3.0;
        if jaro > 0.7 then
            while prefix < least(4, l1, l2) and substr(s1, prefix + 1, 1) = substr(s2, prefix + 1, 1) loop
                prefix := prefix + 1;
            end loop;
            jaro := jaro + prefix * 0.1 * (1.0 - jaro);
        end if;
        return jaro;
    end
    $jw$
{%- endmacro %}
