import { and, desc, eq, lt, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { cstMonth } from '../../lib/dates.ts';
import { conflict } from '../../lib/errors.ts';
import { queryRows } from '../../lib/sql-rows.ts';
import {
  type AccountKind,
  type Currency,
  ledgerAccounts,
  ledgerEntries,
  ledgerTransactions,
  type TxKind,
} from './ledger.schema.ts';

export type AccountRow = typeof ledgerAccounts.$inferSelect;
const NIL = '00000000-0000-0000-0000-000000000000';

/** The account of (kind, currency, owner), created on first use. */
export async function ensureAccount(
  db: DbOrTx,
  kind: AccountKind,
  currency: Currency,
  ownerId: string | null,
): Promise<AccountRow> {
  // Nearly always there already: one lookup, and the insert only for a new account.
  const existing = await findAccount(db, kind, currency, ownerId);
  if (existing) return existing as AccountRow;
  await db.execute(sql`
    INSERT INTO ledger_accounts (kind, currency, owner_id) VALUES (${kind}, ${currency}, ${ownerId})
    ON CONFLICT (kind, currency, COALESCE(owner_id, ${NIL}::uuid)) DO NOTHING`);
  return (await findAccount(db, kind, currency, ownerId)) as AccountRow;
}

export async function findAccount(db: DbOrTx, kind: AccountKind, currency: Currency, ownerId: string | null) {
  return (
    await db
      .select()
      .from(ledgerAccounts)
      .where(
        and(
          eq(ledgerAccounts.kind, kind),
          eq(ledgerAccounts.currency, currency),
          // The unique index's own expression: an exact index lookup whatever the statistics say.
          sql`COALESCE(${ledgerAccounts.ownerId}, ${NIL}::uuid) = COALESCE(${ownerId}::uuid, ${NIL}::uuid)`,
        ),
      )
      .limit(1)
  )[0];
}

export interface Leg {
  accountId: string;
  amount: number;
}

export interface Posting {
  kind: TxKind;
  currency: Currency;
  legs: Leg[];
  elderId?: string | null;
  orderId?: string | null;
  policyId?: string | null;
  memo?: string | null;
  actorId?: string | null;
  /** Debits of a frozen account are refused unless this is set (releases, expiry, refunds). */
  allowFrozen?: boolean;
  /** The date of the entries (a back-dated correction); now when absent. Never in a closed month. */
  at?: Date;
}

/** Whether the month (YYYY-MM, China time) has been closed by an approved settlement. */
export async function isClosedPeriod(db: DbOrTx, period: string) {
  return (await queryRows(db, sql`SELECT 1 FROM ledger_closed_periods WHERE period = ${period}`)).length > 0;
}

/** Close a month for the ledger (idempotent): from now on nothing is posted or re-dated into it. */
export async function closePeriod(db: DbOrTx, period: string, settlementId: string, actorId: string | null) {
  await db.execute(sql`
    INSERT INTO ledger_closed_periods (period, settlement_id, closed_by) VALUES (${period}, ${settlementId}, ${actorId})
    ON CONFLICT (period) DO NOTHING`);
}

const closedMessage = (period: string) =>
  `The ledger for ${period} is closed (its settlement has been approved); entries dated in it are final. Post the correction in the current month instead.`;

/**
 * Post one balanced transaction. The touched accounts are locked in id order
 * (`SELECT … FOR UPDATE`, no deadlocks between opposite transfers), every debit of a wallet,
 * hold or provider account is checked against its balance under that lock, and the cached
 * balances move with the entries in the same transaction — so concurrent spends can never
 * overdraw, and `checkLedger` can always re-derive the balances from the entries.
 */
export async function post(tx: DbOrTx, p: Posting): Promise<string> {
  const sum = p.legs.reduce((a, l) => a + l.amount, 0);
  if (sum !== 0 || p.legs.some((l) => !Number.isSafeInteger(l.amount) || l.amount === 0)) {
    throw new Error(`unbalanced or invalid posting (${p.kind}): ${JSON.stringify(p.legs)}`);
  }
  const at = p.at ?? new Date();
  if (await isClosedPeriod(tx, cstMonth(at))) throw conflict(closedMessage(cstMonth(at)), undefined, 'closed-period');
  const ids = [...new Set(p.legs.map((l) => l.accountId))].sort();
  const locked = await queryRows<{ id: string; kind: AccountKind; balance: string; frozen: boolean }>(
    tx,
    sql`SELECT id, kind, balance, frozen FROM ledger_accounts WHERE id IN ${ids} ORDER BY id FOR UPDATE`,
  );
  const byId = new Map(locked.map((r) => [r.id, r]));
  const delta = new Map<string, number>();
  for (const l of p.legs) delta.set(l.accountId, (delta.get(l.accountId) ?? 0) + l.amount);
  for (const [id, d] of delta) {
    const a = byId.get(id);
    if (!a) throw new Error(`ledger account ${id} missing`);
    if (d < 0 && a.frozen && !p.allowFrozen)
      throw conflict('This wallet is frozen (the elder has died or moved away).', undefined, 'wallet-frozen');
    if (d < 0 && a.kind !== 'fund' && a.kind !== 'payout' && Number(a.balance) + d < 0) {
      throw conflict(
        a.kind === 'elder'
          ? `Not enough balance: ${Number(a.balance)} available, ${-d} needed.`
          : `Not enough balance in the ${a.kind} account.`,
        undefined,
        'insufficient-balance',
      );
    }
  }
  const dated = p.at ? { createdAt: p.at } : {};
  let t: { id: string };
  try {
    [t] = await tx
      .insert(ledgerTransactions)
      .values({
        kind: p.kind,
        currency: p.currency,
        elderId: p.elderId ?? null,
        orderId: p.orderId ?? null,
        policyId: p.policyId ?? null,
        memo: p.memo ?? null,
        actorId: p.actorId ?? null,
        ...dated,
      })
      .returning({ id: ledgerTransactions.id });
    await tx
      .insert(ledgerEntries)
      .values(p.legs.map((l) => ({ transactionId: t.id, accountId: l.accountId, amount: l.amount, ...dated })));
  } catch (err) {
    // The month was closed by an approval that committed after the check above (the trigger's word).
    const e = err as { message?: string; cause?: { message?: string } };
    if (/ledger period .* is closed/.test(`${e?.message} ${e?.cause?.message}`))
      throw conflict(closedMessage(cstMonth(at)), undefined, 'closed-period');
    throw err;
  }
  // Every touched balance in one statement (the rows are already locked above).
  const moves = [...delta].filter(([, d]) => d !== 0);
  if (moves.length)
    await tx.execute(sql`
      UPDATE ledger_accounts a SET balance = a.balance + m.delta
      FROM (VALUES ${sql.join(
        moves.map(([id, d]) => sql`(${id}::uuid, ${d}::bigint)`),
        sql`, `,
      )}) AS m(id, delta)
      WHERE a.id = m.id`);
  return t.id;
}

/** Freeze the wallets of elders who died or moved away; the accounts frozen now. */
export async function freezeWalletsOfGoneElders(db: DbOrTx) {
  return queryRows<{ id: string }>(
    db,
    sql`
    UPDATE ledger_accounts a SET frozen = true, frozen_reason = e.status
    FROM elders e WHERE a.owner_id = e.id AND a.kind = 'elder' AND NOT a.frozen AND e.status IN ('deceased', 'moved_away')
    RETURNING a.id`,
  );
}

/** Mark a transaction final (a settlement's payout: never reversed). */
export async function markFinal(tx: DbOrTx, transactionId: string) {
  await tx.execute(sql`UPDATE ledger_transactions SET final = true WHERE id = ${transactionId}`);
}

/** Lock an account (to the end of the transaction) and read its balance. */
export async function lockBalance(tx: DbOrTx, accountId: string): Promise<number> {
  const [locked] = await queryRows<{ balance: string }>(
    tx,
    sql`SELECT balance FROM ledger_accounts WHERE id = ${accountId} FOR UPDATE`,
  );
  return Number(locked.balance);
}

export async function setFrozen(db: DbOrTx, ownerId: string, frozen: boolean, reason: string | null) {
  return db
    .update(ledgerAccounts)
    .set({ frozen, frozenReason: reason })
    .where(and(eq(ledgerAccounts.ownerId, ownerId), eq(ledgerAccounts.kind, 'elder'), sql`${ledgerAccounts.frozen} <> ${frozen}`))
    .returning({ id: ledgerAccounts.id });
}

export async function elderAccounts(db: DbOrTx, elderId: string) {
  return db
    .select()
    .from(ledgerAccounts)
    .where(and(eq(ledgerAccounts.ownerId, elderId), sql`${ledgerAccounts.kind} IN ('elder','hold')`));
}

/** Entries of an account, newest first, with their transaction; `before` is an entry id cursor. */
export async function statement(db: DbOrTx, accountIds: string[], limit: number, before?: number) {
  if (!accountIds.length) return [];
  return db
    .select({
      id: ledgerEntries.id,
      accountId: ledgerEntries.accountId,
      amount: ledgerEntries.amount,
      at: ledgerEntries.createdAt,
      kind: ledgerTransactions.kind,
      // An elder's accounts hold points or fen only (the time bank's minutes are volunteers').
      currency: sql<'points' | 'fen'>`${ledgerTransactions.currency}`,
      orderId: ledgerTransactions.orderId,
      policyId: ledgerTransactions.policyId,
      memo: ledgerTransactions.memo,
      transactionId: ledgerTransactions.id,
    })
    .from(ledgerEntries)
    .innerJoin(ledgerTransactions, eq(ledgerTransactions.id, ledgerEntries.transactionId))
    .where(and(sql`${ledgerEntries.accountId} IN ${accountIds}`, before ? lt(ledgerEntries.id, before) : undefined))
    .orderBy(desc(ledgerEntries.id))
    .limit(limit);
}

export interface LedgerCheck {
  ok: boolean;
  transactions: number;
  entries: number;
  accounts: number;
  /** Transactions whose entries do not sum to zero. */
  unbalanced: Array<{ transactionId: string; sum: number }>;
  /** Accounts whose cached balance differs from the sum of their entries. */
  mismatched: Array<{ accountId: string; balance: number; derived: number }>;
  /** Wallet, hold or provider accounts below zero. */
  negative: Array<{ accountId: string; balance: number }>;
  /** Per currency, the sum of every entry (must be 0). */
  totals: Record<string, number>;
}

/** Prove the ledger: every transaction balances, every balance is derivable, nothing overdrawn. */
export async function checkLedger(db: DbOrTx): Promise<LedgerCheck> {
  const [counts] = await queryRows<{ t: string; e: string; a: string }>(
    db,
    sql`SELECT (SELECT count(*) FROM ledger_transactions) t, (SELECT count(*) FROM ledger_entries) e, (SELECT count(*) FROM ledger_accounts) a`,
  );
  const unbalanced = await queryRows<{ transaction_id: string; sum: string }>(
    db,
    sql`
      SELECT t.id AS transaction_id, COALESCE(SUM(e.amount), 0) AS sum
      FROM ledger_transactions t LEFT JOIN ledger_entries e ON e.transaction_id = t.id
      GROUP BY t.id HAVING COALESCE(SUM(e.amount), 0) <> 0 OR count(e.id) < 2 LIMIT 100`,
  );
  const mismatched = await queryRows<{ id: string; balance: string; derived: string }>(
    db,
    sql`
      SELECT a.id, a.balance, COALESCE(d.derived, 0) AS derived
      FROM ledger_accounts a LEFT JOIN (SELECT account_id, SUM(amount) AS derived FROM ledger_entries GROUP BY account_id) d
        ON d.account_id = a.id
      WHERE a.balance <> COALESCE(d.derived, 0) LIMIT 100`,
  );
  const negative = await queryRows<{ id: string; balance: string }>(
    db,
    sql`SELECT id, balance FROM ledger_accounts WHERE kind IN ('elder','hold','provider','volunteer') AND balance < 0 LIMIT 100`,
  );
  const totals = await queryRows<{ currency: string; total: string }>(
    db,
    sql`
      SELECT a.currency, SUM(e.amount) AS total FROM ledger_entries e JOIN ledger_accounts a ON a.id = e.account_id GROUP BY a.currency`,
  );
  const result: LedgerCheck = {
    ok: false,
    transactions: Number(counts.t),
    entries: Number(counts.e),
    accounts: Number(counts.a),
    unbalanced: unbalanced.map((u) => ({ transactionId: u.transaction_id, sum: Number(u.sum) })),
    mismatched: mismatched.map((m) => ({ accountId: m.id, balance: Number(m.balance), derived: Number(m.derived) })),
    negative: negative.map((n) => ({ accountId: n.id, balance: Number(n.balance) })),
    totals: Object.fromEntries(totals.map((t) => [t.currency, Number(t.total)])),
  };
  result.ok =
    !result.unbalanced.length &&
    !result.mismatched.length &&
    !result.negative.length &&
    Object.values(result.totals).every((v) => v === 0);
  return result;
}
