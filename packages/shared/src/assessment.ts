/**
 * GB/T 42195-2022 老年人能力评估规范: the 26 items of the four dimensions, each level's wording
 * (Appendix B of the standard, condensed), and the scoring rules: dimension subtotals, total
 * (0–90), the level by cut scores and the three adjustments. The server scores; the console
 * renders the same catalogue so the form and the rules cannot drift apart.
 */

export const ASSESSMENT_DIMENSIONS = ['self_care', 'motor', 'mental', 'perception'] as const;
export type AssessmentDimension = (typeof ASSESSMENT_DIMENSIONS)[number];

export const DIMENSION_LABELS_ZH: Record<AssessmentDimension, string> = {
  self_care: '自理能力',
  motor: '基础运动能力',
  mental: '精神状态',
  perception: '感知觉与社会参与',
};
export const DIMENSION_LABELS_EN: Record<AssessmentDimension, string> = {
  self_care: 'Self-care',
  motor: 'Basic mobility',
  mental: 'Mental state',
  perception: 'Perception and social participation',
};

export interface AssessmentItem {
  /** Stable key used in the API (`scores: { eating: 4, … }`). */
  key: string;
  /** Item number in the standard, 1–26. */
  no: number;
  dimension: AssessmentDimension;
  zh: string;
  en: string;
  /** What the item assesses, in the standard's words. */
  definitionZh: string;
  max: number;
  /** Wording of each score, highest first: `levels[i].score`. */
  levels: Array<{ score: number; zh: string }>;
}

/** The common five-step scale of the self-care and transfer items. */
const ASSIST = (max = 4) =>
  [
    { score: 4, zh: '独立完成，不需要协助' },
    { score: 3, zh: '在他人指导或提示下完成' },
    { score: 2, zh: '需要他人协助，但以自身完成为主' },
    { score: 1, zh: '主要依靠他人协助，自身能给予配合' },
    { score: 0, zh: '完全依赖他人协助，且不能给予配合' },
  ].filter((l) => l.score <= max);

const item = (
  no: number,
  key: string,
  dimension: AssessmentDimension,
  zh: string,
  en: string,
  definitionZh: string,
  levels: Array<{ score: number; zh: string }>,
): AssessmentItem => ({ no, key, dimension, zh, en, definitionZh, max: Math.max(...levels.map((l) => l.score)), levels });

