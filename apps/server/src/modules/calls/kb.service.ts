import type { KbArticleInput } from '@zhiyang/shared';
import { actorCoversRegion } from '../../lib/access.ts';
import type { Actor } from '../../lib/actor.ts';
import { markUnchanged } from '../../lib/audit-guard.ts';
import type { AppContext } from '../../lib/context.ts';
import { forbidden, notFound, validationError } from '../../lib/errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { presentArticle } from './calls.present.ts';
import * as repo from './calls.repo.ts';
import * as kb from './kb.repo.ts';
import { titleInitials } from './pinyin.ts';

/**
 * The knowledge base (知识库): short articles the agents read beside the call form. An article
 * belongs to a region and is read there and everywhere under it (a district's policy article in
 * every street and community); its writer's region subtree may edit it. The title's pinyin
 * initials are computed on every write, so 'gljt' finds 高龄津贴.
 */

export async function searchArticles(
  ctx: AppContext,
  actor: Actor,
  q: { q?: string; categoryCode?: string; includeInactive?: boolean; limit: number; page: number },
) {
  const { items, total } = await kb.searchArticles(ctx.db, actor, q, q.limit, (q.page - 1) * q.limit);
  return { items: items.map(presentArticle), total };
}

export async function getArticle(ctx: AppContext, actor: Actor, id: string) {
  const a = await kb.findVisibleArticle(ctx.db, actor, id);
  if (!a) throw notFound('Article');
  return presentArticle(a);
}

async function checkCategory(ctx: AppContext, code: string | null | undefined) {
  if (!code) return;
  const c = await repo.findCategory(ctx.db, code);
  if (!c) throw validationError('body.categoryCode', 'unknown call category');
}

export async function createArticle(ctx: AppContext, actor: Actor, input: KbArticleInput) {
  const regionCode = input.regionCode ?? actor.regionCode;
  if (!regionCode) throw validationError('body.regionCode', 'give the region the article is for');
  if (!actorCoversRegion(actor, regionCode)) throw validationError('body.regionCode', 'outside your region');
  await checkCategory(ctx, input.categoryCode);
  return ctx.db.transaction(async (tx) => {
    const a = await kb.insertArticle(tx, {
      title: input.title,
      body: input.body,
      keywords: input.keywords ?? '',
      titleInitials: titleInitials(input.title),
      categoryCode: input.categoryCode ?? null,
      regionCode,
      active: input.active ?? true,
      updatedBy: actor.id,
    });
    await recordAudit(tx, {
      actor,
      action: 'kb.create',
      targetType: 'kb_article',
      targetId: a.id,
      regionCode,
      detail: { title: a.title },
    });
    return presentArticle(a);
  });
}

/** An article the actor may edit: visible, and in the actor's own subtree (a street reads the district's, but does not edit it). */
async function editable(ctx: AppContext, actor: Actor, id: string) {
  const a = await kb.findVisibleArticle(ctx.db, actor, id);
  if (!a) throw notFound('Article');
  if (!actorCoversRegion(actor, a.regionCode)) throw forbidden('The article belongs to a region above yours.');
  return a;
}

export async function updateArticle(ctx: AppContext, actor: Actor, id: string, input: Partial<KbArticleInput>) {
  const before = await editable(ctx, actor, id);
  if (input.regionCode !== undefined && !actorCoversRegion(actor, input.regionCode))
    throw validationError('body.regionCode', 'outside your region');
  if (input.categoryCode !== undefined) await checkCategory(ctx, input.categoryCode);
  const patch: Partial<kb.ArticleRow> = {};
  for (const k of ['title', 'body', 'keywords', 'categoryCode', 'regionCode', 'active'] as const)
    if (input[k] !== undefined && input[k] !== before[k]) (patch as Record<string, unknown>)[k] = input[k];
  if (patch.title !== undefined) patch.titleInitials = titleInitials(patch.title);
  if (Object.keys(patch).length === 0) {
    markUnchanged();
    return presentArticle(before);
  }
  return ctx.db.transaction(async (tx) => {
    const a = await kb.updateArticle(tx, id, { ...patch, updatedBy: actor.id });
    await recordAudit(tx, {
      actor,
      action: 'kb.update',
      targetType: 'kb_article',
      targetId: id,
      regionCode: a.regionCode,
      detail: { changed: Object.keys(patch).filter((k) => k !== 'titleInitials') },
    });
    return presentArticle(a);
  });
}

/** Delete an article; one a call has used stays, inactive, so the call still names what was said. */
export async function deleteArticle(ctx: AppContext, actor: Actor, id: string) {
  const a = await editable(ctx, actor, id);
  return ctx.db.transaction(async (tx) => {
    const used = await kb.isUsedByACall(tx, id);
    if (used) await kb.updateArticle(tx, id, { active: false, updatedBy: actor.id });
    else await kb.deleteArticle(tx, id);
    const removed = used ? ('deactivated' as const) : ('deleted' as const);
    await recordAudit(tx, {
      actor,
      action: 'kb.delete',
      targetType: 'kb_article',
      targetId: id,
      regionCode: a.regionCode,
      detail: { title: a.title, removed },
    });
    return { id, removed };
  });
}
