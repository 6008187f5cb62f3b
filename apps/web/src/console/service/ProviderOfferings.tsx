import type { ProviderDetail, ServiceItem } from '@zhiyang/shared';
import { App, Button, Card, InputNumber, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { catalogueApi } from '../../api/catalogue.ts';
import { providersApi } from '../../api/providers.ts';
import { problemText } from '../../app/problems.ts';
import { useFetch } from '../../app/useFetch.ts';
import { yuan } from './types.ts';

/** What a provider offers at which price (at most the catalogue's ceiling); a writer edits the prices in place. */
export function ProviderOfferings({ d, mayWrite, onSaved }: { d: ProviderDetail; mayWrite: boolean; onSaved(): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const id = d.id;
  const catalogue = useFetch((signal) => catalogueApi.listItems({ signal }), 'drawer-items');
  const [prices, setPrices] = useState<Record<string, number | null> | null>(null);
  const itemName = (itemId: string) => catalogue.data?.items.find((i) => i.id === itemId)?.name ?? itemId;
  const saveOfferings = async () => {
    if (!prices) return;
    try {
      const items = Object.entries(prices)
        .filter(([, v]) => v !== null && v !== undefined)
        .map(([itemId, v]) => ({ itemId, priceFen: Math.round((v as number) * 100) }));
      await providersApi.setOfferings({ params: { id }, body: { items } });
      setPrices(null);
      onSaved();
    } catch (err) {
      message.error(problemText(err, t));
    }
  };

  return (
    <Card
      size="small"
      title={`${t('service.providers.offerings')} (${d.offerings.length})`}
      extra={
        mayWrite &&
        (prices ? (
          <Space>
            <Button size="small" onClick={() => setPrices(null)}>
              {t('service.common.cancel')}
            </Button>
            <Button size="small" type="primary" onClick={saveOfferings}>
              {t('service.common.save')}
            </Button>
          </Space>
        ) : (
          <Button
            size="small"
            onClick={() => setPrices(Object.fromEntries(d.offerings.map((o) => [o.itemId, o.priceFen / 100])))}
          >
            {t('service.common.edit')}
          </Button>
        ))
      }
    >
      {prices ? (
        <Table<ServiceItem>
          size="small"
          rowKey="id"
          pagination={false}
          dataSource={catalogue.data?.items}
          columns={[
            { title: t('service.catalogue.name'), dataIndex: 'name' },
            { title: t('service.catalogue.ceiling'), dataIndex: 'ceilingPriceFen', render: (v: number) => yuan(v) },
            {
              title: t('service.providers.price'),
              render: (_, i) => (
                <InputNumber
                  size="small"
                  min={0}
                  max={i.ceilingPriceFen / 100}
                  precision={2}
                  placeholder={t('service.providers.notOffered')}
                  value={prices[i.id] ?? null}
                  onChange={(v) => setPrices((prev) => ({ ...prev, [i.id]: v }))}
                />
              ),
            },
          ]}
        />
      ) : (
        <Space wrap>
          {d.offerings.map((o) => (
            <Tag key={o.itemId}>
              {itemName(o.itemId)} {t('service.common.yuan', { v: yuan(o.priceFen) })}
            </Tag>
          ))}
        </Space>
      )}
    </Card>
  );
}
