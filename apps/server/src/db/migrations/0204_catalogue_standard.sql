-- The standard catalogue: GB/T 43153-2023 categories and the seeds' items (Wuhou, Guandu).
-- Prices in fen; points at the reference rate of 1 point = 1 yuan (Wuhou: 2 h wardrobe tidying = 80 points).
-- The bureau edits prices and adds items in the console; these rows are only the starting point.
INSERT INTO service_items (code, category, name, unit, duration_minutes, ref_price_fen, ceiling_price_fen, points) VALUES
  ('meal_assist',     'daily_care', '助餐',         'visit', 60,  1500,  1800,  15),
  ('meal_prep',       'daily_care', '配餐',         'visit', 60,  2000,  2400,  20),
  ('meal_delivery',   'daily_care', '送餐',         'visit', 30,  500,   600,   5),
  ('bath_assist',     'daily_care', '助浴',         'visit', 90,  8000,  9600,  80),
  ('cleaning',        'daily_care', '助洁',         'hour',  60,  4000,  4800,  40),
  ('wardrobe_tidy',   'daily_care', '衣橱整理',     'hour',  60,  4000,  4800,  40),
  ('walking_assist',  'daily_care', '助行',         'hour',  60,  3500,  4200,  35),
  ('medical_escort',  'daily_care', '助医（陪同就医）', 'visit', 180, 10000, 12000, 100),
  ('emergency_help',  'daily_care', '助急（紧急救助）', 'visit', 60,  5000,  6000,  50),
  ('haircut',         'daily_care', '理发',         'visit', 30,  2000,  2400,  20),
  ('basic_nursing',   'basic_care', '基础照护',     'hour',  60,  6000,  7200,  60),
  ('health_check',    'health',     '健康监测与咨询', 'visit', 45, 3000,  3600,  30),
  ('rehab',           'health',     '康复服务',     'hour',  60,  8000,  9600,  80),
  ('care_visit',      'visiting',   '探访关爱',     'visit', 60,  2000,  2400,  20),
  ('companion_chat',  'comfort',    '聊天陪伴',     'hour',  60,  3000,  3600,  30),
  ('psych_counsel',   'comfort',    '心理疏导',     'hour',  60,  10000, 12000, 100),
  ('shopping',        'errands',    '代买代购',     'visit', 60,  2000,  2400,  20),
  ('legal_consult',   'errands',    '法律咨询',     'visit', 60,  5000,  6000,  50),
  ('errand_agency',   'errands',    '委托代办',     'visit', 60,  3000,  3600,  30),
  ('repair',          'adaptation', '水电家具维修', 'visit', 60,  5000,  6000,  50),
  ('pipe_unblock',    'adaptation', '管道疏通',     'visit', 60,  6000,  7200,  60),
  ('home_adaptation', 'adaptation', '适老化改造评估', 'visit', 90, 10000, 12000, 100);
