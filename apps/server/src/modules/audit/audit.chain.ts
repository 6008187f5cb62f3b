import type { Db, DbOrTx } from '../../db/client.ts';
import type { AppContext } from '../../lib/context.ts';
import { sha256Hex as sha256 } from '../../lib/crypto.ts';
import {
  type AuditRow,
  auditRowsBetween,
  chainHead,
  currentSnapshot,
  insertSeals,
  lastDrawnId,
  lockSealer,
  type SealRow,
  sealsBetween,
  snapshotFinished,
  trailEnds,
} from './audit.repo.ts';

/**
 * The audit hash chain (docs/decisions/0011-audit-sealer.md). Writers insert rows unchained; the
 * sealer chains them in id order: one `audit_seals` entry per id — `row` for a committed row,
 * `gap` for a number whose transaction rolled back — each hashing the previous entry's hash, its
 * id, its kind and the row's fields. Rows written before migration 0005 carry the older link
 * (prev_hash / hash in audit_log, without the id) and are checked as before; the sealed chain
 * continues from the last of them.
 */

export const GENESIS_HASH = '0'.repeat(64);
/** Held (per transaction) only by the one sealer at work; writers never take it. */
const AUDIT_SEALER_LOCK = 72_002;
/** How often each worker process tries to seal. */
export const SEAL_INTERVAL_MS = 500;
/** A row still unsealed this long after it was written is reported by the verification. */
export const SEAL_DELAY_MS = 10_000;

export interface HashedFields {
  at: Date;
  actorId: string | null;
  actorName: string | null;
  actorRole: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  regionCode: string | null;
  ip: string | null;
  outcome: string;
  detail: unknown;
}

/** JSON with sorted keys, so a value reads back from jsonb to the same text. Runs for every audit row sealed. */
function canonical(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) {
    let out = '[';
    for (let i = 0; i < v.length; i++) out += (i ? ',' : '') + canonical(v[i]);
    return `${out}]`;
  }
  if (v instanceof Date) return JSON.stringify(v.toISOString());
  const o = v as Record<string, unknown>;
  let out = '{';
  for (const k of Object.keys(o).sort()) {
    const x = o[k];
    if (x === undefined) continue;
    out += `${out.length > 1 ? ',' : ''}${JSON.stringify(k)}:${canonical(x)}`;
  }
  return `${out}}`;
}

const fieldList = (f: HashedFields) => [
  f.at.toISOString(),
  f.actorId,
  f.actorName,
  f.actorRole,
  f.action,
  f.targetType,
  f.targetId,
  f.regionCode,
  f.ip,
  f.outcome,
  f.detail ?? null,
];

/** The link of a row chained before the sealer (kept so those rows still verify). */
export function auditRowHash(prevHash: string, f: HashedFields): string {
  return sha256(canonical([prevHash, ...fieldList(f)]));
}

/** The link of a sealed entry: the id is hashed too, so moving a row to another id breaks it. */
export function sealHash(prevHash: string, id: number, row: HashedFields | null): string {
  return sha256(canonical([prevHash, id, row ? 'row' : 'gap', ...(row ? fieldList(row) : [])]));
}

export interface SealResult {
  /** Rows and gaps chained by this call. */
  sealed: number;
  gaps: number;
  /** The id the chain now ends at (0: empty). */
  through: number;
  /** False when another process held the sealer's lock (it seals instead). */
  ran: boolean;
}

