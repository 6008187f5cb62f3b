import { App, Button, Card, Form, InputNumber, Modal, Switch, Table, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api.ts';
import { useAuth } from '../../app/auth.tsx';
import { applyFieldErrors, problemText } from '../../app/problems.ts';
import { useFetch } from '../../app/useFetch.ts';
import { type Item, type Page, yuan } from './types.ts';

/** The service catalogue on the GB/T 43153-2023 categories; the bureau sets prices, ceilings and points. */
export function CataloguePage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const { message } = App.useApp();
  const [editing, setEditing] = useState<Item | null>(null);
  const [form] = Form.useForm();
  const items = useFetch((signal) => api.get<Page<Item>>('/service-items', { includeInactive: true }, { signal }), 'items');
  const y = (v: number) => t('service.common.yuan', { v: yuan(v) });
  return (
    <Card title={t('service.catalogue.title')}>
      <Table<Item>
        rowKey="id"
        size="middle"
        loading={items.loading}
        dataSource={items.data?.items}
        pagination={false}
        columns={[
          {
            title: t('service.catalogue.category'),
            dataIndex: 'category',
            render: (v: Item['category']) => <Tag>{t(`service.catalogue.categories.${v}`)}</Tag>,
          },
          { title: t('service.catalogue.name'), dataIndex: 'name', render: (v: string, i) => (i.active ? v : <s>{v}</s>) },
          {
            title: t('service.catalogue.unit'),
            dataIndex: 'unit',
            render: (v: Item['unit']) => t(`service.catalogue.units.${v}`),
          },
          { title: t('service.catalogue.duration'), dataIndex: 'durationMinutes' },
          { title: t('service.catalogue.refPrice'), dataIndex: 'refPriceFen', render: y },
          { title: t('service.catalogue.ceiling'), dataIndex: 'ceilingPriceFen', render: y },
          { title: t('service.catalogue.points'), dataIndex: 'points' },
          { title: t('service.catalogue.code'), dataIndex: 'code', render: (v: string) => <code>{v}</code> },
          ...(can('catalogue:write')
            ? [
                {
                  title: t('service.common.actions'),
                  render: (_: unknown, i: Item) => (
                    <Button
                      size="small"
                      onClick={() => {
                        setEditing(i);
                        form.setFieldsValue({ ...i, refPriceFen: i.refPriceFen / 100, ceilingPriceFen: i.ceilingPriceFen / 100 });
                      }}
                    >
                      {t('service.common.edit')}
                    </Button>
                  ),
                },
              ]
            : []),
        ]}
      />
      <Modal open={!!editing} title={editing?.name} onCancel={() => setEditing(null)} onOk={() => form.submit()} destroyOnHidden>
        <Form
          form={form}
          layout="vertical"
          onFinish={async (v) => {
            try {
              await api.patch(`/service-items/${editing?.id}`, {
                durationMinutes: v.durationMinutes,
                refPriceFen: Math.round(v.refPriceFen * 100),
                ceilingPriceFen: Math.round(v.ceilingPriceFen * 100),
                points: v.points,
                active: v.active,
              });
              setEditing(null);
              items.reload();
            } catch (e) {
              if (!applyFieldErrors(form, e, ['durationMinutes', 'refPriceFen', 'ceilingPriceFen', 'points']))
                message.error(problemText(e, t));
            }
          }}
        >
          <Form.Item name="durationMinutes" label={t('service.catalogue.duration')}>
            <InputNumber min={5} max={1440} precision={0} />
          </Form.Item>
          <Form.Item name="refPriceFen" label={`${t('service.catalogue.refPrice')}（元）`}>
            <InputNumber min={0} precision={2} />
          </Form.Item>
          <Form.Item name="ceilingPriceFen" label={`${t('service.catalogue.ceiling')}（元）`}>
            <InputNumber min={0} precision={2} />
          </Form.Item>
          <Form.Item name="points" label={t('service.catalogue.points')}>
            <InputNumber min={0} precision={0} />
          </Form.Item>
          <Form.Item name="active" label={t('service.catalogue.active')} valuePropName="checked">
            <Switch />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
