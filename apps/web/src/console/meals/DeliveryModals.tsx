import type { DeliveryProvider, KioskElder, MealDelivery, MealPeriod } from '@zhiyang/shared';
import { Alert, App, DatePicker, Form, Input, Modal, Select, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { mealsApi } from '../../api/meals.ts';
import { problemText } from '../../app/problems.ts';
import { useFetch } from '../../app/useFetch.ts';

const PERIODS: MealPeriod[] = ['breakfast', 'lunch', 'dinner'];
const yuan = (fen: number) => (fen / 100).toFixed(2);

/**
 * The elder picker of the canteen's booking form: what the staff type goes to the kiosk's lookup
 * (`GET /canteens/{id}/elders?q=`: name, pinyin initials, the ID's or the phone's last 4, the
 * phone) — only the elders this canteen serves, with no number in the answer.
 */
function ElderSearch({
  canteenId,
  id,
  value,
  onChange,
}: {
  canteenId: string;
  /** Given by Form.Item, so that its label names the field. */
  id?: string;
  value?: string;
  onChange?(v: string): void;
}) {
  const { t } = useTranslation();
  const [options, setOptions] = useState<KioskElder[]>([]);
  const [loading, setLoading] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const search = (q: string) => {
    clearTimeout(timer.current);
    if (!q.trim()) return;
    timer.current = setTimeout(() => {
      setLoading(true);
      mealsApi
        .findKioskElders({ params: { id: canteenId }, query: { q: q.trim() } })
        .then(
          (r) => setOptions(r.items),
          () => setOptions([]),
        )
        .finally(() => setLoading(false));
    }, 300);
  };
  useEffect(() => () => clearTimeout(timer.current), []);
  return (
    <Select
      id={id}
      showSearch
      value={value}
      onChange={onChange}
      filterOption={false}
      onSearch={search}
      loading={loading}
      placeholder={t('meals.deliveries.elderSearch')}
      notFoundContent={null}
      options={options.map((e) => ({
        value: e.id,
        label: `${e.name}（${e.sex === 'female' ? '女' : '男'}，${e.age}岁，${e.communityName}）`,
      }))}
    />
  );
}

interface BookForm {
  elderId: string;
  day: Dayjs;
  period: MealPeriod;
  dishIds: string[];
  providerId?: string;
  note?: string;
}

/** 预订送餐 from the canteen's console: the elder, the day (today … a week), the meal, the dishes of its menu, who delivers. */
export function BookDeliveryModal({
  canteenId,
  open,
  onClose,
  onBooked,
}: {
  canteenId: string;
  open: boolean;
  onClose(): void;
  onBooked(d: MealDelivery): void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<BookForm>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const day: Dayjs = Form.useWatch('day', form) ?? dayjs();
  const period: MealPeriod = Form.useWatch('period', form) ?? 'lunch';
  const d = day.format('YYYY-MM-DD');
  const menus = useFetch(
    (signal) =>
      open
        ? mealsApi.listMenus({ params: { id: canteenId }, query: { from: d, to: d }, signal })
        : Promise.resolve({ items: [], total: 0 }),
    `book-menu:${canteenId}:${d}:${open}`,
  );
  const providers = useFetch(
    (signal) =>
      open
        ? mealsApi.deliveryProviders({ params: { id: canteenId }, signal })
        : Promise.resolve({ items: [] as DeliveryProvider[], total: 0 }),
    `book-providers:${canteenId}:${open}`,
  );
  const menu = menus.data?.items.find((m) => m.period === period)?.items ?? [];
  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    setBusy(true);
    setError(undefined);
    await mealsApi
      .bookDelivery({
        params: { id: canteenId },
        body: {
          elderId: v.elderId,
          day: v.day.format('YYYY-MM-DD'),
          period: v.period,
          items: v.dishIds.map((dishId) => ({ dishId, qty: 1 })),
          note: v.note?.trim() || null,
          providerId: v.providerId || null,
        },
      })
      .then(
        (r) => {
          message.success(t('meals.deliveries.booked'));
          form.resetFields();
          onBooked(r);
        },
        (e) => setError(problemText(e, t)),
      );
    setBusy(false);
  };
  return (
    <Modal
      open={open}
      title={t('meals.deliveries.bookTitle')}
      okText={t('meals.signals.confirm')}
      cancelText={t('meals.signals.cancel')}
      confirmLoading={busy}
      onOk={submit}
      onCancel={onClose}
      destroyOnHidden
    >
      <Form<BookForm>
        form={form}
        layout="vertical"
        initialValues={{ day: dayjs(), period: 'lunch', dishIds: [] }}
        onValuesChange={(changed) => {
          if ('day' in changed || 'period' in changed) form.setFieldValue('dishIds', []);
        }}
      >
        <Form.Item
          name="elderId"
          label={t('meals.deliveries.elder')}
          rules={[{ required: true, message: t('meals.deliveries.elderRequired') }]}
        >
          <ElderSearch canteenId={canteenId} />
        </Form.Item>
        <Form.Item name="day" label={t('meals.deliveries.day')} rules={[{ required: true }]}>
          <DatePicker
            allowClear={false}
            style={{ width: '100%' }}
            disabledDate={(x) => x.isBefore(dayjs(), 'day') || x.isAfter(dayjs().add(7, 'day'), 'day')}
          />
        </Form.Item>
        <Form.Item name="period" label={t('meals.deliveries.period')}>
          <Select options={PERIODS.map((p) => ({ value: p, label: t(`meals.periods.${p}`) }))} />
        </Form.Item>
        <Form.Item
          name="dishIds"
          label={t('meals.deliveries.dishes')}
          rules={[{ required: true, type: 'array', min: 1, message: t('meals.deliveries.dishesRequired') }]}
          extra={!menus.loading && menu.length === 0 ? t('meals.deliveries.noMenu') : undefined}
        >
          <Select
            mode="multiple"
            aria-label={t('meals.deliveries.dishes')}
            options={menu.map((m) => ({
              value: m.id,
              label: `${m.name} ${t('meals.common.yuan', { v: yuan(m.menuPriceFen) })}`,
            }))}
          />
        </Form.Item>
        <Form.Item name="providerId" label={t('meals.deliveries.provider')}>
          <Select
            allowClear
            placeholder={t('meals.deliveries.canteenDelivers')}
            options={(providers.data?.items ?? []).map((p) => ({ value: p.id, label: p.name }))}
          />
        </Form.Item>
        <Form.Item name="note" label={t('meals.deliveries.bookNote')}>
          <Input maxLength={200} />
        </Form.Item>
      </Form>
      {error && <Alert type="error" showIcon title={error} />}
    </Modal>
  );
}

/** 交给服务商: hand a booked delivery to a provider, optionally to one of its workers. */
export function HandOverModal({
  delivery,
  onClose,
  onDone,
}: {
  delivery: MealDelivery | undefined;
  onClose(): void;
  onDone(): void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [providerId, setProviderId] = useState<string>();
  const [workerId, setWorkerId] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const canteenId = delivery?.canteenId;
  const providers = useFetch(
    (signal) =>
      canteenId
        ? mealsApi.deliveryProviders({ params: { id: canteenId }, signal })
        : Promise.resolve({ items: [] as DeliveryProvider[], total: 0 }),
    `handover-providers:${canteenId ?? ''}`,
  );
  useEffect(() => {
    setProviderId(delivery?.providerId ?? undefined);
    setWorkerId(delivery?.workerId ?? undefined);
    setError(undefined);
  }, [delivery]);
  const provider = providers.data?.items.find((p) => p.id === providerId);
  const submit = async () => {
    if (!delivery || !providerId) return;
    setBusy(true);
    await mealsApi.assignDelivery({ params: { id: delivery.id }, body: { providerId, workerId: workerId ?? null } }).then(
      () => {
        message.success(t('meals.deliveries.handedOver'));
        onDone();
      },
      (e) => setError(problemText(e, t)),
    );
    setBusy(false);
  };
  return (
    <Modal
      open={!!delivery}
      title={delivery ? t('meals.deliveries.handOverTitle', { name: delivery.elderName }) : ''}
      okText={t('meals.signals.confirm')}
      cancelText={t('meals.signals.cancel')}
      okButtonProps={{ disabled: !providerId }}
      confirmLoading={busy}
      onOk={submit}
      onCancel={onClose}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t('meals.deliveries.handOverHint')}</Typography.Paragraph>
      {!providers.loading && (providers.data?.items.length ?? 0) === 0 ? (
        <Alert type="warning" showIcon title={t('meals.deliveries.noProviders')} />
      ) : (
        <Form layout="vertical">
          <Form.Item label={t('meals.deliveries.chooseProvider')}>
            <Select
              aria-label={t('meals.deliveries.chooseProvider')}
              value={providerId}
              onChange={(v) => {
                setProviderId(v);
                setWorkerId(undefined);
              }}
              options={(providers.data?.items ?? []).map((p) => ({ value: p.id, label: p.name }))}
            />
          </Form.Item>
          <Form.Item label={t('meals.deliveries.worker')}>
            <Select
              aria-label={t('meals.deliveries.worker')}
              allowClear
              value={workerId}
              onChange={setWorkerId}
              placeholder={t('meals.deliveries.anyWorker')}
              options={(provider?.workers ?? []).map((w) => ({ value: w.id, label: w.name }))}
            />
          </Form.Item>
        </Form>
      )}
      {error && <Alert type="error" showIcon title={error} />}
    </Modal>
  );
}
