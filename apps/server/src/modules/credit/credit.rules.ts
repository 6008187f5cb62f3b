import {
  CREDIT_EVENT_KINDS,
  type CreditEventKind,
  type CreditExplanation,
  type CreditLevel,
  type CreditLine,
  type CreditRules,
  creditRules,
} from '@zhiyang/shared';

/**
 * The default scoring rules (docs/credit.md). Every organisation starts at `base`; each event in
 * its file adds its kind's weight, halved every `halfLifeDays` of age, and events older than
 * `horizonDays` no longer count. The sum, clamped to 0–100, gives the level by the thresholds.
 */
export const DEFAULT_CREDIT_RULES: CreditRules = {
  base: 85,
  halfLifeDays: 365,
  horizonDays: 1095,
  weights: {
    licence: 2,
    commitment: 5,
    commendation: 5,
    inspection_pass: 3,
    inspection_fail: -10,
    penalty: -20,
    penalty_major: -40,
    rectified: 8,
    rectification_overdue: -15,
    rating_poor: -3,
    complaint: -5,
    evv_anomaly: -2,
    settlement_hold: -3,
    licence_expired: -10,
    incident: -5,
  },
  // Volume signals together lower a score to C at most; D takes a penalty or an overdue rectification.
  caps: { rating_poor: 3, complaint: 6, evv_anomaly: 3, settlement_hold: 3 },
  levels: { A: 90, B: 75, C: 60 },
  listAfterDaysAtD: 90,
  listOnKinds: ['penalty_major'],
};

/** The bureau's stored keys over the defaults; a stored value that no longer fits is ignored. */
export function mergeRules(stored: Record<string, unknown> | null | undefined): CreditRules {
  if (!stored) return DEFAULT_CREDIT_RULES;
  const weights = { ...DEFAULT_CREDIT_RULES.weights, ...((stored.weights as object) ?? {}) };
  const merged = {
    ...DEFAULT_CREDIT_RULES,
    ...stored,
    weights: Object.fromEntries(CREDIT_EVENT_KINDS.map((k) => [k, weights[k]])),
    levels: { ...DEFAULT_CREDIT_RULES.levels, ...((stored.levels as object) ?? {}) },
    caps: (stored.caps as object) ?? DEFAULT_CREDIT_RULES.caps,
  };
  const parsed = creditRules.safeParse(merged);
  return parsed.success ? parsed.data : DEFAULT_CREDIT_RULES;
}

/** One event of a file, before scoring: dated and sourced. */
export interface CreditEvent {
  kind: CreditEventKind;
  occurredOn: string;
  title: string;
  source: CreditLine['source'];
  sourceId: string;
}

const DAY_MS = 86_400_000;
const daysBetween = (from: string, to: string) =>
  Math.max(0, Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS));
const round2 = (n: number) => Math.round(n * 100) / 100;

export function levelOf(score: number, rules: CreditRules): CreditLevel {
  if (score >= rules.levels.A) return 'A';
  if (score >= rules.levels.B) return 'B';
  if (score >= rules.levels.C) return 'C';
  return 'D';
}

/**
 * Score a file on `today` (a China-time day): one explanation line per event, newest first,
 * each with its weight, age, decay factor and the points it counted (rounded to 0.01).
 */
export function scoreCredit(events: readonly CreditEvent[], rules: CreditRules, today: string): CreditExplanation {
  const lines: CreditLine[] = [...events]
    .sort((a, b) => (a.occurredOn === b.occurredOn ? a.sourceId.localeCompare(b.sourceId) : a.occurredOn < b.occurredOn ? 1 : -1))
    .map((e) => {
      const ageDays = daysBetween(e.occurredOn, today);
      const weight = rules.weights[e.kind];
      const decay = ageDays > rules.horizonDays ? 0 : 0.5 ** (ageDays / rules.halfLifeDays);
      return { ...e, weight, ageDays, factor: round2(decay), points: round2(weight * decay), capped: false };
    });
  // A kind's cap: the newest lines count first; once the kind has taken off its cap, the rest count 0.
  const left = new Map(Object.entries(rules.caps).map(([k, c]) => [k, c ?? 0]));
  for (const l of lines) {
    const cap = left.get(l.kind);
    if (cap === undefined || l.points >= 0) continue;
    const take = Math.min(-l.points, cap);
    if (take < -l.points) Object.assign(l, { points: round2(-take), capped: true });
    left.set(l.kind, round2(cap - take));
  }
  const raw = round2(rules.base + lines.reduce((sum, l) => sum + l.points, 0));
  const score = Math.max(0, Math.min(100, Math.round(raw)));
  return {
    base: rules.base,
    halfLifeDays: rules.halfLifeDays,
    horizonDays: rules.horizonDays,
    lines,
    raw,
    score,
    level: levelOf(score, rules),
  };
}

/**
 * Whether the listing rule lists an organisation today: at D for `listAfterDaysAtD` days, or an
 * event of a listing kind within the horizon. Only what happened after the last removal counts
 * (a removed organisation is not listed again for the same event or the same days at D).
 * Returns the reason (Chinese, shown on the list) or null.
 */
export function ruleListingReason(
  explanation: CreditExplanation,
  f: { dSince: string | null; lastRemovedOn: string | null },
  rules: CreditRules,
  today: string,
  kindLabel: (k: CreditEventKind) => string,
): string | null {
  const after = (day: string) => !f.lastRemovedOn || day > f.lastRemovedOn;
  const listing = explanation.lines.find(
    (l) => rules.listOnKinds.includes(l.kind) && l.ageDays <= rules.horizonDays && after(l.occurredOn),
  );
  if (listing) return `${kindLabel(listing.kind)}：${listing.title}（${listing.occurredOn}）`;
  const since = f.dSince && f.lastRemovedOn && f.lastRemovedOn > f.dSince ? f.lastRemovedOn : f.dSince;
  if (rules.listAfterDaysAtD > 0 && since && daysBetween(since, today) >= rules.listAfterDaysAtD)
    return `信用等级连续 ${rules.listAfterDaysAtD} 天为 D 级（自 ${since} 起）`;
  return null;
}
