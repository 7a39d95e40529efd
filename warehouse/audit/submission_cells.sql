-- @table audit.submission_cells 报送情况（便于阅读）：一行一个（年，月，单位，类别），即 marts.submission_status 的一行附中文的类别、状态与情况；mubiao status 的表格与反馈的报送情况汇总即取自此表
-- @model kind=table_by_month grain=year,month,unit_code,kind parameters=params.build_months,params.settings
-- @column year 年份
-- @column month 月份 1–12（报送的统计期）
-- @column unit_code 单位代码
-- @column unit_name 单位名称（未登记的单位为其代码）
-- @column unit_type 单位类型：区直部门、乡镇街道、驻区机构（未登记的单位为空字符串）
-- @column kind 类别：indicator_values 指标数据，project_progress 项目进度
-- @column kind_label 类别的中文名：指标数据、项目进度
-- @column status 状态：complete、late、partial、missing、unreadable（见 marts.submission_status）
-- @column status_label 状态的中文名：按时报齐、迟报、缺报、未报送、无法读取
-- @column description 情况：按时报齐，迟报（截止日期与送达日期），缺报 n/m：缺报项目（前三项），未报送（应报项数），无法读取：文件（原因）；有隔离行的另注“隔离 n 行”
-- @column expected_items 应报项数
-- @column received_items 其中已入库的项数
-- @column missing_items 未入库的应报项：指标代码或项目编号的列表
-- @column missing_names 未入库的应报项的名称列表（与 missing_items 一一对应）
-- @column rows_quarantined 归属该单位该月该类别、未被更正取代的隔离行数
-- @column first_received_at 最早收到的时间（带时区）
-- @column last_received_at 最晚收到的时间（带时区）
-- @column due_date 报送截止日
-- @column unreadable_files 该单位该月无法读取的文件
-- @column unreadable_reasons 这些文件无法读取的原因（与 unreadable_files 一一对应）
-- one row per row of marts.submission_status, with what `mubiao status` and the feedback workbooks say of it in
-- words, each status by its label (core.code_labels); dates in the zone's time (variable time_zone), written in full (2017年12月3日): the data's year is seldom
-- the reader's; at most three missing names, then 等
with cells as (  -- a row is its month's row of marts.submission_status in words: only the months built change
    select * from marts.submission_status where (year, month) in (select year, month from params.build_months)
),

kinds as (
    select kind, label as kind_label from core.kind_labels
),

settings as (
    select time_zone from params.settings
),

worded as (
    select
        cells.*,
        concat(year(due_date), '年', month(due_date), '月', day(due_date), '日') as due_words,
        timezone(settings.time_zone, last_received_at)::date as arrived_on,
        concat(year(arrived_on), '年', month(arrived_on), '月', day(arrived_on), '日') as arrived_words,
        case status
            when 'late' then concat(
                status_label, '（截止', due_words,
                case when arrived_on is not null then concat('，', arrived_words, '送达') end,
                '）'
            )
            when 'partial' then concat(
                status_label, len(missing_items), '/', expected_items, '：',
                array_to_string(missing_names[1:3], '、'), case when len(missing_names) > 3 then '等' end
            )
            when 'unreadable' then array_to_string(
                list_transform(
                    generate_series(1, len(unreadable_files)),
                    lambda i: concat(status_label, '：', unreadable_files[i], '（', unreadable_reasons[i], '）')
                ),
                '；'
            )
            when 'missing' then
                case when expected_items > 0 then concat(status_label, '（应报 ', expected_items, ' 项）') else status_label end
            else status_label
        end as said
    from cells, settings
),

final as (
    select
        worded.year,
        worded.month,
        worded.unit_code,
        coalesce(worded.unit_name, worded.unit_code) as unit_name,
        coalesce(worded.unit_type, '') as unit_type,
        worded.kind,
        coalesce(kinds.kind_label, worded.kind) as kind_label,
        worded.status,
        worded.status_label,
        concat(
            worded.said,
            case when worded.rows_quarantined > 0 then concat('；隔离 ', worded.rows_quarantined, ' 行') end
        ) as description,
        worded.expected_items,
        worded.received_items,
        worded.missing_items,
        worded.missing_names,
        worded.rows_quarantined,
        worded.first_received_at,
        worded.last_received_at,
        worded.due_date,
        worded.unreadable_files,
        worded.unreadable_reasons
    from worded
    left join kinds using (kind)
)

select * from final order by year, month, unit_code, kind
