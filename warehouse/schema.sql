-- The warehouse's stored tables: audit ledger and quarantine.
-- raw.<kind> and staging.<kind> are made from each kind's spec (foundation/kinds, warehouse/kind_tables.py).
-- core, marts and audit.warnings are models: see warehouse/core, warehouse/marts, warehouse/audit.
create schema if not exists raw;
create schema if not exists staging;
create schema if not exists core;
create schema if not exists marts;
create schema if not exists audit;
create schema if not exists params;

-- @table audit.files 文件台账：一行一个收到的文件（含重复与无法读取的），按收到先后编号；入库文件 rows_total = rows_loaded + rows_quarantined
-- @column seq 收到顺序号，从 1 起；同一键有多个版本时以序号大的文件为准
-- @column file_name 文件原名（在收件箱中的相对路径）
-- @column sha256 文件内容的 SHA-256（十六进制）；原文件保存在仓库旁的 landing/<前两位>/<sha256>
-- @column kind 文件类别：units 单位名录，indicators 指标目录，indicator_values 指标数据，targets 年度目标，projects 重点项目，project_progress 项目进度；多张工作表的工作簿以逗号分隔；无法识别时为空
-- @column received_at 收到时间（带时区）：文件最后写入的时间，或收文登记（收文登记.csv）中的收文时间
-- @column status 文件状态：loaded 已入库，duplicate 重复（相同内容此前已收到，不再入库），unreadable 无法读取（原因见 error）
-- @column rows_total 文件的数据行数（不含表头）
-- @column rows_loaded 入库的行数
-- @column rows_quarantined 被隔离的行数（明细见 audit.quarantine_rows）
-- @column error 无法读取或无法识别类别的原因（一行中文）；其余为空
-- @column size_bytes 文件大小，字节
create table if not exists audit.files (
    seq              bigint primary key,      -- arrival order; the latest file wins
    file_name        varchar not null,
    sha256           varchar not null,
    kind             varchar,
    received_at      timestamptz not null,
    status           varchar not null check (status in ('loaded', 'duplicate', 'unreadable')),
    rows_total       integer not null,
    rows_loaded      integer not null,
    rows_quarantined integer not null,
    error            varchar,
    size_bytes       bigint not null
);

-- @table audit.file_stats 文件状态记录：一行一个收件箱中已收取的文件（及收文登记 收文登记.csv），记下其大小、修改时间等；下次运行时状态未变的文件不再重新计算 SHA-256，收文登记状态未变则查看新文件时不再重读（mubiao run --verify 则全部重算）
-- @column file_name 文件在收件箱中的相对路径（对应 audit.files.file_name；收文登记为 收文登记.csv）
-- @column size_bytes 文件大小，字节
-- @column mtime_ns 文件的修改时间（Unix 纪元起的纳秒数）
-- @column ctime_ns 文件的状态改变时间（Unix 纪元起的纳秒数；改回修改时间也会使其变化）
-- @column inode 文件的 inode 号
-- @column dev 文件所在设备号
-- @column sha256 记录时文件内容的 SHA-256（对应 audit.files.sha256；收文登记为当时读到的内容）
-- @column checked_ns 读取上述状态的时间（Unix 纪元起的纳秒数）；修改时间离它不足 2 秒的文件每次都重新计算
create table if not exists audit.file_stats (  -- one row per inbox file the ledger holds, and the register, as last stat'ed
    file_name  varchar primary key,
    size_bytes bigint not null,
    mtime_ns   bigint not null,
    ctime_ns   bigint not null,
    inode      ubigint not null,
    dev        ubigint not null,
    sha256     varchar not null,
    checked_ns bigint not null
);

-- @table audit.skipped 跳过记录：一行一个最近一次运行有意略过的收件箱条目（锁文件、隐藏文件、链接、空文件夹等）及原因
-- @column name 条目在收件箱中的路径（文件夹以 / 结尾）
-- @column reason 略过的原因（中文）
-- @column seen_at 发现它的时间（带时区）
create table if not exists audit.skipped (  -- one row per entry the latest run passed over on purpose
    name    varchar not null,                 -- its path under the inbox (a folder ends with /)
    reason  varchar not null,                 -- why, in the office's words
    seen_at timestamptz not null
);

