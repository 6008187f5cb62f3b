import type { KbArticle } from '@zhiyang/shared';
import { Button, Card, Empty, Input, List, Modal, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { kbApi } from '../../api/calls.ts';
import { useFetch } from '../../app/useFetch.ts';

/**
 * Knowledge-base search beside the call form: a keyword or the title's pinyin initials (gljt for
 * 高龄津贴). 查看 opens the article; 引用 (while a call is open) links it to the call.
 */
export function KnowledgePanel({ onCite, citedId }: { onCite?(a: KbArticle): void; citedId?: string | null }) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const [reading, setReading] = useState<KbArticle | null>(null);
  const list = useFetch((signal) => kbApi.searchArticles({ query: { q: q || undefined, limit: 8 }, signal }), `kb-${q}`);
  return (
    <Card size="small" title={t('calls.kb.panel')} data-testid="kb-panel">
      <Input.Search
        allowClear
        placeholder={t('calls.kb.search')}
        onSearch={(v) => setQ(v.trim())}
        style={{ marginBottom: 8 }}
        data-testid="kb-search"
      />
      <List<KbArticle>
        size="small"
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('calls.kb.empty')} /> }}
        renderItem={(a) => (
          <List.Item
            actions={[
              <Button key="read" size="small" type="link" onClick={() => setReading(a)}>
                {t('calls.kb.read')}
              </Button>,
              ...(onCite
                ? [
                    <Button
                      key="cite"
                      size="small"
                      type={citedId === a.id ? 'primary' : 'default'}
                      onClick={() => onCite(a)}
                      data-testid="kb-cite"
                    >
                      {citedId === a.id ? t('calls.kb.cited') : t('calls.kb.cite')}
                    </Button>,
                  ]
                : []),
            ]}
          >
            <List.Item.Meta
              title={a.title}
              description={
                <Typography.Text type="secondary" ellipsis style={{ maxWidth: 260 }}>
                  {a.body}
                </Typography.Text>
              }
            />
          </List.Item>
        )}
      />
      <Modal open={reading !== null} title={reading?.title} footer={null} onCancel={() => setReading(null)} width={640}>
        <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{reading?.body}</Typography.Paragraph>
      </Modal>
    </Card>
  );
}
