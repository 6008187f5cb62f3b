import { SERVICE_CATEGORIES, type ServiceItem } from '@zhiyang/shared';
import { App, Button, Card, Form, Input, InputNumber, Radio, Select, Switch, Table, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { catalogueApi } from '../../api/catalogue.ts';
import { useAuth } from '../../app/auth.tsx';
import { useFetch } from '../../app/useFetch.ts';
import { FormModal } from '../common/FormModal.tsx';
import { yuan } from './types.ts';

type Item = ServiceItem;

/** The service catalogue on the GB/T 43153-2023 categories; the bureau sets prices, ceilings and points. */
export function CataloguePage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const { message } = App.useApp();
  // The item being edited, 'new' while adding one, null when the form is closed.
  const [editing, setEditing] = useState<Item | 'new' | null>(null);
  const [form] = Form.useForm();
  const items = useFetch((signal) => catalogueApi.listItems({ query: { includeInactive: 'true' }, signal }), 'items');
  const y = (v: number) => t('service.common.yuan', { v: yuan(v) });
  return (
    <Card
      title={t('service.catalogue.title')}
      extra={
        can('catalogue:write') && (
          <Button
            type="primary"
            onClick={() => {
              form.resetFields();
              form.setFieldsValue({ unit: 'visit', durationMinutes: 60, active: true });
              setEditing('new');
            }}
          >
            {t('service.catalogue.add')}
          </Button>
        )
      }
    >
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
      <FormModal
        open={!!editing}
        title={editing === 'new' ? t('service.catalogue.add') : editing?.name}
        form={form}
        fields={['category', 'name', 'unit', 'durationMinutes', 'refPriceFen', 'ceilingPriceFen', 'points']}
        onClose={() => setEditing(null)}
        onSubmit={async (v) => {
          // The form speaks yuan; the API stores fen.
          const body = {
            category: v.category,
            name: v.name,
            unit: v.unit,
            durationMinutes: v.durationMinutes,
            refPriceFen: Math.round(v.refPriceFen * 100),
            ceilingPriceFen: Math.round(v.ceilingPriceFen * 100),
            points: v.points,
            active: v.active,
          };
          if (editing === 'new') await catalogueApi.createItem({ body });
          else if (editing) await catalogueApi.updateItem({ params: { id: editing.id }, body });
          message.success(t('service.catalogue.saved'));
          setEditing(null);
          items.reload();
        }}
      >
        <Form.Item name="category" label={t('service.catalogue.category')} rules={[{ required: true }]}>
          <Select
            placeholder={t('common.pleaseSelect')}
            options={SERVICE_CATEGORIES.map((c) => ({ value: c, label: t(`service.catalogue.categories.${c}`) }))}
          />
        </Form.Item>
        <Form.Item name="name" label={t('service.catalogue.name')} rules={[{ required: true, whitespace: true, max: 50 }]}>
          <Input maxLength={50} />
        </Form.Item>
        <Form.Item name="unit" label={t('service.catalogue.unit')} rules={[{ required: true }]}>
          <Radio.Group
            options={(['visit', 'hour'] as const).map((u) => ({ value: u, label: t(`service.catalogue.units.${u}`) }))}
          />
        </Form.Item>
        <Form.Item name="durationMinutes" label={t('service.catalogue.duration')} rules={[{ required: true }]}>
          <InputNumber min={5} max={1440} precision={0} />
        </Form.Item>
        <Form.Item
          name="refPriceFen"
          label={`${t('service.catalogue.refPrice')}（${t('service.catalogue.yuanUnit')}）`}
          rules={[{ required: true }]}
        >
          <InputNumber min={0} precision={2} />
        </Form.Item>
        <Form.Item
          name="ceilingPriceFen"
          label={`${t('service.catalogue.ceiling')}（${t('service.catalogue.yuanUnit')}）`}
          dependencies={['refPriceFen']}
          rules={[
            { required: true },
            ({ getFieldValue }) => ({
              validator: (_, v) =>
                v == null || getFieldValue('refPriceFen') == null || v >= getFieldValue('refPriceFen')
                  ? Promise.resolve()
                  : Promise.reject(new Error(t('service.catalogue.ceilingBelowRef'))),
            }),
          ]}
        >
          <InputNumber min={0} precision={2} />
        </Form.Item>
        <Form.Item name="points" label={t('service.catalogue.points')} rules={[{ required: true }]}>
          <InputNumber min={0} precision={0} />
        </Form.Item>
        <Form.Item name="active" label={t('service.catalogue.active')} valuePropName="checked">
          <Switch />
        </Form.Item>
      </FormModal>
    </Card>
  );
}
