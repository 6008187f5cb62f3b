import { and, desc, eq, lt, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { cstMonth } from '../../lib/dates.ts';
import { conflict } from '../../lib/errors.ts';
import { pgArray, queryRows, tableRow } from '../../lib/sql-rows.ts';
import {
  type AccountKind,
  type Currency,
  ledgerAccounts,
  ledgerEntries,
  ledgerTransactions,
  type TxKind,
} from './ledger.schema.ts';

export type AccountRow = typeof ledgerAccounts.$inferSelect;
// A literal, never a parameter: the unique index's expression must match it when a prepared
// statement is planned without its values (ON CONFLICT's arbiter, the index lookup).
const NIL = sql.raw(`'00000000-0000-0000-0000-000000000000'::uuid`);

/** The account of (kind, currency, owner), created on first use. */
export async function ensureAccount(
  db: DbOrTx,
  kind: AccountKind,
  currency: Currency,
  ownerId: string | null,
): Promise<AccountRow> {
  // Nearly always there already: one lookup, and the insert only for a new account.
  return (
    ((await findAccount(db, kind, currency, ownerId)) as AccountRow | undefined) ?? createAccount(db, kind, currency, ownerId)
  );
}

/** Create the account (kind, currency, owner), or find the one a concurrent transaction just created. */
async function createAccount(db: DbOrTx, kind: AccountKind, currency: Currency, ownerId: string | null): Promise<AccountRow> {
  const [created] = await db
    .insert(ledgerAccounts)
    .values({ kind, currency, ownerId })
    // The only other unique key is (kind, currency, owner): a conflict is a concurrent creator.
    .onConflictDoNothing()
    .returning();
  return created ?? ((await findAccount(db, kind, currency, ownerId)) as AccountRow);
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
          sql`COALESCE(${ledgerAccounts.ownerId}, ${NIL}) = COALESCE(${ownerId}::uuid, ${NIL})`,
        ),
      )
      .limit(1)
  )[0];
}

/**
 * An elder's wallet and hold accounts in one currency, in one statement (the order path's): the
 * lookup, and the insert of whichever is missing on first use.
 */
export async function ensureElderAccounts(db: DbOrTx, elderId: string, currency: Currency) {
  const raw = await queryRows<Record<string, unknown>>(
    db,
    sql`
    WITH have AS (
      SELECT * FROM ledger_accounts
      WHERE kind IN ('elder', 'hold') AND currency = ${currency} AND COALESCE(owner_id, ${NIL}) = COALESCE(${elderId}::uuid, ${NIL})),
    made AS (
      INSERT INTO ledger_accounts (kind, currency, owner_id)
      SELECT k.kind, ${currency}, ${elderId}::uuid FROM (VALUES ('elder'), ('hold')) AS k(kind)
      WHERE NOT EXISTS (SELECT 1 FROM have WHERE have.kind = k.kind)
      -- The only other unique key is (kind, currency, owner): a conflict is a concurrent creator.
      ON CONFLICT DO NOTHING
      RETURNING *)
    SELECT * FROM have UNION ALL SELECT * FROM made`,
  );
  const rows = raw.map((r) => tableRow(ledgerAccounts, r));
  // An account a concurrent transaction created meanwhile is not in this statement's snapshot.
  const wallet = rows.find((r) => r.kind === 'elder') ?? (await findAccount(db, 'elder', currency, elderId));
  const hold = rows.find((r) => r.kind === 'hold') ?? (await findAccount(db, 'hold', currency, elderId));
  if (!wallet || !hold) throw new Error(`the accounts of elder ${elderId} (${currency}) could not be opened`);
  return { wallet, hold };
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
  const ids = [...new Set(p.legs.map((l) => l.accountId))].sort();
  // The accounts locked in id order, and whether the month is closed, in one round trip.
  const locked = await queryRows<{ id: string; kind: AccountKind; balance: string; frozen: boolean; closed: boolean }>(
    tx,
    sql`SELECT id, kind, balance, frozen,
          EXISTS (SELECT 1 FROM ledger_closed_periods WHERE period = ${cstMonth(at)}) AS closed
        FROM ledger_accounts WHERE id = ANY(${pgArray(ids)}::uuid[]) ORDER BY id FOR UPDATE`,
  );
  if (locked[0]?.closed) throw conflict(closedMessage(cstMonth(at)), undefined, 'closed-period');
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
  const moves = [...delta].filter(([, d]) => d !== 0);
  // The transaction, its entries (in the legs' order) and every touched balance (the rows are
  // locked above) in one statement.
  let rows: { id: string }[];
  try {
    rows = await queryRows<{ id: string }>(
      tx,
      sql`
      WITH t AS (
        INSERT INTO ledger_transactions (kind, currency, elder_id, order_id, policy_id, memo, actor_id, created_at)
        VALUES (${p.kind}, ${p.currency}, ${p.elderId ?? null}, ${p.orderId ?? null}, ${p.policyId ?? null}, ${p.memo ?? null},
                ${p.actorId ?? null}, COALESCE(${p.at ? p.at.toISOString() : null}::timestamptz, now()))
        RETURNING id, created_at),
      e AS (
        INSERT INTO ledger_entries (transaction_id, account_id, amount, created_at)
        SELECT t.id, l.account_id, l.amount, t.created_at
        FROM t, unnest(${pgArray(p.legs.map((l) => l.accountId))}::uuid[], ${pgArray(p.legs.map((l) => l.amount))}::bigint[])
          WITH ORDINALITY AS l(account_id, amount, n)
        ORDER BY l.n),
      b AS (
        UPDATE ledger_accounts a SET balance = a.balance + m.delta
        FROM unnest(${pgArray(moves.map(([id]) => id))}::uuid[], ${pgArray(moves.map(([, d]) => d))}::bigint[]) AS m(id, delta)
        WHERE a.id = m.id)
      SELECT id FROM t`,
    );
  } catch (err) {
    // The month was closed by an approval that committed after the check above (the trigger's word).
    const e = err as { message?: string; cause?: { message?: string } };
    if (/ledger period .* is closed/.test(`${e?.message} ${e?.cause?.message}`))
      throw conflict(closedMessage(cstMonth(at)), undefined, 'closed-period');
    throw err;
  }
  return rows[0].id;
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
