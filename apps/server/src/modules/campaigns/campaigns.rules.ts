import { addDays, cstDate, cstDayStart } from '../../lib/dates.ts';

/** Pure rules of the care calls: periods, ages, working hours, retries, merging and fair assignment. */

const CST_OFFSET_MS = 8 * 3600_000;

/** Minutes after midnight, China time. */
export const cstMinute = (d: Date) => Math.floor(((d.getTime() + CST_OFFSET_MS) % 86400_000) / 60_000);
/** The instant `minute` minutes after the start of China day `day`. */
export const cstAt = (day: string, minute: number) => new Date(cstDayStart(day).getTime() + minute * 60_000);

export const hhmmToMinute = (s: string) => Number(s.slice(0, 2)) * 60 + Number(s.slice(3, 5));
export const minuteToHhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

/** Monday of the (China) week of `day`. */
export function weekStart(day: string): string {
  const dow = new Date(`${day}T00:00:00Z`).getUTCDay(); // 0 Sunday
  return addDays(day, -((dow + 6) % 7));
}

/** First day of the campaign's current period; a `once` campaign has one period, since `createdDay`. */
export function periodStart(frequency: 'weekly' | 'monthly' | 'once', day: string, createdDay: string): string {
  if (frequency === 'weekly') return weekStart(day);
  if (frequency === 'monthly') return `${day.slice(0, 7)}-01`;
  return createdDay < day ? createdDay : day;
}

const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

/** Born on or before this date ⇔ at least `age` years old on `day` (29 February counts from 1 March). */
export function bornBy(day: string, age: number): string {
  const y = Number(day.slice(0, 4)) - age;
  const md = day.slice(5);
  if (md === '02-29' && !isLeap(y)) return `${y}-02-28`;
  return `${String(y).padStart(4, '0')}-${md}`;
}

/** The MM-DD birthdays falling in the week of `day` (a 29 February birthday is kept on 28 February). */
export function birthdaysOfWeek(day: string): string[] {
  const start = weekStart(day);
  const out: string[] = [];
  for (let i = 0; i < 7; i++) {
    const d = addDays(start, i);
    out.push(d.slice(5));
    if (d.slice(5) === '02-28' && !isLeap(Number(d.slice(0, 4)))) out.push('02-29');
  }
  return out;
}

export interface TaskRules {
  workStartMinute: number;
  workEndMinute: number;
  retryAfterMinutes: number;
  maxAttemptsPerDay: number;
  visitAfterDays: number;
}

/**
 * One task's rules when several campaigns are merged on one elder: the hours all of them allow
 * (the first campaign's when they do not overlap), the longest wait, the smallest caps.
 */
export function mergeRules(rs: TaskRules[]): TaskRules {
  const start = Math.max(...rs.map((r) => r.workStartMinute));
  const end = Math.min(...rs.map((r) => r.workEndMinute));
  const hours = end > start ? { workStartMinute: start, workEndMinute: end } : rs[0];
  return {
    workStartMinute: hours.workStartMinute,
    workEndMinute: hours.workEndMinute,
    retryAfterMinutes: Math.max(...rs.map((r) => r.retryAfterMinutes)),
    maxAttemptsPerDay: Math.min(...rs.map((r) => r.maxAttemptsPerDay)),
    visitAfterDays: Math.min(...rs.map((r) => r.visitAfterDays)),
  };
}

/**
 * When an unanswered task may be dialled again, after a dial at `now` that made `attemptsToday`
 * dials today: not before the retry wait, only within working hours, and the next day's start
 * once today's cap is reached or today's hours are over.
 */
export function nextAttemptAt(now: Date, r: TaskRules, attemptsToday: number): Date {
  const today = cstDate(now);
  const tomorrow = cstAt(addDays(today, 1), r.workStartMinute);
  if (attemptsToday >= r.maxAttemptsPerDay) return tomorrow;
  const candidate = new Date(now.getTime() + r.retryAfterMinutes * 60_000);
  if (cstDate(candidate) !== today || cstMinute(candidate) >= r.workEndMinute) return tomorrow;
  if (cstMinute(candidate) < r.workStartMinute) return cstAt(today, r.workStartMinute);
  return candidate;
}

/** Within the task's working hours at `now`? */
export const withinHours = (now: Date, r: Pick<TaskRules, 'workStartMinute' | 'workEndMinute'>) => {
  const m = cstMinute(now);
  return m >= r.workStartMinute && m < r.workEndMinute;
};

export interface Agent {
  userId: string;
  regionCode: string;
}

/**
 * Assign each new task to an agent whose region contains the elder's, fairly: the agent with the
 * fewest open tasks (those already held plus those given in this run), ties by user id, tasks in
 * the order given. Deterministic. A task no agent covers stays unassigned (null).
 */
export function assignFairly<T extends { regionCode: string }>(
  tasks: T[],
  agents: Agent[],
  load: Map<string, number>,
): Array<T & { agentUserId: string | null }> {
  const sorted = [...agents].sort((a, b) => (a.userId < b.userId ? -1 : 1));
  const counts = new Map(sorted.map((a) => [a.userId, load.get(a.userId) ?? 0]));
  // Candidates per elder region, computed once per region.
  const byRegion = new Map<string, Agent[]>();
  return tasks.map((t) => {
    let candidates = byRegion.get(t.regionCode);
    if (!candidates) {
      candidates = sorted.filter((a) => t.regionCode.startsWith(a.regionCode));
      byRegion.set(t.regionCode, candidates);
    }
    let best: Agent | null = null;
    for (const a of candidates) if (!best || (counts.get(a.userId) ?? 0) < (counts.get(best.userId) ?? 0)) best = a;
    if (best) counts.set(best.userId, (counts.get(best.userId) ?? 0) + 1);
    return { ...t, agentUserId: best?.userId ?? null };
  });
}