-- @table audit.quarantine 隔离行：一行一个被拒绝入库的数据行，附全部原因与原样内容（可读的版本见 audit.quarantine_rows）
-- @column sha256 所在文件内容的 SHA-256（对应 audit.files.sha256）
-- @column sheet 所在工作表名（CSV 文件为空）
-- @column row_number 在文件（工作表）中的行号，1 = 表头下第一行数据
-- @column kind 行的类别：units、indicators、indicator_values、targets、projects、project_progress（见 audit.files.kind）
-- @column reasons 被隔离的全部原因（中文，以分号分隔）
-- @column raw 该行原样内容（JSON，键为文件中的表头）
-- @column unit_code 该行所写单位解析出的单位代码（未能解析时为空；core.quarantine_rows 再按文件归属）
-- @column year 该行所写统计期的年份（未能解析时为空）
-- @column month 该行所写统计期的月份 1–12（累计至该月；未能解析时为空）
create table if not exists audit.quarantine (
    sha256     varchar not null,
    sheet      varchar,
    row_number integer not null,
    kind       varchar not null,
    reasons    varchar not null,
    raw        json not null,
    unit_code  varchar,                       -- the unit the row names, as resolved (core.quarantine_rows attributes the rest)
    year       integer,
    month      integer
);

-- @table audit.validations 校验记录：一行一个（文件，其类别校验套件中的一条检查）：是否通过，几行未通过
-- @column sha256 文件内容的 SHA-256（对应 audit.files.sha256）
-- @column kind 文件（工作表）的类别：units、indicators、indicator_values、targets、projects、project_progress
-- @column suite Great Expectations 校验套件名（与类别同名，见 expectations/）
-- @column expectation 检查的类型（Great Expectations 的 expectation 名，如 expect_column_values_to_not_be_null 不能为空）
-- @column column_name 受检的列（规范化后的列名，如 value_num；多列检查为空）
-- @column success 是否通过：true 该文件所有行都通过
-- @column unexpected_count 未通过这条检查的行数
-- @column run_at 校验时间（带时区）
create table if not exists audit.validations (
    sha256           varchar not null,        -- one row per (file, expectation of its kind's suite)
    kind             varchar not null,
    suite            varchar not null,
    expectation      varchar not null,
    column_name      varchar,
    success          boolean not null,
    unexpected_count integer not null,
    run_at           timestamptz not null
);

-- @table audit.builds 构建记录：一行一次数据集市的重建
-- @column built_through_seq 数据集市已包含 audit.files 中到此序号为止的全部文件
-- @column built_at 构建时间（带时区）
-- @column due_day 构建时使用的报送截止日：次月第几日（默认 5）
-- @column models_sha256 构建所用模型（warehouse/ 下全部 SQL 文件）的 SHA-256：模型变了（升级 mubiao 后），下一次构建重算每个月
create table if not exists audit.builds (
    built_through_seq bigint not null,        -- marts reflect every file up to this seq
    built_at          timestamptz not null,
    due_day           integer not null        -- submissions are due on this day of the following month
);
alter table audit.builds add column if not exists models_sha256 varchar;  -- empty in a build by an older mubiao

-- @table audit.schema_applied 仓库结构记录：一行，最近一次建立表、视图、说明与参照表所执行语句的指纹；与本版 mubiao 的相同时，运行不再重复执行这些语句
-- @column fingerprint 这些语句及其参数的 SHA-256（warehouse/schema_applied.py）
create table if not exists audit.schema_applied (fingerprint varchar not null);

-- @table audit.restated 补算记录：一行一个（补算，月份，文件）：补算重读的每个已入库文件，重算后此月的行数，或无法读取的原因（其行保持原样）
-- @column restated_at 补算时间（带时区）
-- @column year 补算的年份
-- @column month 补算的月份 1–12
-- @column sha256 文件内容的 SHA-256（对应 audit.files.sha256）
-- @column file_name 文件原名（在收件箱中的相对路径）
-- @column status restated 已重算，unreadable 无法读取（原因见 error；该文件此月的行保持原样）
-- @column rows_loaded 重算后此月入库的行数
-- @column rows_quarantined 重算后此月被隔离的行数（明细见 audit.quarantine_rows）
-- @column error 无法读取的原因（一行中文）；其余为空
create table if not exists audit.restated (  -- one row per file a backfill read again for one month
    restated_at      timestamptz not null,
    year             integer not null,
    month            integer not null,
    sha256           varchar not null,
    file_name        varchar not null,
    status           varchar not null check (status in ('restated', 'unreadable')),
    rows_loaded      integer not null,
    rows_quarantined integer not null,
    error            varchar
);

-- @table params.settings 构建参数：一行，最近一次构建所用的报送截止日、时区与按整数计的计量单位，读它的模型在文件头 @model 的 parameters 中写明
-- @column due_day 报送截止日：统计期次月的第几日
-- @column time_zone 判断是否逾期所用的时区（如 Asia/Shanghai）
-- @column whole_number_measures 应为整数的计量单位（人、个、家、项等）：以它们计的数不是整数时标为疑似问题
create table if not exists params.settings (  -- written by each build (warehouse/parameters.py)
    due_day               integer not null,
    time_zone             varchar not null,
    whole_number_measures varchar[] not null
);

-- @table params.build_months 构建月份：一行一个最近一次构建重写的（年，月）；按月保存的表（@model kind=table_by_month）只重写这些月份
-- @column year 年份
-- @column month 月份 1–12
create table if not exists params.build_months (  -- written by each build (warehouse/build_periods.py)
    year  integer,  -- typed as staging's columns: a filter that casts them is not pushed below is_latest's window
    month integer
);

-- @table core.code_labels 代码中文名：一行一个（代码域，代码），数据集市的 status_label 即取自此表（来源 foundation/vocabulary.py）
-- @column domain 代码域：target_status 目标完成状态（marts.target_completion.status），submission_status 报送状态（marts.submission_status.status），project_category 项目类别，project_status 项目状态
-- @column code 代码，如 on_track、late、工业
-- @column label 中文名，如 序时推进、迟报、工业
-- @column position 在代码域中的排列次序，从 1 起（项目类别按工作报告的次序）
create or replace table core.code_labels (
    domain varchar not null, code varchar not null, label varchar not null, position integer not null
);

-- @table core.kind_labels 文件类别：一行一个类别及其中文名（来源 foundation/kinds/）
-- @column kind 类别：units、indicators、indicator_values、targets、projects、project_progress
-- @column label 中文名，如 指标数据、项目进度
-- @column position 排列次序，从 1 起
create or replace table core.kind_labels (kind varchar not null, label varchar not null, position integer not null);

-- @table core.project_statuses 项目状态：一行一个项目状态及其含义（来源 foundation/vocabulary.py），core.project_month_states 据此判断是否开工、竣工
-- @column status 项目状态：未开工、已开工、竣工、投产
-- @column position 从未开工到投产的次序，从 1 起；未报状态的进度报告取第一个状态（已有完成投资的取第一个已开工的状态）
-- @column started 是否算已开工
-- @column finished 是否算已竣工投产
create or replace table core.project_statuses (
    status varchar not null, position integer not null, started boolean not null, finished boolean not null
);

-- @table core.unit_types 单位类型：一行一个单位类型（来源 foundation/vocabulary.py），core.reporting_obligations 据此确定 sum 指标的默认填报单位
-- @column unit_type 单位类型：区直部门、乡镇街道、驻区机构
-- @column position 排列次序，从 1 起
-- @column reports_sums 填报范围为空的 sum 指标是否由该类型的每个单位报送
create or replace table core.unit_types (
    unit_type varchar not null, position integer not null, reports_sums boolean not null
);

