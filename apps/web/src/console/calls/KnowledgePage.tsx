import type { KbArticle } from '@zhiyang/shared';
import { App, Button, Form, Input, Modal, Switch, Tag, TreeSelect, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { kbApi } from '../../api/calls.ts';
import { useAuth } from '../../app/auth.tsx';
import { formatTime } from '../../app/format.ts';
import { useFetch } from '../../app/useFetch.ts';
import { FormModal } from '../common/FormModal.tsx';
import { ListPage } from '../common/ListPage.tsx';
import { categoryTreeData, useCallCategories } from './categories.ts';

const PAGE_SIZE = 20;
interface ArticleForm {
  title: string;
  body: string;
  keywords?: string;
  categoryCode?: string | null;
  active: boolean;
}

/**
 * The knowledge base (知识库): short articles on policies, eligibility and how-to that agents read
 * beside the call form. Everyone who reads calls may search them (keyword or pinyin initials);
 * district staff with kb:write add and edit them.
 */
export function KnowledgePage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const { message } = App.useApp();
  const writer = can('kb:write');
  const [q, setQ] = useState('');
  const [page, setPage] = useState(1);
  const [editing, setEditing] = useState<KbArticle | 'new' | null>(null);
  const [reading, setReading] = useState<KbArticle | null>(null);
  const [form] = Form.useForm<ArticleForm>();
  const categories = useCallCategories();
  const list = useFetch(
    (signal) =>
      kbApi.searchArticles({
        query: { q: q || undefined, page, limit: PAGE_SIZE, ...(writer ? { includeInactive: 'true' as const } : {}) },
        signal,
      }),
    `kb-${q}-${page}`,
  );
  const categoryName = (code: string | null) => (code ? (categories.names.get(code) ?? '—') : '—');

  return (
    <ListPage<KbArticle>
      title={t('calls.kb.title')}
      extra={
        writer && (
          <Button type="primary" onClick={() => setEditing('new')} data-testid="kb-create">
            {t('calls.kb.create')}
          </Button>
        )
      }
      filters={
        <Input.Search
          allowClear
          style={{ width: 320 }}
          placeholder={t('calls.kb.search')}
          onSearch={(v) => {
            setQ(v.trim());
            setPage(1);
          }}
          data-testid="kb-page-search"
        />
      }
      list={list}
      page={page}
      pageSize={PAGE_SIZE}
      onPage={setPage}
      rowKey="id"
      columns={[
        {
          title: t('calls.kb.articleTitle'),
          dataIndex: 'title',
          render: (v: string, a) => (
            <Typography.Link onClick={() => setReading(a)}>
              {v} {!a.active && <Tag>{t('calls.kb.inactive')}</Tag>}
            </Typography.Link>
          ),
        },
        { title: t('calls.kb.category'), dataIndex: 'categoryCode', render: categoryName },
        { title: t('calls.kb.keywords'), dataIndex: 'keywords', render: (v: string) => v || '—' },
        { title: t('calls.kb.updatedAt'), dataIndex: 'updatedAt', render: formatTime },
        ...(writer
          ? [
              {
                title: t('calls.common.actions'),
                key: 'actions',
                render: (_: unknown, a: KbArticle) => (
                  <Button size="small" onClick={() => setEditing(a)}>
                    {t('common.edit')}
                  </Button>
                ),
              },
            ]
          : []),
      ]}
    >
      <Modal open={reading !== null} title={reading?.title} footer={null} onCancel={() => setReading(null)} width={680}>
        <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{reading?.body}</Typography.Paragraph>
      </Modal>
      <FormModal<ArticleForm>
        open={editing !== null}
        mode="edit"
        width={720}
        title={editing === 'new' ? t('calls.kb.create') : t('calls.kb.edit')}
        form={form}
        fields={['title', 'body', 'keywords', 'categoryCode']}
        values={
          editing && editing !== 'new'
            ? {
                title: editing.title,
                body: editing.body,
                keywords: editing.keywords,
                categoryCode: editing.categoryCode,
                active: editing.active,
              }
            : { active: true }
        }
        onClose={() => setEditing(null)}
        onSubmit={async (v) => {
          const body = {
            title: v.title,
            body: v.body,
            keywords: v.keywords?.trim() ?? '',
            categoryCode: v.categoryCode ?? null,
            active: v.active,
          };
          if (editing === 'new') await kbApi.createArticle({ body });
          else if (editing) await kbApi.updateArticle({ params: { id: editing.id }, body });
          message.success(t('calls.common.saved'));
          setEditing(null);
          list.reload();
        }}
      >
        <Form.Item
          name="title"
          label={t('calls.kb.articleTitle')}
          rules={[{ required: true, whitespace: true, min: 2, max: 100 }]}
        >
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="categoryCode" label={t('calls.kb.category')}>
          <TreeSelect
            allowClear
            placeholder={t('common.pleaseSelect')}
            treeData={categoryTreeData(categories.items)}
            treeDefaultExpandAll
          />
        </Form.Item>
        <Form.Item name="keywords" label={t('calls.kb.keywords')} extra={t('calls.kb.keywordsHint')} rules={[{ max: 300 }]}>
          <Input maxLength={300} />
        </Form.Item>
        <Form.Item name="body" label={t('calls.kb.body')} rules={[{ required: true, whitespace: true }]}>
          <Input.TextArea rows={10} maxLength={20000} />
        </Form.Item>
        <Form.Item name="active" label={t('calls.kb.active')} valuePropName="checked">
          <Switch />
        </Form.Item>
      </FormModal>
    </ListPage>
  );
}