export const ASSESSMENT_ITEMS: readonly AssessmentItem[] = [
  item(1, 'eating', 'self_care', '进食', 'Eating', '使用适当的器具将食物送入口中并咽下', [
    { score: 4, zh: '独立使用器具将食物送进口中并咽下，没有呛咳' },
    { score: 3, zh: '在他人指导或提示下完成，或独立使用辅具，没有呛咳' },
    { score: 2, zh: '进食中需要少量接触式协助，偶尔（每月一次及以上）呛咳' },
    { score: 1, zh: '在进食中需要大量接触式协助，经常（每周一次及以上）呛咳' },
    { score: 0, zh: '完全依赖他人协助进食，或吞咽困难，或留置营养管' },
  ]),
  item(2, 'grooming', 'self_care', '修饰', 'Grooming', '洗脸、刷牙、梳头、刮脸、剪指（趾）甲等', ASSIST()),
  item(3, 'bathing', 'self_care', '洗澡', 'Bathing', '清洗和擦干身体', ASSIST()),
  item(4, 'dressing_upper', 'self_care', '穿/脱上衣', 'Dressing (upper body)', '穿/脱上衣、系扣子、拉拉链等', ASSIST()),
  item(5, 'dressing_lower', 'self_care', '穿/脱裤子和鞋袜', 'Dressing (trousers, shoes, socks)', '穿/脱裤子、鞋袜等', ASSIST()),
  item(6, 'urination', 'self_care', '小便控制', 'Bladder control', '控制和排出尿液的能力', [
    { score: 4, zh: '可自行控制排尿，排尿次数、排尿控制均正常' },
    { score: 3, zh: '白天可自行控制排尿次数，夜间出现排尿次数增多、排尿控制较差，或自行使用尿布、尿垫等辅助用物' },
    {
      score: 2,
      zh: '白天大部分时间可自行控制排尿，偶出现（每天<1次，但每周>1次）尿失禁，夜间控制排尿较差，或他人少量协助使用尿布、尿垫等辅助用物',
    },
    {
      score: 1,
      zh: '白天大部分时间不能控制排尿（每天≥1次，但尚非完全失控），夜间出现尿失禁，或他人大量协助使用尿布、尿垫等辅助用物',
    },
    { score: 0, zh: '小便失禁，完全不能控制排尿，或留置导尿管' },
  ]),
  item(7, 'defecation', 'self_care', '大便控制', 'Bowel control', '控制和排出粪便的能力', [
    { score: 4, zh: '可正常自行控制大便排出' },
    { score: 3, zh: '有时出现（每周<1次）便秘或大便失禁，或自行使用开塞露、尿垫等辅助用物' },
    { score: 2, zh: '经常出现（每天<1次，但每周>1次）便秘或大便失禁，或他人少量协助使用开塞露、尿垫等辅助用物' },
    { score: 1, zh: '大部分时间均出现（每天≥1次）便秘或大便失禁，但尚非完全失控，或他人大量协助使用开塞露、尿垫等辅助用物' },
    { score: 0, zh: '严重便秘或者完全大便失禁，需要依赖他人协助排便或清洁皮肤' },
  ]),
  item(
    8,
    'toileting',
    'self_care',
    '如厕',
    'Toileting',
    '上厕所排泄大小便，并清洁身体（排泄前解开裤子、排泄后清洁身体、穿上裤子）',
    ASSIST(),
  ),
  item(9, 'bed_mobility', 'motor', '床上体位转移', 'Turning in bed', '卧床翻身及坐起躺下', ASSIST()),
  item(10, 'bed_chair_transfer', 'motor', '床椅转移', 'Bed–chair transfer', '从坐位到站位，再从站位到坐位的转换过程', ASSIST()),
  item(
    11,
    'walking',
    'motor',
    '平地行走',
    'Walking on the level',
    '双脚交互的方式在地面行动，总是一只脚在前（包括他人辅助和使用辅助工具的步行）',
    [
      { score: 4, zh: '独立平地步行50 m左右，不需要协助，无摔倒风险' },
      { score: 3, zh: '能平地步行50 m左右，存在摔倒风险，需要他人监护或指导，或使用拐杖、助行器等辅助工具' },
      { score: 2, zh: '在步行时需要他人少量扶持协助' },
      { score: 1, zh: '在步行时需要他人大量扶持协助' },
      { score: 0, zh: '完全不能步行' },
    ],
  ),
  item(12, 'stairs', 'motor', '上下楼梯', 'Stairs', '双脚交替完成楼梯台阶连续的上下移动', [
    { score: 3, zh: '可独立上下楼梯（连续上下10个～15个台阶），不需要协助' },
    { score: 2, zh: '在他人指导或提示下完成' },
    { score: 1, zh: '需要他人协助，但以自身完成为主' },
    { score: 0, zh: '主要依靠他人协助，自身能给予配合；或者完全依赖他人协助，且不能给予配合' },
  ]),
  item(13, 'time_orientation', 'mental', '时间定向', 'Orientation to time', '知道并确认时间的能力', [
    { score: 4, zh: '时间观念（年、月）清楚，日期（或星期几）可相差一天' },
    { score: 3, zh: '时间观念有些下降，年、月、日（或星期几）不能全部分清（相差两天或以上）' },
    { score: 2, zh: '时间观念较差，年、月、日不清楚，可知上半年或下半年或季节' },
    { score: 1, zh: '时间观念很差，年、月、日不清楚，可知上午、下午或白天、夜间' },
    { score: 0, zh: '无时间观念' },
  ]),
  item(14, 'place_orientation', 'mental', '空间定向', 'Orientation to place', '知道并确认空间的能力', [
    { score: 4, zh: '能在日常生活范围内单独外出，如在日常居住小区内独自外出购物等' },
    { score: 3, zh: '不能单独外出，但能准确知道自己日常生活所在地的地址信息' },
    { score: 2, zh: '不能单独外出，但知道较多有关自己日常生活的地址信息' },
    { score: 1, zh: '不能单独外出，但知道较少自己居住或生活所在地的地址信息' },
    { score: 0, zh: '不能单独外出，无空间观念' },
  ]),
  item(15, 'person_orientation', 'mental', '人物定向', 'Orientation to people', '知道并确认人物的能力', [
    { score: 4, zh: '认识长期共同一起生活的人，能称呼并知道关系' },
    { score: 3, zh: '能认识大部分共同生活居住的人，能称呼或知道关系' },
    { score: 2, zh: '能认识部分日常同住的亲人或照护者等，能称呼或知道关系等' },
    { score: 1, zh: '只认识自己或极少数日常同住的亲人或照护者等' },
    { score: 0, zh: '不认识任何人（包括自己）' },
  ]),
  item(16, 'memory', 'mental', '记忆', 'Memory', '短时、近期和远期记忆能力', [
    { score: 4, zh: '总是能保持与社会、年龄所适应的记忆能力，能完整的回忆' },
    { score: 3, zh: '出现轻度的记忆紊乱或回忆不能（不能回忆即时信息，3个词语经过5分钟后仅能回忆0～1个）' },
    { score: 2, zh: '出现中度的记忆紊乱或回忆不能（不能回忆近期记忆，不记得上一顿饭吃了什么）' },
    { score: 1, zh: '出现重度的记忆紊乱或回忆不能（不能回忆远期记忆，不记得自己的老朋友）' },
    { score: 0, zh: '记忆完全紊乱或者完全不能对既往事物进行正确的回忆' },
  ]),
  item(17, 'comprehension', 'mental', '理解能力', 'Understanding', '理解语言信息和非语言信息的能力（可借助平时使用助听设备等）', [
    { score: 4, zh: '能正常理解他人的话' },
    { score: 3, zh: '能理解他人的话，但需要增加时间' },
    { score: 2, zh: '理解有困难，需频繁重复或简化口头表达' },
    { score: 1, zh: '理解有严重困难，需要大量他人帮助' },
    { score: 0, zh: '完全不能理解他人的话' },
  ]),
  item(18, 'expression', 'mental', '表达能力', 'Expression', '表达信息能力，包括口头的和非口头的', [
    { score: 4, zh: '能正常表达自己的想法' },
    { score: 3, zh: '能表达自己的需要，但需要增加时间' },
    { score: 2, zh: '表达需要有困难，需频繁重复或简化口头表达' },
    { score: 1, zh: '表达有严重困难，需要大量他人帮助' },
    { score: 0, zh: '完全不能表达需要' },
  ]),
  item(
    19,
    'aggression',
    'mental',
    '攻击行为',
    'Aggressive behaviour',
    '身体攻击行为（如打/踢/推/咬/抓/摔东西）和语言攻击行为（如骂人、语言威胁、尖叫）',
    [
      { score: 1, zh: '未出现' },
      { score: 0, zh: '近一个月内出现过攻击行为' },
    ],
  ),
  item(
    20,
    'depression',
    'mental',
    '抑郁症状',
    'Depressive symptoms',
    '存在情绪低落、兴趣减退、活力减退等症状，甚至出现妄想、幻觉、自杀念头或自杀行为',
    [
      { score: 1, zh: '未出现' },
      { score: 0, zh: '近一个月内出现过负性情绪' },
    ],
  ),
  item(
    21,
    'consciousness',
    'mental',
    '意识水平',
    'Level of consciousness',
    '机体对自身和周围环境的刺激做出应答反应的能力程度，包括清醒和持续的觉醒状态',
    [
      { score: 2, zh: '神志清醒，对周围环境能做出正确反应' },
      {
        score: 1,
        zh: '嗜睡或意识模糊：可唤醒并能正确交谈或执行指令，停止刺激后又继续入睡；或注意力涣散、定向力障碍、理解力迟钝',
      },
      { score: 0, zh: '昏睡或昏迷：一般刺激不能使其觉醒，或意识丧失、呼之不应，对一般刺激全无反应' },
    ],
  ),
  item(22, 'vision', 'perception', '视力', 'Vision', '感受存在的光线并感受物体的大小、形状的能力（在个体的最好矫正视力下评估）', [
    { score: 2, zh: '视力正常' },
    { score: 1, zh: '能看清楚大字体，但看不清书报上的标准字体；视力有限，看不清报纸大标题，但能辨认物体' },
    { score: 0, zh: '只能看到光、颜色和形状；完全失明' },
  ]),
  item(
    23,
    'hearing',
    'perception',
    '听力',
    'Hearing',
    '能辨别声音的方位、音调、音量和音质的有关能力（可借助平时使用助听设备等）',
    [
      { score: 2, zh: '听力正常' },
      { score: 1, zh: '在轻声说话或说话距离超过2米时听不清；正常交流有些困难，需在安静的环境或大声说话才能听到' },
      { score: 0, zh: '讲话者大声说话或说话很慢，才能部分听见；完全失聪' },
    ],
  ),
  item(
    24,
    'daily_affairs',
    'perception',
    '执行日常事务',
    'Managing daily affairs',
    '计划、安排并完成日常事务，包括但不限于洗衣服、小金额购物、服药管理',
    [
      { score: 4, zh: '能完全独立计划、安排和完成日常事务，无需协助' },
      { score: 3, zh: '在计划、安排和完成日常事务时需要他人监护或指导' },
      { score: 2, zh: '在计划、安排和完成日常事务时需要少量协助' },
      { score: 1, zh: '在计划、安排和完成日常事务时需要大量协助' },
      { score: 0, zh: '完全依赖他人进行日常事务' },
    ],
  ),
  item(25, 'transport', 'perception', '使用交通工具外出', 'Using transport', '使用交通工具外出的能力', [
    { score: 3, zh: '能自己骑车或搭乘公共交通工具外出' },
    { score: 2, zh: '能自己搭乘出租车，但不会搭乘其他公共交通工具外出' },
    { score: 1, zh: '当有人协助或陪伴，可搭乘公共交通工具外出' },
    { score: 0, zh: '只能在他人协助下搭乘出租车或私家车外出；完全不能出门，或者外出完全需要协助' },
  ]),
  item(26, 'social', 'perception', '社会交往能力', 'Social interaction', '与人交往、适应社会环境的能力', [
    { score: 4, zh: '参与社会，在社会环境有一定的适应能力，待人接物恰当' },
    { score: 3, zh: '能适应单纯环境，主动接触他人，初见面时难让人发现智力问题，不能理解隐喻语' },
    { score: 2, zh: '脱离社会，可被动接触，不会主动待人，谈话中很多不适词句，容易上当受骗' },
    { score: 1, zh: '勉强可与他人接触，谈吐内容不清楚，表情不恰当' },
    { score: 0, zh: '不能与人交往' },
  ]),
];

