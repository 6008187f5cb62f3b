import { and, asc, count, desc, eq, or, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { escapeLike, isRegionScoped, regionScope } from '../../lib/access.ts';
import type { Actor } from '../../lib/actor.ts';
import { calls, kbArticles } from './calls.schema.ts';

/** Knowledge-base articles: SQL only. */

export type ArticleRow = typeof kbArticles.$inferSelect;

/**
 * Articles the actor may read: those of the actor's region and of every region above it (a
 * district's article is read by its streets and communities) and below it (the district sees
 * what its streets wrote).
 */
export function articleVisibleTo(actor: Actor): SQL | undefined {
  if (!isRegionScoped(actor)) return sql`false`;
  if (actor.regionCode === null) return undefined;
  return or(regionScope(kbArticles.regionCode, actor), sql`${actor.regionCode} LIKE ${kbArticles.regionCode} || '%'`);
}

export interface ArticleSearch {
  q?: string;
  categoryCode?: string;
  includeInactive?: boolean;
}

/** Keyword in title, keywords or body; letters only also match the title's pinyin initials (gljt → 高龄津贴). */
function matches(q: string): SQL {
  const pattern = `%${escapeLike(q)}%`;
  const byText = sql`(${kbArticles.title} ILIKE ${pattern} OR ${kbArticles.keywords} ILIKE ${pattern} OR ${kbArticles.body} ILIKE ${pattern})`;
  if (!/^[a-z0-9]+$/i.test(q)) return byText;
  return sql`(${byText} OR ${kbArticles.titleInitials} LIKE ${`%${escapeLike(q.toLowerCase())}%`})`;
}

export async function searchArticles(db: DbOrTx, actor: Actor, s: ArticleSearch, limit: number, offset: number) {
  const q = s.q?.trim();
  const w = and(
    articleVisibleTo(actor),
    s.includeInactive ? undefined : eq(kbArticles.active, true),
    s.categoryCode ? eq(kbArticles.categoryCode, s.categoryCode) : undefined,
    q ? matches(q) : undefined,
  );
  // A title hit (by words or initials) ranks above a hit in the keywords, then the body.
  const rank = q
    ? sql`CASE WHEN ${kbArticles.title} ILIKE ${`%${escapeLike(q)}%`} OR ${kbArticles.titleInitials} LIKE ${`${escapeLike(q.toLowerCase())}%`} THEN 0
               WHEN ${kbArticles.keywords} ILIKE ${`%${escapeLike(q)}%`} THEN 1 ELSE 2 END`
    : undefined;
  const [items, [{ total }]] = await Promise.all([
    db
      .select()
      .from(kbArticles)
      .where(w)
      .orderBy(...(rank ? [rank] : []), desc(kbArticles.updatedAt), asc(kbArticles.id))
      .limit(limit)
      .offset(offset),
    db.select({ total: count() }).from(kbArticles).where(w),
  ]);
  return { items, total };
}

export async function findVisibleArticle(db: DbOrTx, actor: Actor, id: string) {
  return (
    await db
      .select()
      .from(kbArticles)
      .where(and(eq(kbArticles.id, id), articleVisibleTo(actor)))
      .limit(1)
  )[0];
}

export async function insertArticle(db: DbOrTx, a: typeof kbArticles.$inferInsert) {
  return (await db.insert(kbArticles).values(a).returning())[0];
}

export async function updateArticle(db: DbOrTx, id: string, patch: Partial<typeof kbArticles.$inferInsert>) {
  return (
    await db
      .update(kbArticles)
      .set({ ...patch, updatedAt: new Date() })
      .where(eq(kbArticles.id, id))
      .returning()
  )[0];
}

export async function deleteArticle(db: DbOrTx, id: string) {
  await db.delete(kbArticles).where(eq(kbArticles.id, id));
}

export async function isUsedByACall(db: DbOrTx, id: string) {
  return (await db.select({ id: calls.id }).from(calls).where(eq(calls.articleId, id)).limit(1)).length > 0;
}
