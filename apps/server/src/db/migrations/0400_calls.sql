-- Call centre 呼叫中心 (issue 14): hotlines and their queues, agents and their states, call
-- categories, call records, the telephony (CTI) events they were built from, and the knowledge
-- base. Phone numbers are personal data: encrypted (*_enc) with a keyed blind index (*_hash),
-- like the elder's phone. The 04xx range belongs to the call centre.

-- A hotline (热线): 968962, 12349, the district's own number. One queue per hotline and skill.
CREATE TABLE call_hotlines (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  number        text NOT NULL UNIQUE,
  name          text NOT NULL,
  region_code   text NOT NULL,
  active        boolean NOT NULL DEFAULT true,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE call_queues (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  hotline_id        uuid NOT NULL REFERENCES call_hotlines (id),
  name              text NOT NULL,
  -- The skill an agent needs to take this queue's calls ('emergency', 'sichuanese' …); null: any agent.
  skill             text,
  -- After this many seconds waiting, the call overflows to the alarm-centre operators.
  overflow_seconds  integer NOT NULL DEFAULT 60 CHECK (overflow_seconds BETWEEN 5 AND 3600),
  active            boolean NOT NULL DEFAULT true,
  created_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX call_queues_hotline_idx ON call_queues (hotline_id);

-- An agent (坐席): a console user who takes calls. State: 离线 offline, 空闲 idle, 振铃 ringing,
-- 通话中 talking, 话后处理 wrap_up, 小休 break (with a reason).
CREATE TABLE call_agents (
  user_id             uuid PRIMARY KEY REFERENCES users (id),
  -- The agent's extension or SIP user at the telephony (what CTI events name the agent by).
  extension           text NOT NULL UNIQUE,
  skills              text[] NOT NULL DEFAULT '{}',
  state               text NOT NULL DEFAULT 'offline'
                        CHECK (state IN ('offline', 'idle', 'ringing', 'talking', 'wrap_up', 'break')),
  break_reason        text,
  state_since         timestamptz NOT NULL DEFAULT now(),
  -- When the agent last became free: the longest-idle agent gets the next call.
  idle_since          timestamptz,
  current_call_id     uuid,
  region_code         text NOT NULL,
  created_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX call_agents_state_idx ON call_agents (state, idle_since);

-- Every state an agent was in, with its span: time in state, and the reports' occupancy.
CREATE TABLE call_agent_states (
  id          bigserial PRIMARY KEY,
  user_id     uuid NOT NULL REFERENCES users (id),
  state       text NOT NULL,
  reason      text,
  started_at  timestamptz NOT NULL,
  ended_at    timestamptz
);
CREATE INDEX call_agent_states_user_idx ON call_agent_states (user_id, started_at DESC);

-- Call categories as data (紧急救助, 助餐, 家政服务 …), two levels; the default service items an
-- order from a call of this category is prefilled with.
CREATE TABLE call_categories (
  code                text PRIMARY KEY,
  name                text NOT NULL,
  parent_code         text REFERENCES call_categories (code),
  default_item_codes  text[] NOT NULL DEFAULT '{}',
  sort                integer NOT NULL DEFAULT 0,
  active              boolean NOT NULL DEFAULT true
);

-- A call, inbound or outbound: who called whom, where it queued, who took it, its times, how it
-- ended, what it was about and what it created.
CREATE TABLE calls (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- The telephony's call id; null for a call logged by hand.
  external_id         text UNIQUE,
  direction           text NOT NULL CHECK (direction IN ('inbound', 'outbound')),
  hotline_id          uuid REFERENCES call_hotlines (id),
  queue_id            uuid REFERENCES call_queues (id),
  caller_enc          text,
  caller_hash         text,
  called_enc          text,
  called_hash         text,
  -- Whose number the other party's is: the elder's phone, a terminal's SIM, a contact's phone, or unknown.
  party_kind          text NOT NULL DEFAULT 'unknown' CHECK (party_kind IN ('elder', 'terminal', 'contact', 'unknown')),
  elder_id            uuid REFERENCES elders (id),
  contact_id          uuid,
  device_id           uuid,
  -- The 一键通 terminal's key, when the telephony says which: red SOS or green service key.
  terminal_key        text CHECK (terminal_key IN ('sos', 'service')),
  agent_user_id       uuid REFERENCES users (id),
  offered_at          timestamptz NOT NULL,
  ringing_at          timestamptz,
  answered_at         timestamptz,
  ended_at            timestamptz,
  wrap_up_ended_at    timestamptz,
  outcome             text CHECK (outcome IN ('answered', 'abandoned', 'no_answer', 'busy', 'failed')),
  category_code       text REFERENCES call_categories (code),
  subcategory         text,
  notes               text,
  order_id            uuid,
  alarm_id            uuid,
  complaint_id        uuid,
  article_id          uuid,
  recording_ref       text,
  -- An outbound care call's task (主动关爱), when the call worked one.
  campaign_task_id    uuid,
  -- Logged by hand from the console (no telephony), by this user.
  logged_by           uuid,
  region_code         text NOT NULL,
  -- The time of the newest CTI event applied: an older one arriving late never rolls the call back.
  last_event_at       timestamptz,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX calls_offered_idx ON calls (offered_at DESC);
CREATE INDEX calls_elder_idx ON calls (elder_id, offered_at DESC);
CREATE INDEX calls_agent_idx ON calls (agent_user_id, offered_at DESC);
CREATE INDEX calls_caller_idx ON calls (caller_hash);
CREATE INDEX calls_region_idx ON calls (region_code, offered_at DESC);
-- Calls waiting in a queue (offered, not yet answered or ended): the supervisor's live view.
CREATE INDEX calls_waiting_idx ON calls (queue_id, offered_at) WHERE answered_at IS NULL AND ended_at IS NULL;

-- Every CTI event received, once (idempotent by the telephony's event id), kept for reconciling
-- events that arrive out of order and for tracing what the telephony said.
CREATE TABLE cti_events (
  event_id      text PRIMARY KEY,
  external_id   text NOT NULL,
  type          text NOT NULL,
  occurred_at   timestamptz NOT NULL,
  received_at   timestamptz NOT NULL DEFAULT now(),
  call_id       uuid REFERENCES calls (id),
  payload       jsonb NOT NULL
);
CREATE INDEX cti_events_call_idx ON cti_events (external_id, occurred_at);

-- Knowledge base (知识库): short articles agents read beside the call form; searchable by
-- keyword and by pinyin initials of the title (zcbt → 长寿补贴).
CREATE TABLE kb_articles (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  title            text NOT NULL,
  body             text NOT NULL,
  keywords         text NOT NULL DEFAULT '',
  title_initials   text NOT NULL DEFAULT '',
  category_code    text REFERENCES call_categories (code),
  region_code      text NOT NULL,
  active           boolean NOT NULL DEFAULT true,
  updated_by       uuid,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX kb_articles_region_idx ON kb_articles (region_code);

-- A complaint can come from a call, not only from a low rating of an order.
ALTER TABLE service_complaints ALTER COLUMN order_id DROP NOT NULL;
ALTER TABLE service_complaints ADD COLUMN call_id uuid;

-- The categories of the seeds (Wuhan's 一键通 shares: 助餐应急 13.4 %, 家政服务 37.6 %, 康复护理
-- 3.9 %, 心理慰藉 36.2 %, 其他 8.9 %), with the items an order from such a call starts from. The
-- bureau edits them; these rows are the starting point.
INSERT INTO call_categories (code, name, parent_code, default_item_codes, sort) VALUES
  ('emergency',     '紧急救助',           NULL, '{emergency_help}',                 10),
  ('meals',         '助餐',               NULL, '{meal_delivery,meal_assist}',      20),
  ('housekeeping',  '家政服务',           NULL, '{cleaning,wardrobe_tidy,repair}',  30),
  ('daily_care',    '生活照料',           NULL, '{bath_assist,haircut,shopping}',   40),
  ('rehab',         '康复护理',           NULL, '{rehab,basic_nursing}',            50),
  ('health',        '医疗保健',           NULL, '{health_check,medical_escort}',    60),
  ('comfort',       '心理慰藉 / 聊天陪伴', NULL, '{companion_chat,psych_counsel}',   70),
  ('enquiry',       '咨询',               NULL, '{}',                               80),
  ('complaint',     '投诉与建议',         NULL, '{}',                               90),
  ('legal',         '法律维权',           NULL, '{legal_consult}',                  100),
  ('device',        '设备问题',           NULL, '{}',                               110),
  ('misdial',       '误拨',               NULL, '{}',                               120),
  ('other',         '其他',               NULL, '{}',                               130);
INSERT INTO call_categories (code, name, parent_code, sort) VALUES
  ('enquiry_policy',     '政策咨询',   'enquiry', 81),
  ('enquiry_allowance',  '高龄津贴',   'enquiry', 82),
  ('enquiry_card',       '优待证',     'enquiry', 83),
  ('enquiry_service',    '服务咨询',   'enquiry', 84);
