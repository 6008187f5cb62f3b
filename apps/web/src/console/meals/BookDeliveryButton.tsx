import { CoffeeOutlined } from '@ant-design/icons';
import type { MealPeriod } from '@zhiyang/shared';
import { Alert, App, Button, Form, Input, List, Modal, Popconfirm, Radio, Select, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { mealsApi } from '../../api/meals.ts';
import { currentLanguage } from '../../app/i18n.ts';
import { applyFieldErrors, problemText } from '../../app/problems.ts';
import { useFetch } from '../../app/useFetch.ts';
import { bookingProblemText, canteensFor, clockText, dayText, mealsOfDay, yuan } from './booking-ui.ts';

interface BookForm {
  day?: string;
  period?: MealPeriod;
  pick?: string;
  note?: string;
}
const STATUS_COLOUR = { booked: 'blue', delivered: 'green', cancelled: 'default' } as const;

/**
 * 预订送餐 from a call (the call centre, 电话订餐): the caller's elder's delivery options — the
 * same scoped read as the phone pages — a day, meal and dish, a note; the elder's bookings below
 * with 取消 before the cutoff. The agent may book a meal of today after its cutoff (arranged with
 * the canteen on the phone); the dialog says so.
 */
export function BookDeliveryButton({ elderId, elderName }: { elderId: string; elderName?: string | null }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button icon={<CoffeeOutlined />} onClick={() => setOpen(true)} data-testid="call-meal-delivery">
        {t('meals.booking.callButton')}
      </Button>
      {open && <BookDeliveryModal elderId={elderId} elderName={elderName} onClose={() => setOpen(false)} />}
    </>
  );
}

