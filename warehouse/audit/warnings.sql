-- @table audit.warnings 疑似问题：一行一个（入库行，疑似问题）：数值可能但可疑，照常入库并标出（累计值低于本年更早月份，报送的同比增长与按上年同期计算的相差超过 5 个百分点，或按人、个、家、项等计的数不是整数）
-- @model kind=table_by_month grain=sha256,sheet,row_number,warning parameters=params.build_months,params.settings
-- @column sha256 所在文件内容的 SHA-256
-- @column sheet 所在工作表名（CSV 文件为空）
-- @column row_number 在文件（工作表）中的行号，1 = 表头下第一行数据
-- @column kind 行的类别：indicator_values 指标数据，project_progress 项目进度
-- @column key 行的键：单位代码/指标代码/年-月，或 项目编号/年-月
-- @column warning 疑似问题的说明（中文）
-- @column year 行的统计年份
-- @column month 行的统计月份 1–12
-- one row per (loaded row, warning): suspicious but possible values of docs/submissions.md §2.10, kept and flagged
-- Every version of a row of a month being built (params.build_months) is compared with the latest versions of its
-- series: `earlier_high` is the highest value of an earlier month that year (the later month if two tie),
-- `prior_value` the value of the same month a year before. Only the years built are read, and only their months
-- from the first built go through a window's sort, where joining the values to themselves would sort them twice.
-- What lies outside the sort joins the rows built on their series, so the sort holds the built months alone (a
-- month onto a year of history sorts that month, not three times it): the months before the first built, folded
-- into one high a series by a hash aggregate (keys are told apart only in the rare series restated there), and
-- last year's month, when the sort does not hold it, as its latest versions. The latest version of a key is
-- worked out over the rows read alone, as core.indicator_values does over every row: a key's versions share its
-- month.
with built_years as (
    select year, min(month) as first_built from params.build_months group by year
),

value_versions as not materialized (  -- every version of the rows of the years being built, with their files' seq;
    -- joined on the year, DuckDB reads those years' rows alone (a semi-join on (year, month) would read them all);
    -- read twice rather than kept, which took more memory and time in a whole rebuild
    select sheet, row_number, unit_code, indicator_code, year, month, value, measure, yoy_pct, files.seq, first_built
    from staging.indicator_values as staged
    join built_years using (year)
    join audit.files as files on files.sha256 = staged.sha256 and files.status = 'loaded'
),

earlier_series as (  -- per series, the months before its year's first month built: the highest of every version,
    -- and whether a month has more than one (its bit added twice), when only the latest versions may count
    select unit_code, indicator_code, year, first_built,
        max({'value': value, 'month': month, 'measure': measure}) as high,
        sum(1 << month) <> bit_or(1 << month) as restated
    from value_versions
    where month < first_built
    group by unit_code, indicator_code, year, first_built
),

earlier_latest as (  -- in a restated series, the latest version of each key: one group a series, not one a key
    select unit_code, indicator_code, year, first_built,
        arg_max({'value': value, 'month': month, 'measure': measure}, seq) as high
    from value_versions
    semi join (select * from earlier_series where restated) using (unit_code, indicator_code, year)
    where month < first_built
    group by unit_code, indicator_code, year, month, first_built
),

prior_months as (  -- the same month a year before each month built, where value_versions does not sort it
    select built.year - 1 as year, built.month
    from params.build_months as built
    left join built_years on built_years.year = built.year - 1
    where not coalesce(built.month >= built_years.first_built, false)
),

prior_latest as (  -- the latest version of each key of those months
    select unit_code, indicator_code, year, month,
        arg_max({'value': value, 'month': month, 'measure': measure}, files.seq) as high
    from staging.indicator_values as staged
    join audit.files as files on files.sha256 = staged.sha256 and files.status = 'loaded'
    where (year, month) in (select year, month from prior_months)
    group by unit_code, indicator_code, year, month
),

compared as (  -- every version of the months from the first built, the latest of each key marked
    select seq, sheet, row_number, unit_code, indicator_code, year, month, value, measure, yoy_pct,
        row_number() over (partition by unit_code, indicator_code, year, month order by seq desc) = 1 as is_latest
    from value_versions
    where month >= first_built
),

