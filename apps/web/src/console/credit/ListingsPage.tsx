import type { CreditListing } from '@zhiyang/shared';
import { App, Button, Card, Form, Input, Radio, Segmented, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { creditApi } from '../../api/credit.ts';
import { useMe } from '../../app/auth.tsx';
import { useFetch } from '../../app/useFetch.ts';
import { FormModal } from '../common/FormModal.tsx';

const PAGE = 50;
type Dialog = { kind: 'remove' | 'decide'; listing: CreditListing } | { kind: 'appeal' };

/**
 * 失信名单: the listings in reach (pending appeals first). The bureau removes a listing or decides
 * an appeal with its reasons; an organisation's own staff see their listing and appeal it once.
 */
export function ListingsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const me = useMe();
  const mayManage = me.permissions.includes('credit:manage');
  const mayAppeal = me.permissions.includes('credit:appeal');
  const [status, setStatus] = useState<'listed' | 'all'>('listed');
  const [page, setPage] = useState(1);
  const [version, setVersion] = useState(0);
  const [dialog, setDialog] = useState<Dialog>();
  const [form] = Form.useForm<{ reason?: string; decision?: string; upheld?: boolean; text?: string }>();
  const list = useFetch(
    (signal) => creditApi.listListings({ query: { status, page, limit: PAGE }, signal }),
    `credit-listings:${status}:${page}:${version}`,
  );
  const mine = mayAppeal ? list.data?.items.find((l) => l.status === 'listed' && l.appealStatus === 'none') : undefined;
  const done = () => {
    message.success(t('credit.listing.done'));
    setDialog(undefined);
    setVersion((v) => v + 1);
  };

  return (
    <Card
      title={t('credit.listing.title')}
      extra={
        mine && (
          <Button danger onClick={() => setDialog({ kind: 'appeal' })}>
            {t('credit.listing.appealMine')}
          </Button>
        )
      }
    >
      <Typography.Paragraph type="secondary">{t('credit.listing.hint')}</Typography.Paragraph>
      <Segmented
        style={{ marginBottom: 16 }}
        value={status}
        onChange={(v) => {
          setStatus(v as 'listed' | 'all');
          setPage(1);
        }}
        options={[
          { value: 'listed', label: t('credit.listing.inForce') },
          { value: 'all', label: t('credit.listing.all') },
        ]}
      />
      <Table<CreditListing>
        rowKey="id"
        size="middle"
        loading={list.loading}
        dataSource={list.data?.items}
        locale={{ emptyText: t('credit.listing.empty') }}
        pagination={{ current: page, pageSize: PAGE, total: list.data?.total, onChange: setPage, showSizeChanger: false }}
        columns={[
          { title: t('credit.listing.org'), dataIndex: 'orgName' },
          { title: t('credit.kind'), dataIndex: 'orgKind', render: (k: string) => t(`credit.kinds.${k}`) },
          { title: t('credit.listing.basis'), dataIndex: 'basis', render: (b: string) => t(`credit.basis.${b}`) },
          { title: t('credit.listing.reason'), dataIndex: 'reason' },
          { title: t('credit.listing.listedOn'), dataIndex: 'listedOn' },
          {
            title: t('credit.listing.status'),
            render: (_: unknown, l) => (
              <Space direction="vertical" size={2}>
                <Tag color={l.status === 'listed' ? 'volcano' : 'default'}>{t(`credit.listingStatus.${l.status}`)}</Tag>
                {l.removedOn && <Typography.Text type="secondary">{`${l.removedOn} ${l.removalReason ?? ''}`}</Typography.Text>}
              </Space>
            ),
          },
          {
            title: t('credit.listing.appeal'),
            render: (_: unknown, l) => (
              <Space direction="vertical" size={2}>
                <Tag color={l.appealStatus === 'pending' ? 'gold' : 'default'}>{t(`credit.appealStatus.${l.appealStatus}`)}</Tag>
                {l.appealText && <Typography.Text>{l.appealText}</Typography.Text>}
                {l.appealDecision && <Typography.Text type="secondary">{l.appealDecision}</Typography.Text>}
              </Space>
            ),
          },
          ...(mayManage
            ? [
                {
                  title: t('credit.listing.actions'),
                  render: (_: unknown, l: CreditListing) =>
                    l.status === 'listed' && (
                      <Space>
                        {l.appealStatus === 'pending' && (
                          <Button size="small" type="primary" onClick={() => setDialog({ kind: 'decide', listing: l })}>
                            {t('credit.listing.decide')}
                          </Button>
                        )}
                        <Button size="small" onClick={() => setDialog({ kind: 'remove', listing: l })}>
                          {t('credit.listing.remove')}
                        </Button>
                      </Space>
                    ),
                },
              ]
            : []),
        ]}
      />
      <FormModal
        open={!!dialog}
        form={form}
        preserve={false}
        title={
          dialog?.kind === 'appeal'
            ? t('credit.listing.appealTitle')
            : dialog?.kind === 'decide'
              ? t('credit.listing.decideTitle', { name: dialog.listing.orgName })
              : t('credit.listing.removeTitle', { name: dialog?.listing.orgName })
        }
        onClose={() => setDialog(undefined)}
        fields={['reason', 'decision', 'text']}
        initialValues={{ upheld: false }}
        onSubmit={async (v) => {
          if (!dialog) return;
          if (dialog.kind === 'appeal') await creditApi.appeal({ body: { text: v.text ?? '' } });
          else if (dialog.kind === 'remove')
            await creditApi.removeListing({ params: { id: dialog.listing.orgId }, body: { reason: v.reason ?? '' } });
          else
            await creditApi.decideAppeal({
              params: { id: dialog.listing.orgId },
              body: { upheld: !!v.upheld, decision: v.decision ?? '' },
            });
          done();
        }}
      >
        {dialog?.kind === 'appeal' && (
          <Form.Item name="text" label={t('credit.listing.appealText')} rules={[{ required: true, min: 5, max: 2000 }]}>
            <Input.TextArea rows={4} />
          </Form.Item>
        )}
        {dialog?.kind === 'remove' && (
          <Form.Item name="reason" label={t('credit.listing.removalReason')} rules={[{ required: true, min: 2, max: 500 }]}>
            <Input.TextArea rows={3} />
          </Form.Item>
        )}
        {dialog?.kind === 'decide' && (
          <>
            <Form.Item name="upheld">
              <Radio.Group
                options={[
                  { value: false, label: t('credit.listing.rejected') },
                  { value: true, label: t('credit.listing.upheld') },
                ]}
              />
            </Form.Item>
            <Form.Item name="decision" label={t('credit.listing.decision')} rules={[{ required: true, min: 2, max: 500 }]}>
              <Input.TextArea rows={3} />
            </Form.Item>
          </>
        )}
      </FormModal>
    </Card>
  );
}
