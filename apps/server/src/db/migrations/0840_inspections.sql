-- Inspections and grading 检查评级 (issue 19): checklists as data (templates, versioned), inspection
-- rounds of a period, one inspection per organisation (institution or community centre) with the
-- self-assessment and the assessor's score side by side, findings → rectification → re-check, and
-- the grade history (一级 … 五级) shown to the public.
-- Migration range of the inspections area: 0840–0859.

-- A checklist: its items [{ code, section, text, max }] and, if it awards a grade, the grade
-- thresholds [{ grade: 1..5, min }] (min score for each grade). A new version is a new row.
CREATE TABLE inspection_templates (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  code             text NOT NULL CHECK (code ~ '^[a-z0-9_-]{2,40}$'),
  version          integer NOT NULL CHECK (version >= 1),
  name             text NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
  org_type         text NOT NULL CHECK (org_type IN ('institution', 'community_centre')),
  -- NULL: a national standard (GB/T 37276); else the district whose own checklist it is.
  region_code      text,
  items            jsonb NOT NULL,
  max_score        numeric(7, 1) NOT NULL CHECK (max_score > 0),
  grade_thresholds jsonb,
  active           boolean NOT NULL DEFAULT true,
  created_by       uuid,
  created_at       timestamptz NOT NULL DEFAULT now(),
  UNIQUE (code, version)
);

-- A round: the inspections of a quarter or a year in a district.
CREATE TABLE inspection_rounds (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  region_code  text NOT NULL,
  kind         text NOT NULL CHECK (kind IN ('quarterly', 'annual')),
  -- '2026Q3' or '2026'.
  period       text NOT NULL CHECK (period ~ '^[0-9]{4}(Q[1-4])?$'),
  name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
  due_on       date NOT NULL,
  created_by   uuid,
  created_at   timestamptz NOT NULL DEFAULT now(),
  UNIQUE (region_code, kind, period)
);

-- One organisation's inspection in a round. Read by the patrols / risk map (patrols-h):
-- org_id, period, status, total_score, grade, finished_at.
CREATE TABLE inspections (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  round_id       uuid NOT NULL REFERENCES inspection_rounds (id),
  org_id         uuid NOT NULL REFERENCES organizations (id),
  org_type       text NOT NULL CHECK (org_type IN ('institution', 'community_centre')),
  region_code    text NOT NULL,
  template_id    uuid NOT NULL REFERENCES inspection_templates (id),
  period         text NOT NULL,
  status         text NOT NULL DEFAULT 'self_assessment'
                 CHECK (status IN ('self_assessment', 'assessing', 'finished')),
  self_score     numeric(7, 1),
  self_submitted_at timestamptz,
  total_score    numeric(7, 1),
  grade          smallint CHECK (grade BETWEEN 1 AND 5),
  assessor_id    uuid,
  assessor_name  text,
  finished_at    timestamptz,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  UNIQUE (round_id, org_id),
  CHECK ((status = 'finished') = (finished_at IS NOT NULL))
);
CREATE INDEX inspections_org_idx ON inspections (org_id, finished_at DESC);
CREATE INDEX inspections_region_idx ON inspections (region_code, period);

-- Each item's two scores side by side: the organisation's own and the assessor's.
CREATE TABLE inspection_scores (
  inspection_id  uuid NOT NULL REFERENCES inspections (id) ON DELETE CASCADE,
  item_code      text NOT NULL,
  self_score     numeric(6, 1) CHECK (self_score >= 0),
  self_note      text CHECK (length(self_note) <= 500),
  score          numeric(6, 1) CHECK (score >= 0),
  note           text CHECK (length(note) <= 500),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (inspection_id, item_code)
);

-- A finding: open → rectified (by the organisation) → closed (re-checked), or back to open.
CREATE TABLE inspection_findings (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  inspection_id   uuid NOT NULL REFERENCES inspections (id),
  org_id          uuid NOT NULL,
  item_code       text,
  description     text NOT NULL CHECK (length(description) BETWEEN 1 AND 1000),
  severity        text NOT NULL DEFAULT 'general' CHECK (severity IN ('general', 'serious')),
  deadline        date NOT NULL,
  status          text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'rectified', 'closed')),
  rectification   text CHECK (length(rectification) <= 1000),
  rectified_at    timestamptz,
  rectified_by    uuid,
  recheck_note    text CHECK (length(recheck_note) <= 500),
  rechecked_at    timestamptz,
  rechecked_by    uuid,
  created_by      uuid,
  created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX inspection_findings_org_idx ON inspection_findings (org_id, status);
CREATE INDEX inspection_findings_inspection_idx ON inspection_findings (inspection_id);