earlier_highs as (  -- one high a series and year built, of the months before the first built
    select unit_code, indicator_code, year, high from earlier_series where not restated
    union all
    select unit_code, indicator_code, year, max(high) from earlier_latest group by unit_code, indicator_code, year
),

value_checks as (
    select
        seq, sheet, row_number, year, month,
        concat_ws('/', unit_code, indicator_code, printf('%d-%02d', year, month)) as key,
        case when value < earlier_high.value then printf('累计值%s%s低于%d年%d月的%s%s',
            regexp_replace(value::varchar, '\.0$', ''), measure, year, earlier_high.month,
            regexp_replace(earlier_high.value::varchar, '\.0$', ''), earlier_high.measure)
        end as value_decrease,
        case when yoy_pct is not null and prior_value > 0 and abs(yoy_pct - (value / prior_value - 1) * 100) > 5
            then printf('同比增长%s%%与按上年同期%s计算的%.2f%%相差超过5个百分点',
                yoy_pct::varchar, prior_value::varchar, (value / prior_value - 1) * 100)
        end as growth_mismatch,
        -- a count of people, firms, projects … (pipelines/parsers/measures.py WHOLE_NUMBER_MEASURES) is a whole number
        case when list_contains((select whole_number_measures from params.settings), measure)
            and value <> trunc(value)
            then printf('本期累计值%s%s不是整数（以%s计的数应为整数）', value::varchar, measure, measure)
        end as fractional_count
    from (
        -- rows carry their file's seq, not its 64-character sha256, through the sort: smaller rows sort faster
        select sorted.* exclude (sorted_high, sorted_prior),
            greatest(earlier_highs.high, sorted_high) as earlier_high,
            coalesce(sorted_prior, prior_latest.high.value) as prior_value
        from (
            select seq, sheet, row_number, unit_code, indicator_code, year, month, value, measure, yoy_pct,
                -- a struct is built in the window, not carried through its sort: a row of the sort stays small
                max({'value': value, 'month': month, 'measure': measure}) filter (where is_latest)
                    over (series range between month - 1 preceding and 1 preceding) as sorted_high,
                max(value) filter (where is_latest)
                    over (series range between 12 preceding and 12 preceding) as sorted_prior
            from compared
            window series as (partition by unit_code, indicator_code order by year * 12 + month)
        ) as sorted
        left join earlier_highs
            on earlier_highs.unit_code = sorted.unit_code and earlier_highs.indicator_code = sorted.indicator_code
            and earlier_highs.year = sorted.year
        left join prior_latest
            on prior_latest.unit_code = sorted.unit_code and prior_latest.indicator_code = sorted.indicator_code
            and prior_latest.year = sorted.year - 1 and prior_latest.month = sorted.month
    )
    where (year, month) in (select year, month from params.build_months)
),

value_warnings as (
    select files.sha256, flagged.sheet, flagged.row_number, 'indicator_values' as kind, flagged.key, flagged.warning,
        flagged.year, flagged.month
    from (
        unpivot (select * from value_checks where coalesce(value_decrease, growth_mismatch, fractional_count) is not null)
        on value_decrease, growth_mismatch, fractional_count into name check_name value warning
    ) as flagged
    join audit.files as files using (seq)
),

flagged_progress as (
    select * from (
        select sha256, sheet, row_number, project_code, year, month, completed_ytd,
            max({'completed_ytd': completed_ytd, 'month': month}) filter (where is_latest)
                over (series range between month - 1 preceding and 1 preceding) as earlier_high
        from core.project_progress
        where (year, month) in (select year, unnest(range(1, 13)) from params.build_months)
        window series as (partition by project_code order by year * 12 + month)
    )
    where completed_ytd < earlier_high.completed_ytd
        and (year, month) in (select year, month from params.build_months)
),

progress_decreases as (
    select
        sha256, sheet, row_number, 'project_progress' as kind,
        concat_ws('/', project_code, printf('%d-%02d', year, month)) as key,
        printf('本年累计完成投资%s亿元低于%d年%d月的%s亿元',
            completed_ytd::varchar, year, earlier_high.month, earlier_high.completed_ytd::varchar) as warning,
        year, month
    from flagged_progress
),

final as (
    select * from value_warnings
    union all
    select * from progress_decreases
)

select * from final order by sha256, row_number, warning
