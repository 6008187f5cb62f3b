import {
  CREDIT_MANUAL_KINDS,
  type CreditLevel,
  type CreditLine,
  type CreditListing,
  type CreditOrgSummary,
  dateBounds,
} from '@zhiyang/shared';
import { Alert, App, Button, DatePicker, Descriptions, Drawer, Form, Input, Select, Space, Table, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { creditApi } from '../../api/credit.ts';
import { useMe } from '../../app/auth.tsx';
import { problemText } from '../../app/problems.ts';
import { useFetch } from '../../app/useFetch.ts';
import { FormModal } from '../common/FormModal.tsx';
import { LEVEL_COLOUR } from './levels.ts';

interface EventForm {
  kind: (typeof CREDIT_MANUAL_KINDS)[number];
  occurredOn: Dayjs;
  title: string;
  documentNo?: string;
  note?: string;
}

/** One organisation's credit file: the score with its formula, each line of the explanation, the listings. */
export function CreditFileDrawer({ org, onClose, onChanged }: { org: CreditOrgSummary; onClose(): void; onChanged(): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const me = useMe();
  const mayManage = me.permissions.includes('credit:manage');
  const [version, setVersion] = useState(0);
  const [adding, setAdding] = useState(false);
  const [listing, setListing] = useState(false);
  const [form] = Form.useForm<EventForm>();
  const [listForm] = Form.useForm<{ reason: string }>();
  const file = useFetch(
    (signal) => creditApi.getFile({ params: { id: org.orgId }, signal }),
    `credit-file:${org.orgId}:${version}`,
  );
  const f = file.data;
  const x = f?.explanation;
  const changed = () => {
    setVersion((v) => v + 1);
    onChanged();
  };
  const { max } = dateBounds('past');

  return (
    <Drawer open width={960} title={t('credit.file.title', { name: org.name })} onClose={onClose}>
      {file.error ? <Alert type="error" message={problemText(file.error, t)} /> : null}
      {f && x && (
        <Space direction="vertical" size="large" style={{ width: '100%' }}>
          <Descriptions column={3} size="small" bordered>
            <Descriptions.Item label={t('credit.kind')}>{t(`credit.kinds.${f.organization.kind}`)}</Descriptions.Item>
            <Descriptions.Item label={t('credit.region')}>{f.organization.regionName ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('credit.complaints')}>{f.organization.complaintCount}</Descriptions.Item>
            <Descriptions.Item label={t('credit.score')}>
              <Typography.Text strong data-testid="credit-score">
                {t('credit.file.summary', { score: x.score, level: t(`credit.levels.${x.level}`) })}
              </Typography.Text>
            </Descriptions.Item>
            <Descriptions.Item label={t('credit.state')} span={2}>
              <Space size={4}>
                <Tag color={LEVEL_COLOUR[x.level as CreditLevel]}>{t(`credit.levels.${x.level}`)}</Tag>
                {f.organization.listed && <Tag color="volcano">{t('credit.listed')}</Tag>}
                {f.organization.blocked && <Tag color="red">{t('credit.blocked')}</Tag>}
              </Space>
            </Descriptions.Item>
          </Descriptions>
          <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
            {t('credit.file.formula', {
              base: x.base,
              raw: x.raw,
              score: x.score,
              half: x.halfLifeDays,
              horizon: x.horizonDays,
            })}
          </Typography.Paragraph>
          {mayManage && (
            <Space>
              <Button type="primary" onClick={() => setAdding(true)}>
                {t('credit.file.addEvent')}
              </Button>
              {!f.organization.listed && (
                <Button danger onClick={() => setListing(true)}>
                  {t('credit.file.list')}
                </Button>
              )}
            </Space>
          )}
          <Typography.Title level={5} style={{ margin: 0 }}>
            {t('credit.file.lines')}
          </Typography.Title>
          <Table<CreditLine>
            size="small"
            rowKey={(l) => `${l.source}:${l.sourceId}:${l.kind}`}
            dataSource={x.lines}
            pagination={false}
            locale={{ emptyText: t('credit.file.noLines') }}
            columns={[
              { title: t('credit.file.occurredOn'), dataIndex: 'occurredOn', width: 110 },
              { title: t('credit.file.event'), dataIndex: 'kind', width: 150, render: (k: string) => t(`credit.events.${k}`) },
              { title: t('credit.file.what'), dataIndex: 'title' },
              {
                title: t('credit.file.source'),
                dataIndex: 'source',
                width: 110,
                render: (s: string) => t(`credit.sources.${s}`),
              },
              { title: t('credit.file.weight'), dataIndex: 'weight', width: 70, align: 'right' },
              { title: t('credit.file.age'), dataIndex: 'ageDays', width: 90, align: 'right' },
              { title: t('credit.file.factor'), dataIndex: 'factor', width: 90, align: 'right' },
              {
                title: t('credit.file.points'),
                dataIndex: 'points',
                width: 90,
                align: 'right',
                render: (p: number, l) => (
                  <span style={{ color: p < 0 ? '#a8071a' : '#135200' }}>
                    {p > 0 ? `+${p}` : p}
                    {l.capped && <Typography.Text type="secondary">{` ${t('credit.file.capped')}`}</Typography.Text>}
                  </span>
                ),
              },
            ]}
          />
          {f.listings.length > 0 && (
            <>
              <Typography.Title level={5} style={{ margin: 0 }}>
                {t('credit.file.listings')}
              </Typography.Title>
              <Table<CreditListing>
                size="small"
                rowKey="id"
                dataSource={f.listings}
                pagination={false}
                columns={[
                  { title: t('credit.listing.listedOn'), dataIndex: 'listedOn', width: 110 },
                  {
                    title: t('credit.listing.basis'),
                    dataIndex: 'basis',
                    width: 100,
                    render: (b: string) => t(`credit.basis.${b}`),
                  },
                  { title: t('credit.listing.reason'), dataIndex: 'reason' },
                  {
                    title: t('credit.listing.status'),
                    dataIndex: 'status',
                    width: 90,
                    render: (s: string) => t(`credit.listingStatus.${s}`),
                  },
                  {
                    title: t('credit.listing.appeal'),
                    dataIndex: 'appealStatus',
                    width: 110,
                    render: (s: string) => t(`credit.appealStatus.${s}`),
                  },
                ]}
              />
            </>
          )}
        </Space>
      )}
      <FormModal<EventForm>
        open={adding}
        title={t('credit.eventForm.title')}
        form={form}
        onClose={() => setAdding(false)}
        fields={['kind', 'occurredOn', 'title', 'documentNo', 'note']}
        initialValues={{ kind: 'commitment', occurredOn: dayjs() }}
        onSubmit={async (v) => {
          await creditApi.addEvent({
            params: { id: org.orgId },
            body: {
              kind: v.kind,
              occurredOn: v.occurredOn.format('YYYY-MM-DD'),
              title: v.title,
              documentNo: v.documentNo || undefined,
              note: v.note || undefined,
            },
          });
          message.success(t('credit.eventForm.saved'));
          setAdding(false);
          changed();
        }}
      >
        <Form.Item name="kind" label={t('credit.eventForm.kind')} rules={[{ required: true }]}>
          <Select options={CREDIT_MANUAL_KINDS.map((k) => ({ value: k, label: t(`credit.events.${k}`) }))} />
        </Form.Item>
        <Form.Item name="occurredOn" label={t('credit.eventForm.occurredOn')} rules={[{ required: true }]}>
          <DatePicker style={{ width: '100%' }} disabledDate={(d) => d.format('YYYY-MM-DD') > max} />
        </Form.Item>
        <Form.Item name="title" label={t('credit.eventForm.eventTitle')} rules={[{ required: true, max: 200 }]}>
          <Input />
        </Form.Item>
        <Form.Item name="documentNo" label={t('credit.eventForm.documentNo')} rules={[{ max: 100 }]}>
          <Input />
        </Form.Item>
        <Form.Item name="note" label={t('credit.eventForm.note')} rules={[{ max: 1000 }]}>
          <Input.TextArea rows={2} />
        </Form.Item>
      </FormModal>
      <FormModal<{ reason: string }>
        open={listing}
        title={t('credit.listing.addTitle', { name: org.name })}
        form={listForm}
        onClose={() => setListing(false)}
        fields={['reason']}
        onSubmit={async (v) => {
          await creditApi.list({ params: { id: org.orgId }, body: { reason: v.reason } });
          message.success(t('credit.listing.done'));
          setListing(false);
          changed();
        }}
      >
        <Form.Item name="reason" label={t('credit.listing.reason')} rules={[{ required: true, min: 2, max: 500 }]}>
          <Input.TextArea rows={3} />
        </Form.Item>
      </FormModal>
    </Drawer>
  );
}
