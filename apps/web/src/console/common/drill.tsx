import { FundProjectionScreenOutlined } from '@ant-design/icons';
import { Flex, Tag, Typography } from 'antd';
import { useEffect, useMemo, useRef } from 'react';
import { useSearchParams } from 'react-router';
import { useAuth } from '../../app/auth.tsx';
import { useRegions } from '../../app/region.tsx';

/**
 * The dashboard's drill-down (监管看板 → the list behind a figure): every figure links to its list
 * with a query — `regionCode`, `month` ('YYYY-MM'), `ageBand`, `status`, … (docs/supervision.md).
 * A list page reads it once on load into its own filters with `useDrill`, and shows what came from
 * the link with `<DrillTags>` so the user sees and can clear each one.
 *
 * `regionCode` is the region of the dashboard: a list that follows the header's region picker gets
 * it there (the picker is the console's one region filter), so it is read here for every page.
 */
export interface Drill {
  /** The value of a drill parameter as it was when the page opened (undefined: not in the link). */
  get(key: string): string | undefined;
  /** Forget a parameter: the page clears its filter, this takes it out of the address. */
  clear(key: string): void;
  /** The parameters still in the address. */
  active: Array<[string, string]>;
}

export { ageBandRange, ageBandZh, drillMonth, inMonth, monthDays, monthInstants, monthZh, pick } from './drill-query.ts';

export function useDrill(): Drill {
  const [params, setParams] = useSearchParams();
  const { me } = useAuth();
  const { selected, setSelected, find, loading } = useRegions();
  // A snapshot of the link the page was opened with: later filter changes do not re-read it.
  // biome-ignore lint/correctness/useExhaustiveDependencies: read once on load by design
  const initial = useMemo(() => new URLSearchParams(params), []);
  const regionCode = initial.get('regionCode');
  const applied = useRef(false);
  useEffect(() => {
    // Put the dashboard's region into the header picker once, when it is not already the one shown;
    // the user's later choice in the picker stands.
    if (loading || !regionCode || applied.current) return;
    applied.current = true;
    const shown = selected ?? me?.regionCode ?? null;
    if (regionCode !== shown && find(regionCode)) setSelected(regionCode === me?.regionCode ? null : regionCode);
  }, [loading, regionCode, selected, me?.regionCode, find, setSelected]);
  return {
    get: (key) => initial.get(key) ?? undefined,
    clear: (key) =>
      setParams(
        (p) => {
          const next = new URLSearchParams(p);
          next.delete(key);
          return next;
        },
        { replace: true },
      ),
    active: [...params.entries()],
  };
}

export interface DrillTag {
  key: string;
  /** What the filter is, in Chinese: 月份：2026年11月. */
  label: string;
  /** Clear the page's own filter for it (the address is cleared by DrillTags). */
  onClear?(): void;
}

/**
 * The filters that came from the dashboard link, as closable tags above the list: closing one
 * clears that filter on the page and takes it out of the address.
 */
export function DrillTags({ drill, tags }: { drill: Drill; tags: Array<DrillTag | false | '' | undefined | null> }) {
  const shown = tags.filter((t): t is DrillTag => !!t && drill.active.some(([k]) => k === t.key));
  if (!shown.length) return null;
  return (
    <Flex align="center" gap={6} wrap data-testid="drill-tags" style={{ width: '100%' }}>
      <Typography.Text type="secondary">
        <FundProjectionScreenOutlined /> 来自监管看板的筛选：
      </Typography.Text>
      {shown.map((t) => (
        <Tag
          key={t.key}
          color="blue"
          closable
          data-drill={t.key}
          onClose={(e) => {
            e.preventDefault();
            t.onClear?.();
            drill.clear(t.key);
          }}
        >
          {t.label}
        </Tag>
      ))}
    </Flex>
  );
}
