import { AlertOutlined, CustomerServiceOutlined, FrownOutlined, MedicineBoxOutlined } from '@ant-design/icons';
import type { CallActionResult, CallDetail, PaymentMethod, ServiceItem } from '@zhiyang/shared';
import { Alert, App, Button, Form, Input, Radio, Select, Space, Tooltip } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { bookingApi } from '../../api/booking.ts';
import { callsApi } from '../../api/calls.ts';
import { catalogueApi } from '../../api/catalogue.ts';
import { medicalApi } from '../../api/medical.ts';
import { useAuth } from '../../app/auth.tsx';
import { useFetch } from '../../app/useFetch.ts';
import { FormModal } from '../common/FormModal.tsx';
import { BookDeliveryButton } from '../meals/BookDeliveryButton.tsx';

type Kind = 'order' | 'alarm' | 'complaint' | 'visit';
interface OrderForm {
  itemId?: string;
  payment: PaymentMethod;
  note?: string;
}

/**
 * What the agent starts from the call in one step: a service order (the category's default item
 * prefilled, dispatch takes over), a manual P1/P2 alarm (the alarm centre's flow and SLA) or a
 * complaint (its follow-up deadline). Each links back to the call; a second click answers the same record.
 */
export function CallActions({
  call,
  defaultItemCodes,
  beforeAction,
  onDone,
  prefill,
}: {
  call: CallDetail;
  /** The chosen category's default service items (codes). */
  defaultItemCodes: string[];
  /** Save the call form first (category, notes), so the order starts from the chosen category. */
  beforeAction(): Promise<void>;
  onDone(r: CallActionResult): void;
  /** What the dialogs start from (a care call's answers): the order's and alarm's note, the complaint's reason. */
  prefill?: { note?: string };
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { can } = useAuth();
  const [open, setOpen] = useState<Kind | null>(null);
  const [orderForm] = Form.useForm<OrderForm>();
  const [alarmForm] = Form.useForm<{ priority: 'P1' | 'P2'; note?: string }>();
  const [complaintForm] = Form.useForm<{ reason: string }>();
  const [visitForm] = Form.useForm<{ reason: string }>();
  // One key per opened visit form: a resend after a lost answer is the same request.
  const [visitKey, setVisitKey] = useState('');
  const chosenItem = Form.useWatch('itemId', orderForm);
  // 长护险: which items the caller's elder's policy pays (the server decides again at booking).
  const bookable = useFetch(
    (signal) =>
      open === 'order' && call.elderId
        ? bookingApi.bookableItems({ query: { elderId: call.elderId }, signal })
        : Promise.resolve({ items: [], total: 0 }),
    `call-bookable-${open}-${call.elderId ?? ''}`,
  );
  const bookableChosen = bookable.data?.items.find((i) => i.id === chosenItem);
  const ltcOfChosen = bookableChosen?.ltc ?? null;
  // The payment follows the elder's policies for the chosen item (积分 / 购买服务 / 自费 / 床位服务包),
  // as on the phone pages; the agent may still change it, and the server checks it again.
  const paymentOfChosen = bookableChosen?.payment;
  useEffect(() => {
    if (paymentOfChosen) orderForm.setFieldValue('payment', paymentOfChosen);
  }, [paymentOfChosen, orderForm]);
  const items = useFetch((signal) => catalogueApi.listItems({ signal }), 'catalogue-items');
  const itemOptions = useMemo(() => {
    const all: ServiceItem[] = items.data?.items ?? [];
    const preferred = all.filter((i) => defaultItemCodes.includes(i.code));
    const rest = all.filter((i) => !defaultItemCodes.includes(i.code));
    return [...preferred, ...rest].map((i) => ({ value: i.id, label: i.name }));
  }, [items.data, defaultItemCodes]);
  const firstDefault = useMemo(
    () => (items.data?.items ?? []).find((i) => i.code === defaultItemCodes[0])?.id,
    [items.data, defaultItemCodes],
  );
  const noElder = !call.elderId;

  const start = async (kind: Kind) => {
    await beforeAction();
    setOpen(kind);
  };
  const finish = (r: CallActionResult, text: string) => {
    message.success(text);
    setOpen(null);
    onDone(r);
  };
  const button = (kind: Kind, icon: React.ReactNode, label: string, opts: { danger?: boolean; needsElder: boolean }) => {
    const done =
      kind === 'order' ? call.orderId : kind === 'alarm' ? call.alarmId : kind === 'complaint' ? call.complaintId : null;
    const disabled = opts.needsElder && noElder;
    const b = (
      <Button
        icon={icon}
        danger={opts.danger}
        type={done ? 'default' : 'primary'}
        ghost={!done && !opts.danger}
        disabled={disabled}
        onClick={() => void start(kind).catch(() => undefined)}
        data-testid={`call-${kind}`}
      >
        {label}
      </Button>
    );
    return disabled ? (
      <Tooltip key={kind} title={t('calls.console.needElder')}>
        {b}
      </Tooltip>
    ) : (
      <span key={kind}>{b}</span>
    );
  };

  return (
    <>
      <Space wrap>
        {button('order', <CustomerServiceOutlined />, t('calls.console.createOrder'), { needsElder: true })}
        {button('alarm', <AlertOutlined />, t('calls.console.raiseAlarm'), { danger: true, needsElder: true })}
        {button('complaint', <FrownOutlined />, t('calls.console.logComplaint'), { needsElder: true })}
        {/* 请医生上门: a home medical visit for the caller's elder (the server checks it is this call's elder). */}
        {can('medical:request') && (
          <span key="visit">
            <Tooltip title={noElder ? t('calls.console.needElder') : undefined}>
              <Button
                icon={<MedicineBoxOutlined />}
                disabled={noElder}
                onClick={() => {
                  setVisitKey(crypto.randomUUID());
                  void start('visit').catch(() => undefined);
                }}
                data-testid="call-visit"
              >
                {t('phoneHealth.callAsk')}
              </Button>
            </Tooltip>
          </span>
        )}
        {/* 电话订餐: a meal delivery for the caller's elder, booked with the same scoped read as the phone pages. */}
        {call.elderId && can('meal:deliver-book') && <BookDeliveryButton elderId={call.elderId} elderName={call.elderName} />}
      </Space>
      <FormModal<OrderForm>
        open={open === 'order'}
        title={t('calls.console.createOrder')}
        form={orderForm}
        initialValues={{ itemId: firstDefault, payment: 'points', note: prefill?.note }}
        preserve={false}
        fields={['itemId', 'payment', 'note']}
        onClose={() => setOpen(null)}
        onSubmit={async (v) => {
          const r = await callsApi.orderFromCall({
            params: { id: call.id },
            body: {
              ...(v.itemId ? { itemId: v.itemId } : {}),
              payment: v.payment,
              ...(v.note?.trim() ? { note: v.note.trim() } : {}),
            },
          });
          finish(
            r,
            t('calls.console.orderCreated', { no: r.orderNo ?? '' }) +
              (r.ltc ? t('phoneHealth.callOrderLtc', { pct: r.ltc.payPercent }) : ''),
          );
        }}
      >
        <Form.Item
          name="itemId"
          label={t('calls.console.orderItem')}
          extra={defaultItemCodes.length ? t('calls.console.itemsFromCategory') : t('calls.console.noItems')}
        >
          <Select
            showSearch
            optionFilterProp="label"
            placeholder={t('common.pleaseSelect')}
            options={itemOptions}
            data-testid="order-item"
          />
        </Form.Item>
        {ltcOfChosen && (
          <Alert
            type="info"
            showIcon
            style={{ marginBottom: 16 }}
            data-testid="call-order-ltc"
            title={t('phoneHealth.callLtc', {
              policy: ltcOfChosen.policyName,
              pct: ltcOfChosen.payPercent,
              yuan: (ltcOfChosen.copayFen / 100).toFixed(2),
            })}
          />
        )}
        <Form.Item name="payment" label={t('service.orders.payment')} rules={[{ required: true }]}>
          <Radio.Group
            optionType="button"
            options={(
              ['points', 'purchase', 'self', ...(paymentOfChosen === 'package' ? (['package'] as const) : [])] as const
            ).map((p) => ({ value: p, label: t(`service.orders.payments.${p}`) }))}
          />
        </Form.Item>
        <Form.Item name="note" label={t('calls.console.orderNote')} rules={[{ max: 500 }]}>
          <Input.TextArea rows={3} maxLength={500} />
        </Form.Item>
      </FormModal>
      <FormModal<{ priority: 'P1' | 'P2'; note?: string }>
        open={open === 'alarm'}
        title={t('calls.console.raiseAlarm')}
        form={alarmForm}
        initialValues={{ priority: 'P2', note: prefill?.note }}
        preserve={false}
        fields={['priority', 'note']}
        onClose={() => setOpen(null)}
        onSubmit={async (v) => {
          const r = await callsApi.alarmFromCall({
            params: { id: call.id },
            body: { priority: v.priority, ...(v.note?.trim() ? { note: v.note.trim() } : {}) },
          });
          finish(r, t('calls.console.alarmRaised'));
        }}
      >
        <Form.Item name="priority" label={t('calls.console.alarmPriority')} rules={[{ required: true }]}>
          <Radio.Group
            optionType="button"
            options={(['P1', 'P2'] as const).map((p) => ({ value: p, label: t(`safety.priority.${p}`) }))}
          />
        </Form.Item>
        <Form.Item name="note" label={t('calls.console.alarmNote')} rules={[{ max: 500 }]}>
          <Input.TextArea rows={3} maxLength={500} />
        </Form.Item>
      </FormModal>
      <FormModal<{ reason: string }>
        open={open === 'complaint'}
        title={t('calls.console.logComplaint')}
        form={complaintForm}
        initialValues={{ reason: prefill?.note }}
        preserve={false}
        fields={['reason']}
        onClose={() => setOpen(null)}
        onSubmit={async (v) => {
          const r = await callsApi.complaintFromCall({ params: { id: call.id }, body: { reason: v.reason.trim() } });
          finish(r, t('calls.console.complaintLogged'));
        }}
      >
        <Form.Item
          name="reason"
          label={t('calls.console.complaintReason')}
          rules={[{ required: true, whitespace: true, min: 2, max: 500 }]}
        >
          <Input.TextArea rows={4} maxLength={500} />
        </Form.Item>
      </FormModal>
      <FormModal<{ reason: string }>
        open={open === 'visit'}
        title={t('phoneHealth.callAskTitle')}
        form={visitForm}
        initialValues={{ reason: prefill?.note }}
        preserve={false}
        fields={['reason']}
        onClose={() => setOpen(null)}
        onSubmit={async (v) => {
          const r = await medicalApi.requestVisit({
            body: { callId: call.id, reason: v.reason.trim() },
            headers: { 'Idempotency-Key': visitKey },
          });
          message.success(t('phoneHealth.callSent', { team: r.teamName }));
          setOpen(null);
        }}
      >
        <Form.Item
          name="reason"
          label={t('phoneHealth.callReason')}
          rules={[{ required: true, whitespace: true, min: 2, max: 500 }]}
        >
          <Input.TextArea rows={4} maxLength={500} data-testid="call-visit-reason" />
        </Form.Item>
      </FormModal>
    </>
  );
}