export interface SealOptions {
  /** At most this many ids per call. */
  maxIds?: number;
  /** How long to wait for the transactions running at the start to end before sealing past a missing id. */
  waitMs?: number;
  /** Wait for a sealer at work in another process instead of leaving the work to it (tests, CLI). */
  block?: boolean;
  /** The chain is known to reach this id: when no number was drawn since, stop after one query. */
  knownThrough?: number;
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Chain every audit row that can no longer change: read the last number drawn (S), then the
 * running transactions; once those have ended, every id up to S is final (a writer's transaction
 * has its id before it draws a number, migration 0005), so an id without a row is a rollback and
 * becomes a `gap` entry. If they have not ended within `waitMs`, only the unbroken run of rows
 * is sealed and the rest waits for the next call. One sealer at a time across processes
 * (a try-lock; a second caller returns `ran: false`).
 */
export async function sealAudit(db: Db, opts: SealOptions = {}): Promise<SealResult> {
  const maxIds = opts.maxIds ?? 5000;
  const waitMs = opts.waitMs ?? 1000;
  const drawn = await lastDrawnId(db);
  if (opts.knownThrough !== undefined && drawn <= opts.knownThrough)
    return { sealed: 0, gaps: 0, through: opts.knownThrough, ran: true };
  const snap = await currentSnapshot(db);
  let final = await snapshotFinished(db, snap);
  for (let waited = 0; !final && waited < waitMs; waited += 10) {
    await pause(10);
    final = await snapshotFinished(db, snap);
  }
  return db.transaction(async (tx) => {
    if (!(await lockSealer(tx, AUDIT_SEALER_LOCK, opts.block ?? false))) return { sealed: 0, gaps: 0, through: 0, ran: false };
    const head = await chainHead(tx);
    let prev = head?.hash ?? GENESIS_HASH;
    const from = head?.id ?? 0;
    const upTo = Math.min(drawn, from + maxIds);
    if (upTo <= from) return { sealed: 0, gaps: 0, through: from, ran: true };
    const rows = new Map((await auditRowsBetween(tx, from, upTo)).map((r) => [r.id, r]));
    const seals: { id: number; kind: 'row' | 'gap'; prevHash: string; hash: string }[] = [];
    let gaps = 0;
    for (let id = from + 1; id <= upTo; id++) {
      const row = rows.get(id);
      if (!row && !final) break;
      const hash = sealHash(prev, id, row ? fieldsOf(row) : null);
      seals.push({ id, kind: row ? 'row' : 'gap', prevHash: prev, hash });
      if (!row) gaps++;
      prev = hash;
    }
    await insertSeals(tx, seals);
    return { sealed: seals.length, gaps, through: from + seals.length, ran: true };
  });
}

/** Seal until nothing is left that can be sealed now; with `block`, tests and the CLI await this. */
export async function sealAll(db: Db, opts: SealOptions = {}): Promise<SealResult> {
  const total: SealResult = { sealed: 0, gaps: 0, through: 0, ran: true };
  let knownThrough = opts.knownThrough;
  for (;;) {
    const r = await sealAudit(db, { ...opts, knownThrough });
    total.sealed += r.sealed;
    total.gaps += r.gaps;
    total.through = Math.max(total.through, r.through);
    total.ran = r.ran;
    if (!r.ran || r.sealed < (opts.maxIds ?? 5000)) return total;
    knownThrough = r.through;
  }
}

/**
 * The sealer loop of a worker process (the audit module's listener): every SEAL_INTERVAL_MS, and
 * at once again while a full batch was sealed. Every worker runs it; the lock lets one work.
 */
export function startAuditSealer(ctx: AppContext): () => void {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  // An idle tick costs one query (the sequence) once this process knows where the chain ends.
  let knownThrough: number | undefined;
  const tick = async () => {
    try {
      const r = await sealAll(ctx.db, { knownThrough });
      knownThrough = r.ran ? r.through : undefined;
    } catch (err) {
      if (!stopped) ctx.log.error({ err }, 'audit sealer failed; retrying');
    }
    if (!stopped) timer = setTimeout(tick, SEAL_INTERVAL_MS);
  };
  timer = setTimeout(tick, SEAL_INTERVAL_MS);
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

function fieldsOf(r: AuditRow): HashedFields {
  return { ...r, detail: r.detail };
}

export type BrokenReason = 'prev_hash' | 'hash' | 'missing' | 'unexpected';

export interface VerifyResult {
  ok: boolean;
  /** Entries whose link was checked: chained rows before the sealer, sealed rows and gaps. */
  checked: number;
  /** The id the verified chain ends at. */
  sealedThrough: number;
  /** Rows not chained yet; `stale` of them were written more than `delayMs` ago (a problem). */
  unsealed: { count: number; stale: number; oldestAt: string | null; delayMs: number };
  /**
   * First entry that does not match: `hash` (a row's content or id changed), `prev_hash` (the
   * link to the previous entry), `missing` (a sealed row or a chain entry was deleted),
   * `unexpected` (a row where the chain has a gap or ends, or an old-style link after sealing began).
   */
  brokenAt?: { id: number; reason: BrokenReason };
}

/**
 * Walk the whole chain: rows chained before the sealer, then the sealed entries (contiguous ids,
 * each row present and unchanged, each gap still empty), then the unsealed tail, whose rows
 * older than `delayMs` make the result not ok.
 */
export async function verifyAuditChain(
  db: DbOrTx,
  opts: { batch?: number; delayMs?: number; now?: Date } = {},
): Promise<VerifyResult> {
  const batch = opts.batch ?? 5000;
  const delayMs = opts.delayMs ?? SEAL_DELAY_MS;
  const staleBefore = (opts.now ?? new Date()).getTime() - delayMs;
  const { lastRow, lastSeal } = await trailEnds(db);
  const end = Math.max(lastRow, lastSeal);
  let prev = GENESIS_HASH;
  let checked = 0;
  let phase: 'legacy' | 'sealed' | 'unsealed' = 'legacy';
  /** In the sealed phase, the id the next entry must have. */
  let expect = 0;
  let lastChained = 0;
  const unsealed = { count: 0, stale: 0, oldestAt: null as string | null, delayMs };
  const result = (brokenAt?: VerifyResult['brokenAt']): VerifyResult => ({
    ok: !brokenAt && unsealed.stale === 0,
    checked,
    sealedThrough: lastChained,
    unsealed,
    ...(brokenAt && { brokenAt }),
  });
  for (let after = 0; after < end; after += batch) {
    const upTo = Math.min(end, after + batch);
    // Seals first: a sealed row committed before its seal, so the later read of rows sees it.
    const seals = new Map<number, SealRow>((await sealsBetween(db, after, upTo)).map((s) => [s.id, s]));
    const rows = await auditRowsBetween(db, after, upTo);
    const ids = [...new Set([...rows.map((r) => r.id), ...seals.keys()])].sort((a, b) => a - b);
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const id of ids) {
      const row = byId.get(id);
      const seal = seals.get(id);
      if (phase === 'legacy' && row?.hash != null && !seal) {
        if (row.prevHash !== prev) return result({ id, reason: 'prev_hash' });
        if (auditRowHash(prev, fieldsOf(row)) !== row.hash) return result({ id, reason: 'hash' });
        prev = row.hash;
        lastChained = id;
        checked++;
        continue;
      }
      if (phase === 'legacy') {
        phase = 'sealed';
        expect = lastChained + 1;
      }
      if (phase === 'sealed') {
        // Every id from the end of the old chain on has a seal, up to the last seal.
        if (id > lastSeal) phase = 'unsealed';
        else {
          if (id !== expect) return result({ id: expect, reason: 'missing' });
          if (!seal) return result({ id, reason: 'missing' });
          if (seal.prevHash !== prev) return result({ id, reason: 'prev_hash' });
          if (seal.kind === 'row' && !row) return result({ id, reason: 'missing' });
          if (seal.kind === 'gap' && row) return result({ id, reason: 'unexpected' });
          if (row?.hash != null) return result({ id, reason: 'unexpected' });
          if (sealHash(prev, id, row ? fieldsOf(row) : null) !== seal.hash) return result({ id, reason: 'hash' });
          prev = seal.hash;
          lastChained = id;
          expect = id + 1;
          checked++;
          continue;
        }
      }
      // Past the last seal: rows waiting for the sealer (or sealed since this walk began).
      if (!row) continue;
      if (row.hash != null) return result({ id, reason: 'unexpected' });
      unsealed.count++;
      if (unsealed.oldestAt === null || row.at.toISOString() < unsealed.oldestAt) unsealed.oldestAt = row.at.toISOString();
      if (row.at.getTime() < staleBefore) unsealed.stale++;
    }
  }
  return result();
}