function BookDeliveryModal({ elderId, elderName, onClose }: { elderId: string; elderName?: string | null; onClose(): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const lang = currentLanguage();
  const [form] = Form.useForm<BookForm>();
  const [version, setVersion] = useState(0);
  const [saving, setSaving] = useState(false);
  const res = useFetch((signal) => mealsApi.deliveryOptions({ query: { elderId }, signal }), `call-mdo-${elderId}-${version}`);
  const o = res.data;
  const day = Form.useWatch('day', form);
  const period = Form.useWatch('period', form);
  const meal = (p: MealPeriod) => t(`meals.periods.${p}`);
  const days = (o?.days ?? []).filter((d) => o && mealsOfDay(o.canteens, d).length > 0);
  const meals = o && day ? mealsOfDay(o.canteens, day) : [];
  const slots = o && day && period ? canteensFor(o.canteens, day, period) : [];
  const late = slots.length > 0 && Date.parse(slots[0].slot.cutoffAt) <= Date.now();
  const name = elderName ?? o?.elderName ?? '';

  const submit = async () => {
    const v = await form.validateFields();
    const [canteenId, dishId] = (v.pick ?? '').split('|');
    if (!v.day || !v.period || !canteenId || !dishId) return;
    setSaving(true);
    try {
      await mealsApi.bookDelivery({
        params: { id: canteenId },
        body: { elderId, day: v.day, period: v.period, items: [{ dishId, qty: 1 }], note: v.note?.trim() || null },
      });
      message.success(t('meals.booking.callBooked', { name, day: dayText(v.day, lang, t as never), meal: meal(v.period) }));
      form.resetFields();
      setVersion((x) => x + 1);
    } catch (e) {
      if (!applyFieldErrors(form, e, ['day', 'period', 'note'])) message.error(bookingProblemText(e, t));
    } finally {
      setSaving(false);
    }
  };

  const cancel = async (id: string) => {
    try {
      await mealsApi.cancelDelivery({ params: { id }, body: { reason: t('meals.booking.cancelReasonPhone') } });
      message.success(t('meals.booking.cancelled'));
      setVersion((x) => x + 1);
    } catch (e) {
      message.error(bookingProblemText(e, t));
    }
  };

  return (
    <Modal
      open
      width={640}
      title={t('meals.booking.callTitle', { name })}
      onCancel={onClose}
      onOk={() => void submit().catch(() => undefined)}
      okText={t('meals.booking.submit')}
      okButtonProps={{ loading: saving, disabled: !o?.canteens.length }}
      destroyOnHidden
    >
      {res.error !== undefined && <Alert type="error" showIcon title={problemText(res.error, t)} />}
      {o && !o.canteens.length && <Alert type="info" showIcon title={t('meals.booking.noCanteen')} />}
      <Form<BookForm> form={form} layout="vertical" data-testid="call-meal-form">
        <Form.Item name="day" label={t('meals.booking.day')} rules={[{ required: true }]}>
          <Select
            placeholder={t('common.pleaseSelect')}
            options={days.map((d) => ({ value: d, label: dayText(d, lang, t as never) }))}
            onChange={() => form.setFieldsValue({ period: undefined, pick: undefined })}
            data-testid="call-meal-day"
          />
        </Form.Item>
        <Form.Item name="period" label={t('meals.booking.meal')} rules={[{ required: true }]}>
          <Radio.Group
            optionType="button"
            onChange={() => form.setFieldsValue({ pick: undefined })}
            options={meals.map((m) => ({
              value: m.period,
              label: `${meal(m.period)}${m.cutoffAt ? `（${m.bookable && Date.parse(m.cutoffAt) > Date.now() ? t('meals.booking.bookBefore', { time: clockText(m.cutoffAt) }) : t('meals.booking.closed')}）` : ''}`,
            }))}
          />
        </Form.Item>
        {late && <Alert type="warning" showIcon style={{ marginBottom: 12 }} title={t('meals.booking.lateByPhone')} />}
        <Form.Item name="pick" label={t('meals.booking.dish')} rules={[{ required: true }]}>
          <Select
            placeholder={day && period ? t('common.pleaseSelect') : t('meals.booking.pickFirst')}
            disabled={!slots.length}
            data-testid="call-meal-dish"
            options={slots.map(({ canteen, slot }) => ({
              label: canteen.name,
              title: canteen.name,
              options: slot.dishes.map((d) => ({
                value: `${canteen.id}|${d.dishId}`,
                label: `${d.name}  ${t('meals.booking.price', { yuan: yuan(d.priceFen) })}${d.selfPayFen < d.priceFen ? `（${t('meals.booking.selfPay', { yuan: yuan(d.selfPayFen) })}）` : ''}`,
              })),
            }))}
          />
        </Form.Item>
        <Form.Item name="note" label={t('meals.booking.note')} rules={[{ max: 200 }]}>
          <Input.TextArea rows={2} maxLength={200} />
        </Form.Item>
      </Form>
      <Typography.Title level={5}>{t('meals.booking.elderBookings')}</Typography.Title>
      <List
        size="small"
        data-testid="call-meal-bookings"
        locale={{ emptyText: t('meals.booking.noMine') }}
        dataSource={o?.bookings ?? []}
        renderItem={(b) => (
          <List.Item
            actions={
              b.cancellable
                ? [
                    <Popconfirm
                      key="cancel"
                      title={t('meals.booking.cancelSure', { day: dayText(b.day, lang, t as never), meal: meal(b.period) })}
                      okText={t('meals.booking.cancelYes')}
                      cancelText={t('meals.booking.cancelNo')}
                      onConfirm={() => cancel(b.id)}
                    >
                      <Button size="small" danger>
                        {t('meals.booking.cancel')}
                      </Button>
                    </Popconfirm>,
                  ]
                : []
            }
          >
            <Space wrap>
              <span>
                {t('meals.booking.line', {
                  day: dayText(b.day, lang, t as never),
                  meal: meal(b.period),
                  dish: b.dishNames.join('、'),
                })}
              </span>
              <Typography.Text type="secondary">{b.canteenName}</Typography.Text>
              <Tag color={STATUS_COLOUR[b.status]}>{t(`meals.booking.statuses.${b.status}`)}</Tag>
            </Space>
          </List.Item>
        )}
      />
    </Modal>
  );
}
