import { Card, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api.ts';
import { useFetch } from '../../app/useFetch.ts';
import { type Item, type Page, yuan } from './types.ts';

/** The service catalogue on the GB/T 43153-2023 categories, with prices in yuan and points. */
export function CataloguePage() {
  const { t } = useTranslation();
  const items = useFetch((signal) => api.get<Page<Item>>('/service-items', undefined, { signal }), 'items');
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
          { title: t('service.catalogue.name'), dataIndex: 'name' },
          {
            title: t('service.catalogue.unit'),
            dataIndex: 'unit',
            render: (v: Item['unit']) => t(`service.catalogue.units.${v}`),
          },
          { title: t('service.catalogue.duration'), dataIndex: 'durationMinutes' },
          {
            title: t('service.catalogue.refPrice'),
            dataIndex: 'refPriceFen',
            render: (v: number) => t('service.common.yuan', { v: yuan(v) }),
          },
          {
            title: t('service.catalogue.ceiling'),
            dataIndex: 'ceilingPriceFen',
            render: (v: number) => t('service.common.yuan', { v: yuan(v) }),
          },
          { title: t('service.catalogue.points'), dataIndex: 'points' },
          { title: t('service.catalogue.code'), dataIndex: 'code', render: (v: string) => <code>{v}</code> },
        ]}
      />
    </Card>
  );
}