-- The grade history: one row per finished grading inspection; the newest is the grade shown.
CREATE TABLE org_grades (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id        uuid NOT NULL REFERENCES organizations (id),
  inspection_id uuid NOT NULL UNIQUE REFERENCES inspections (id),
  grade         smallint NOT NULL CHECK (grade BETWEEN 1 AND 5),
  score         numeric(7, 1) NOT NULL,
  template_code text NOT NULL,
  awarded_on    date NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX org_grades_org_idx ON org_grades (org_id, awarded_on DESC);

-- A bed reserved for an application (institutions): until when. An expired reservation is free
-- to take (the conditional updates look at it) and swept back to free.
ALTER TABLE beds ADD COLUMN reserved_until timestamptz;

-- GB/T 37276-2018 养老机构等级划分与评定: its four parts (环境 120, 设施设备 130, 运营管理 150,
-- 服务 600 = 1000) with the main items and their points; the item text is a summary, not the
-- standard's wording. Grades: 一级 ≥ 300, 二级 ≥ 450, 三级 ≥ 600, 四级 ≥ 750, 五级 ≥ 900.
INSERT INTO inspection_templates (code, version, name, org_type, region_code, items, max_score, grade_thresholds)
VALUES ('gbt37276', 1, 'GB/T 37276-2018 养老机构等级评定', 'institution', NULL, '[
  {"code":"env_location","section":"环境","text":"选址与交通：交通便利，周边有医疗、商业等公共服务设施","max":15},
  {"code":"env_accessibility","section":"环境","text":"无障碍环境：出入口、通道、电梯、卫生间等无障碍设施完善","max":25},
  {"code":"env_signage","section":"环境","text":"标识：公共信息图形标志、安全标志、导向标识清晰规范","max":15},
  {"code":"env_indoor","section":"环境","text":"室内环境：居室采光、通风、温湿度、噪声符合要求","max":25},
  {"code":"env_outdoor","section":"环境","text":"室外环境：绿化、室外活动场地与休憩设施","max":20},
  {"code":"env_hygiene","section":"环境","text":"环境卫生：院内整洁无异味，垃圾分类处理","max":20},
  {"code":"fac_rooms","section":"设施设备","text":"居室：人均使用面积、床位设置、储物与呼叫装置","max":25},
  {"code":"fac_bathrooms","section":"设施设备","text":"卫生间与洗浴：防滑、扶手、紧急呼叫、冷热水","max":20},
  {"code":"fac_dining","section":"设施设备","text":"就餐与厨房：餐厅、备餐间、留样与消毒设施","max":15},
  {"code":"fac_activity","section":"设施设备","text":"活动与康复设施：文体活动室、康复训练室及器材","max":20},
  {"code":"fac_medical","section":"设施设备","text":"医疗卫生设施：医务室或护理站、常用药品与急救设备","max":20},
  {"code":"fac_safety","section":"设施设备","text":"安全设施：消防设施、视频监控、紧急呼叫、防走失","max":30},
  {"code":"mgt_admin","section":"运营管理","text":"行政管理：证照齐全，制度健全，服务项目与收费公开","max":20},
  {"code":"mgt_staff","section":"运营管理","text":"人力资源：人员配比、持证上岗、培训与考核","max":30},
  {"code":"mgt_finance","section":"运营管理","text":"财务管理：收费规范，押金管理，财务制度健全","max":20},
  {"code":"mgt_safety","section":"运营管理","text":"安全管理：安全责任制、应急预案与演练、GB 38600 风险评估","max":35},
  {"code":"mgt_quality","section":"运营管理","text":"服务质量管理：质量目标、满意度测评、投诉处理","max":25},
  {"code":"mgt_records","section":"运营管理","text":"信息与档案：入住档案、服务记录、信息化管理","max":20},
  {"code":"svc_admission","section":"服务","text":"出入院服务：入住评估、服务协议、入住适应、退住手续","max":40},
  {"code":"svc_daily","section":"服务","text":"生活照料：起居、清洁、饮食、排泄、睡眠照料","max":100},
  {"code":"svc_meals","section":"服务","text":"膳食服务：营养配餐、特殊膳食、食品安全与留样","max":60},
  {"code":"svc_cleaning","section":"服务","text":"清洁卫生与洗涤：居室清洁，衣物被褥洗涤消毒","max":40},
  {"code":"svc_medical","section":"服务","text":"医疗护理：健康管理、用药管理、护理服务、医疗转介","max":100},
  {"code":"svc_rehab","section":"服务","text":"康复服务：康复评估与康复训练","max":50},
  {"code":"svc_culture","section":"服务","text":"文化娱乐：文体活动、节日活动","max":40},
  {"code":"svc_mental","section":"服务","text":"心理/精神支持：情绪疏导、心理慰藉、家属联络","max":50},
  {"code":"svc_hospice","section":"服务","text":"安宁服务：临终关怀与哀伤辅导","max":30},
  {"code":"svc_delegated","section":"服务","text":"委托服务：代购、代缴、陪同就医等","max":30},
  {"code":"svc_education","section":"服务","text":"教育与志愿服务：老年教育、志愿者服务","max":30},
  {"code":"svc_home","section":"服务","text":"居家上门服务：为周边居家老人提供上门服务","max":30}
]'::jsonb, 1000, '[{"grade":1,"min":300},{"grade":2,"min":450},{"grade":3,"min":600},{"grade":4,"min":750},{"grade":5,"min":900}]'::jsonb);
