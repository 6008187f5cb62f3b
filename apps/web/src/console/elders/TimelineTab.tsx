import type { TimelineEntry } from '@zhiyang/shared';
import { Button, Empty, Timeline, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { eldersApi } from '../../api/elders.ts';
import { formatTime } from '../../app/format.ts';

const COLORS: Record<string, string> = { status: 'orange', assessments: 'blue', archive: 'gray' };

/** Everything every module registered about this elder, newest first, in pages. */
export function TimelineTab({ elderId }: { elderId: string }) {
  const { t } = useTranslation();
  const [items, setItems] = useState<TimelineEntry[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  async function load(before?: string) {
    setLoading(true);
    try {
      const r = await eldersApi.timeline({ params: { id: elderId }, query: { before, limit: 30 } });
      setItems((xs) => (before ? [...xs, ...r.items] : r.items));
      setCursor(r.nextCursor);
    } finally {
      setLoading(false);
    }
  }
  // biome-ignore lint/correctness/useExhaustiveDependencies: load once per elder.
  useEffect(() => {
    void load();
  }, [elderId]);

  if (!loading && items.length === 0) return <Empty description={t('elders.detail.noTimeline')} />;
  return (
    <>
      <Timeline
        items={items.map((e) => ({
          color: COLORS[e.source] ?? 'green',
          children: (
            <>
              <Typography.Text type="secondary">{formatTime(e.at)}</Typography.Text> {e.title}
            </>
          ),
        }))}
      />
      {cursor && (
        <Button loading={loading} onClick={() => load(cursor)}>
          {t('elders.detail.loadMore')}
        </Button>
      )}
    </>
  );
}
