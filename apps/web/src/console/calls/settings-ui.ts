import type { CallAgent, CallHotline } from '@zhiyang/shared';
import { ApiError } from '../../app/api.ts';
import type { useFetch } from '../../app/useFetch.ts';

/**
 * Pure helpers of the call-centre settings page: skills by name, the queues an agent's skills
 * let her take, and the server's conflicts placed on the form field they are about.
 */

/** Skills the console names itself (calls.settings.skill.*); any other code is named by a queue that asks for it. */
export const KNOWN_SKILLS = ['emergency', 'dialect', 'medical', 'policy', 'psychology', 'complaint'] as const;

export interface SkillNames {
  /** The catalogue's names of the known skills. */
  known: Partial<Record<string, string>>;
  /** What to call a skill nobody named (shown with a number, never as its code). */
  unnamed: string;
}

/** Every skill in use or offered, once, known skills first: `{ value: code, label: name }`. */
export function skillOptions(names: SkillNames, hotlines: readonly CallHotline[], agents: readonly CallAgent[] = []) {
  const codes = new Set<string>(KNOWN_SKILLS);
  for (const h of hotlines) for (const q of h.queues) if (q.skill) codes.add(q.skill);
  for (const a of agents) for (const s of a.skills) codes.add(s);
  return [...codes].map((code) => ({ value: code, label: skillName(code, names, hotlines, agents) }));
}

/**
 * A skill's name in the console: the catalogue's, else the name of the first queue that asks for
 * it (a queue 紧急求助 with skill `emergency` names it), else 其他技能 with a number.
 */
export function skillName(
  code: string,
  names: SkillNames,
  hotlines: readonly CallHotline[],
  agents: readonly CallAgent[] = [],
): string {
  const known = names.known[code];
  if (known) return known;
  for (const h of hotlines) for (const q of h.queues) if (q.skill === code) return q.name;
  const unnamed = [
    ...new Set([...hotlines.flatMap((h) => h.queues.map((q) => q.skill)), ...agents.flatMap((a) => a.skills), code]),
  ]
    .filter((c): c is string => !!c && !names.known[c] && !hotlines.some((h) => h.queues.some((q) => q.skill === c)))
    .sort();
  return `${names.unnamed} ${unnamed.indexOf(code) + 1}`;
}

const nested = (a: string, b: string) => a.startsWith(b) || b.startsWith(a);

/**
 * The queues an agent may be given calls from: active queues of active hotlines whose region
 * contains the agent's or lies inside it, asking for no skill or one the agent has (as routing
 * picks agents, apps/server/src/modules/calls/routing.service.ts).
 */
export function queuesServed(agent: Pick<CallAgent, 'skills' | 'regionCode'>, hotlines: readonly CallHotline[]) {
  return hotlines
    .filter((h) => h.active && nested(h.regionCode, agent.regionCode))
    .flatMap((h) =>
      h.queues
        .filter((q) => q.active && (!q.skill || agent.skills.includes(q.skill)))
        .map((q) => ({ id: q.id, hotlineName: h.name, queueName: q.name })),
    );
}

/**
 * A 409 or 422 that names the field it is about (`body.extension`), as `{ name, errors }` for
 * `form.setFields`, with the page's own sentence for that field and status (`textOf` answers
 * undefined for a field the form does not have); null when it names none of them.
 */
export function conflictOnField<F extends string = string>(
  err: unknown,
  textOf: (field: string, status: 409 | 422) => string | undefined,
): Array<{ name: F; errors: string[] }> | null {
  if (!(err instanceof ApiError) || (err.status !== 409 && err.status !== 422)) return null;
  const status = err.status;
  const marked = new Map<string, string>();
  for (const e of err.problem.errors ?? []) {
    const name = e.path.replace(/^body\./, '').split('.')[0];
    const text = textOf(name, status);
    if (text) marked.set(name, text);
  }
  // Only fields `textOf` answered for, which are the form's own.
  return marked.size ? [...marked].map(([name, text]) => ({ name: name as F, errors: [text] })) : null;
}

/** What each tab of the settings page gets: the list it shows, and skills by name. */
export type ListState<T> = ReturnType<typeof useFetch<{ items: T[]; total: number }>>;
export interface TabProps {
  skill(code: string): string;
  skillOptions: Array<{ value: string; label: string }>;
}
