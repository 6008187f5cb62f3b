import type { NeighbourhoodPoint } from '@zhiyang/shared';
import { App, Button, Card, Form, Input, InputNumber, Space, Switch, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { volunteersApi } from '../../api/volunteers.ts';
import { useAuth } from '../../app/auth.tsx';
import { useFetch } from '../../app/useFetch.ts';
import { FormModal } from '../common/FormModal.tsx';
import { RegionTreeSelect } from '../common/RegionTreeSelect.tsx';
import { usePrefillOnlyCommunity } from '../common/useOnlyCommunity.ts';
import { SlotList } from './parts.tsx';

interface PointValues {
  name: string;
  address: string;
  regionCode: string;
  lat?: number | null;
  lng?: number | null;
  activities: Array<{ weekday: number; start: string; end: string; title: string }>;
  active: boolean;
}

/** 睦邻点: neighbourhood points in reach with their weekly activities; add and edit. */
export function PointsPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const [page, setPage] = useState(1);
  const [editing, setEditing] = useState<NeighbourhoodPoint | 'new' | null>(null);
  const list = useFetch((signal) => volunteersApi.listPoints({ query: { page, limit: 20 }, signal }), `${page}`);
  return (
    <Card
      title={t('volunteers.points.title')}
      extra={
        can('volunteer:manage') && (
          <Button type="primary" onClick={() => setEditing('new')}>
            {t('volunteers.points.create')}
          </Button>
        )
      }
    >
      <Typography.Paragraph type="secondary">{t('volunteers.points.hint')}</Typography.Paragraph>
      <Table<NeighbourhoodPoint>
        rowKey="id"
        size="middle"
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        locale={{ emptyText: t('volunteers.points.empty') }}
        pagination={{ current: page, pageSize: 20, total: list.data?.total ?? 0, onChange: setPage, hideOnSinglePage: true }}
        columns={[
          { title: t('volunteers.points.name'), dataIndex: 'name' },
          { title: t('volunteers.points.address'), dataIndex: 'address' },
          { title: t('volunteers.points.community'), dataIndex: 'regionName', render: (v) => v ?? '—' },
          {
            title: t('volunteers.points.activities'),
            dataIndex: 'activities',
            render: (v: NeighbourhoodPoint['activities']) => (
              <Space direction="vertical" size={0}>
                {v.map((a) => (
                  <span key={`${a.weekday}${a.start}${a.title}`}>
                    {t(`volunteers.weekday.${a.weekday}` as never)} {a.start}–{a.end} {a.title}
                  </span>
                ))}
              </Space>
            ),
          },
          {
            title: t('volunteers.points.activeCol'),
            dataIndex: 'active',
            render: (v: boolean) => (
              <Tag color={v ? 'green' : 'default'}>{v ? t('volunteers.points.active') : t('volunteers.points.inactive')}</Tag>
            ),
          },
          {
            title: '',
            key: 'edit',
            render: (_, p) =>
              can('volunteer:manage') && (
                <Button type="link" onClick={() => setEditing(p)}>
                  {t('volunteers.points.edit')}
                </Button>
              ),
          },
        ]}
      />
      <PointModal
        point={editing}
        onClose={() => setEditing(null)}
        onDone={() => {
          setEditing(null);
          list.reload();
        }}
      />
    </Card>
  );
}

function PointModal({ point, onClose, onDone }: { point: NeighbourhoodPoint | 'new' | null; onClose(): void; onDone(): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<PointValues>();
  usePrefillOnlyCommunity(form, 'regionCode', point === 'new');
  const values: Partial<PointValues> =
    point && point !== 'new'
      ? { ...point, activities: point.activities }
      : { activities: [], active: true, lat: null, lng: null };
  return (
    <FormModal<PointValues>
      open={!!point}
      mode="edit"
      title={t('volunteers.points.formTitle')}
      form={form}
      values={values}
      width={720}
      onClose={onClose}
      fields={['name', 'address', 'regionCode', 'lat', 'lng', 'activities', 'active']}
      onSubmit={async (v) => {
        const body = { ...v, lat: v.lat ?? null, lng: v.lng ?? null, activities: v.activities ?? [] };
        if (point && point !== 'new') await volunteersApi.updatePoint({ params: { id: point.id }, body });
        else await volunteersApi.createPoint({ body });
        message.success(t('volunteers.points.saved'));
        onDone();
      }}
    >
      <Form.Item name="name" label={t('volunteers.points.name')} rules={[{ required: true, whitespace: true }]}>
        <Input maxLength={60} />
      </Form.Item>
      <Form.Item name="address" label={t('volunteers.points.address')} rules={[{ required: true, whitespace: true }]}>
        <Input maxLength={200} />
      </Form.Item>
      <Form.Item name="regionCode" label={t('volunteers.points.community')} rules={[{ required: true }]}>
        <RegionTreeSelect selectableLevels={['community']} allowClear={false} />
      </Form.Item>
      <Space>
        <Form.Item name="lat" label={t('volunteers.points.lat')}>
          <InputNumber min={-90} max={90} step={0.0001} style={{ width: 160 }} />
        </Form.Item>
        <Form.Item name="lng" label={t('volunteers.points.lng')}>
          <InputNumber min={-180} max={180} step={0.0001} style={{ width: 160 }} />
        </Form.Item>
        <Form.Item name="active" label={t('volunteers.points.activeLabel')} valuePropName="checked">
          <Switch />
        </Form.Item>
      </Space>
      <Form.Item label={t('volunteers.points.activities')}>
        <SlotList name="activities" withTitle addText={t('volunteers.points.addActivity')} />
      </Form.Item>
    </FormModal>
  );
}