export const ASSESSMENT_ITEM_KEYS = ASSESSMENT_ITEMS.map((i) => i.key);

/** Ability levels, best first; index = severity (0 能力完好 … 4 完全失能). */
export const ABILITY_LEVELS = ['intact', 'mild', 'moderate', 'severe', 'total'] as const;
export type AbilityLevelCode = (typeof ABILITY_LEVELS)[number];

export const ABILITY_LEVEL_LABELS_ZH: Record<AbilityLevelCode, string> = {
  intact: '能力完好',
  mild: '轻度失能',
  moderate: '中度失能',
  severe: '重度失能',
  total: '完全失能',
};
export const ABILITY_LEVEL_LABELS_EN: Record<AbilityLevelCode, string> = {
  intact: 'Intact',
  mild: 'Mildly impaired',
  moderate: 'Moderately impaired',
  severe: 'Severely impaired',
  total: 'Totally impaired',
};

export const ASSESSMENT_REASONS = ['first', 'routine', 'immediate', 'dispute'] as const;
export type AssessmentReason = (typeof ASSESSMENT_REASONS)[number];
export const ASSESSMENT_REASON_LABELS_ZH: Record<AssessmentReason, string> = {
  first: '首次评估',
  routine: '常规评估',
  immediate: '即时评估（状况变化）',
  dispute: '因评估结果有疑问进行的复评',
};

