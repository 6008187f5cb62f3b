import type { ElderListItem, ServiceOrder as Order } from '@zhiyang/shared';
import { DatePicker, Form, InputNumber, Radio, Select } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { bookingApi } from '../../api/booking.ts';
import { catalogueApi } from '../../api/catalogue.ts';
import { eldersApi } from '../../api/elders.ts';
import { ordersApi } from '../../api/orders.ts';
import { useFetch } from '../../app/useFetch.ts';
import { FormModal } from '../common/FormModal.tsx';
import { newKey } from './types.ts';

/**
 * The operator's order form (坐席下单), filled while on the phone: find the elder by name,
 * pinyin initials, the last digits of the ID number or the phone; pick the item and the time.
 * One Idempotency-Key per opened form, so a double click orders once.
 */
export function NewOrderModal({ open, onClose, onCreated }: { open: boolean; onClose(): void; onCreated(o: Order): void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm();
  const [key] = useState(newKey);
  const [hits, setHits] = useState<ElderListItem[]>([]);
  const items = useFetch((signal) => catalogueApi.listItems({ signal }), 'order-items');
  // How the chosen elder pays for each item (the elder's policies, as on the phone pages): the
  // payment follows the chosen item; the operator may change it, and the server checks it again.
  const elderId = Form.useWatch('elderId', form) as string | undefined;
  const itemId = Form.useWatch('itemId', form) as string | undefined;
  const bookable = useFetch(
    (signal) => (elderId ? bookingApi.bookableItems({ query: { elderId }, signal }) : Promise.resolve({ items: [], total: 0 })),
    `order-bookable-${elderId ?? ''}`,
  );
  const paymentOfChosen = bookable.data?.items.find((i) => i.id === itemId)?.payment;
  useEffect(() => {
    if (paymentOfChosen) form.setFieldValue('payment', paymentOfChosen);
  }, [paymentOfChosen, form]);
  const search = async (q: string) => {
    if (q.trim().length < 1) return;
    try {
      setHits((await eldersApi.listElders({ query: { q, limit: 10 } })).items);
    } catch {
      setHits([]);
    }
  };
  return (
    <FormModal
      open={open}
      title={t('service.orders.create')}
      form={form}
      fields={['elderId', 'itemId', 'quantity', 'scheduledAt', 'payment']}
      initialValues={{ quantity: 1, payment: 'points', scheduledAt: dayjs().add(1, 'day').hour(9).minute(0) }}
      onClose={onClose}
      onSubmit={async (v) => {
        const o = await ordersApi.createOrder({
          body: {
            elderId: v.elderId,
            itemId: v.itemId,
            quantity: v.quantity,
            payment: v.payment,
            scheduledAt: v.scheduledAt.toISOString(),
          },
          headers: { 'Idempotency-Key': key },
        });
        onCreated(o);
        onClose();
      }}
    >
      <Form.Item name="elderId" label={t('service.orders.elder')} rules={[{ required: true }]}>
        <Select
          showSearch
          filterOption={false}
          onSearch={search}
          placeholder={t('service.orders.elderPlaceholder')}
          options={hits.map((h) => ({ value: h.id, label: `${h.name} · ${h.age} · ${h.idNumberMasked}` }))}
        />
      </Form.Item>
      <Form.Item name="itemId" label={t('service.orders.item')} rules={[{ required: true }]}>
        <Select
          showSearch
          placeholder={t('common.pleaseSelect')}
          optionFilterProp="label"
          options={items.data?.items.map((i) => ({
            value: i.id,
            label: `${i.name}（${i.points} / ${t(`service.catalogue.units.${i.unit}`)}）`,
          }))}
        />
      </Form.Item>
      <Form.Item name="quantity" label={t('service.orders.quantity')}>
        <InputNumber min={1} max={24} precision={0} />
      </Form.Item>
      <Form.Item name="scheduledAt" label={t('service.orders.scheduledAt')} rules={[{ required: true }]}>
        <DatePicker
          showTime={{ format: 'HH:mm', minuteStep: 15 }}
          format="YYYY-MM-DD HH:mm"
          // The server takes orders from now to 90 days ahead.
          disabledDate={(d) => d.isBefore(dayjs(), 'day') || d.isAfter(dayjs().add(90, 'day'), 'day')}
        />
      </Form.Item>
      <Form.Item name="payment" label={t('service.orders.payment')}>
        <Radio.Group
          options={(['points', 'purchase', 'self', 'package'] as const).map((p) => ({
            value: p,
            label: t(`service.orders.payments.${p}`),
          }))}
        />
      </Form.Item>
    </FormModal>
  );
}