export const RISK_EVENTS = ['fall', 'wandering', 'choking', 'self_harm', 'other'] as const;
export type RiskEvent = (typeof RISK_EVENTS)[number];
export const RISK_EVENT_LABELS_ZH: Record<RiskEvent, string> = {
  fall: '跌倒',
  wandering: '走失',
  choking: '噎食',
  self_harm: '自杀、自伤',
  other: '其他',
};

/** The background facts that adjust the level. */
export interface AssessmentBackground {
  coma: boolean;
  /** Diagnosed dementia (认知障碍/痴呆) or another mental disorder diagnosed by a psychiatrist. */
  dementiaOrMentalDisorder: boolean;
  /** Risk events in the last 30 days, each counted once per occurrence. */
  riskEvents30d: Array<{ type: RiskEvent; count: number }>;
}

export type AssessmentAdjustment = 'coma' | 'dementia_or_mental_disorder' | 'risk_events';
export const ADJUSTMENT_LABELS_ZH: Record<AssessmentAdjustment, string> = {
  coma: '处于昏迷状态，直接评定为完全失能',
  dementia_or_mental_disorder: '确诊为认知障碍/痴呆或其他精神障碍，能力等级提高一级',
  risk_events: '近30天内发生过2次及以上照护风险事件，能力等级提高一级',
};

export interface AssessmentResult {
  subtotals: Record<AssessmentDimension, number>;
  total: number;
  /** The level by cut scores alone. */
  preliminaryLevel: AbilityLevelCode;
  /** After the adjustments. */
  level: AbilityLevelCode;
  adjustments: AssessmentAdjustment[];
}

export type ScoreError = { key: string; message: string };

/** Check a score sheet: every one of the 26 items present, integer, within its range; no unknown keys. */
export function validateScores(scores: Record<string, unknown>): ScoreError[] {
  const errors: ScoreError[] = [];
  for (const it of ASSESSMENT_ITEMS) {
    const v = scores[it.key];
    if (v === undefined || v === null) errors.push({ key: it.key, message: `${it.zh}: missing` });
    else if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > it.max)
      errors.push({ key: it.key, message: `${it.zh}: must be an integer 0–${it.max}` });
  }
  for (const k of Object.keys(scores)) if (!ASSESSMENT_ITEM_KEYS.includes(k)) errors.push({ key: k, message: 'unknown item' });
  return errors;
}

/** The level by cut scores: 90 能力完好; 66–89 轻度; 46–65 中度; 30–45 重度; 0–29 完全失能. */
export function levelByTotal(total: number): AbilityLevelCode {
  if (total >= 90) return 'intact';
  if (total >= 66) return 'mild';
  if (total >= 46) return 'moderate';
  if (total >= 30) return 'severe';
  return 'total';
}

const worse = (l: AbilityLevelCode): AbilityLevelCode => ABILITY_LEVELS[Math.min(ABILITY_LEVELS.indexOf(l) + 1, 4)];

/**
 * Score a complete sheet (call validateScores first). Coma decides the level outright; the
 * dementia / mental-disorder and the risk-event adjustments each move the level one step
 * worse and add up, never past 完全失能.
 */
export function scoreAssessment(scores: Record<string, number>, bg: AssessmentBackground): AssessmentResult {
  const subtotals: Record<AssessmentDimension, number> = { self_care: 0, motor: 0, mental: 0, perception: 0 };
  for (const it of ASSESSMENT_ITEMS) subtotals[it.dimension] += scores[it.key] ?? 0;
  const total = subtotals.self_care + subtotals.motor + subtotals.mental + subtotals.perception;
  const preliminaryLevel = levelByTotal(total);
  const adjustments: AssessmentAdjustment[] = [];
  let level = preliminaryLevel;
  if (bg.coma) {
    adjustments.push('coma');
    level = 'total';
  } else {
    if (bg.dementiaOrMentalDisorder) {
      adjustments.push('dementia_or_mental_disorder');
      level = worse(level);
    }
    const events = bg.riskEvents30d.reduce((n, e) => n + Math.max(0, e.count), 0);
    if (events >= 2) {
      adjustments.push('risk_events');
      level = worse(level);
    }
  }
  return { subtotals, total, preliminaryLevel, level, adjustments };
}

/** Maximum per dimension: 32 / 15 / 28 / 15 = 90. */
export const DIMENSION_MAX: Record<AssessmentDimension, number> = ASSESSMENT_ITEMS.reduce(
  (acc, it) => {
    acc[it.dimension] += it.max;
    return acc;
  },
  { self_care: 0, motor: 0, mental: 0, perception: 0 } as Record<AssessmentDimension, number>,
);
