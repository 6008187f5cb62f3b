import {
  ALLERGEN_LABELS_ZH,
  ALLERGENS,
  DISH_CATEGORIES,
  DISH_CATEGORY_LABELS_ZH,
  HEALTH_TAG_LABELS_ZH,
  HEALTH_TAGS,
  MEAL_PERIODS,
  type MealPeriod,
  type Menu,
} from '@zhiyang/shared';
import { App, Button, Card, Empty, Form, Input, InputNumber, Modal, Select, Space, Table } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { mealsApi } from '../../api/meals.ts';
import { useAuth } from '../../app/auth.tsx';
import { applyFieldErrors, problemText } from '../../app/problems.ts';
import { useFetch } from '../../app/useFetch.ts';
import { CanteenPicker, useCanteens } from './CanteenPicker.tsx';

interface DayRow {
  day: string;
  menus: Partial<Record<MealPeriod, Menu>>;
}

/** The week's menus of a canteen (today and six days ahead), set per day and meal period; new dishes. */
export function MenusPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const { message } = App.useApp();
  const { canteens, current, choose, loading } = useCanteens();
  const from = dayjs().format('YYYY-MM-DD');
  const to = dayjs().add(6, 'day').format('YYYY-MM-DD');
  const [editing, setEditing] = useState<{ day: string; period: MealPeriod }>();
  const [adding, setAdding] = useState(false);
  const [menuForm] = Form.useForm<{ dishIds: string[] }>();
  const [dishForm] = Form.useForm();
  const editable = can('canteen:write');
  const menus = useFetch(
    (signal) =>
      current
        ? mealsApi.listMenus({ params: { id: current.id }, query: { from, to }, signal })
        : Promise.resolve({ items: [], total: 0 }),
    `menus:${current?.id ?? ''}:${from}`,
  );
  const dishes = useFetch(
    (signal) =>
      current ? mealsApi.listDishes({ params: { id: current.id }, query: {}, signal }) : Promise.resolve({ items: [], total: 0 }),
    `dishes:${current?.id ?? ''}`,
  );
  const rows: DayRow[] = Array.from({ length: 7 }, (_x, i) => {
    const day = dayjs().add(i, 'day').format('YYYY-MM-DD');
    const of = (menus.data?.items ?? []).filter((m) => m.day === day);
    return { day, menus: Object.fromEntries(of.map((m) => [m.period, m])) };
  });
  const openEdit = (day: string, period: MealPeriod, menu?: Menu) => {
    setEditing({ day, period });
    menuForm.setFieldsValue({ dishIds: menu?.items.map((i) => i.id) ?? [] });
  };
  const saveMenu = async () => {
    if (!current || !editing) return;
    const { dishIds } = await menuForm.validateFields();
    await mealsApi
      .setMenu({
        params: { id: current.id, day: editing.day, period: editing.period },
        body: { items: dishIds.map((dishId) => ({ dishId })) },
      })
      .then(
        () => {
          message.success(t('meals.menus.saved'));
          setEditing(undefined);
          menus.reload();
        },
        (e) => message.error(problemText(e, t)),
      );
  };
  const saveDish = async () => {
    if (!current) return;
    const v = await dishForm.validateFields();
    await mealsApi
      .createDish({
        params: { id: current.id },
        body: {
          name: v.name,
          category: v.category,
          priceFen: Math.round(v.price * 100),
          healthTags: v.healthTags ?? [],
          allergens: v.allergens ?? [],
        },
      })
      .then(
        () => {
          message.success(t('meals.menus.dishAdded'));
          setAdding(false);
          dishes.reload();
        },
        (e) => {
          if (!applyFieldErrors(dishForm, e, ['name', 'category'])) message.error(problemText(e, t));
        },
      );
  };
  if (!loading && !current) return <Empty description={t('meals.common.noCanteen')} />;
  return (
    <Card
      title={t('meals.menus.title')}
      extra={
        <Space>
          <CanteenPicker canteens={canteens} current={current} choose={choose} />
          {editable && <Button onClick={() => setAdding(true)}>{t('meals.menus.addDish')}</Button>}
        </Space>
      }
    >
      <Table<DayRow>
        rowKey="day"
        loading={menus.loading}
        dataSource={rows}
        pagination={false}
        columns={[
          { title: t('meals.menus.day'), dataIndex: 'day', render: (d: string) => `${dayjs(d).format('M月D日')}` },
          ...MEAL_PERIODS.map((period) => ({
            title: t(`meals.periods.${period}`),
            render: (_: unknown, r: DayRow) => {
              const menu = r.menus[period];
              return (
                <Space direction="vertical" size={4}>
                  <span>{menu?.items.length ? menu.items.map((i) => i.name).join('、') : t('meals.menus.empty')}</span>
                  {editable && (
                    <Button size="small" onClick={() => openEdit(r.day, period, menu)}>
                      {t('meals.menus.edit')}
                    </Button>
                  )}
                </Space>
              );
            },
          })),
        ]}
      />
      <Modal
        open={!!editing}
        title={
          editing
            ? t('meals.menus.editTitle', {
                day: dayjs(editing.day).format('M月D日'),
                period: t(`meals.periods.${editing.period}`),
              })
            : ''
        }
        onOk={saveMenu}
        onCancel={() => setEditing(undefined)}
        destroyOnHidden
      >
        <Form form={menuForm} layout="vertical" preserve={false}>
          <Form.Item name="dishIds" label={t('meals.menus.dishes')}>
            <Select
              mode="multiple"
              options={(dishes.data?.items ?? []).map((d) => ({
                value: d.id,
                label: `${d.name}（${DISH_CATEGORY_LABELS_ZH[d.category]}，${t('meals.common.yuan', { v: (d.priceFen / 100).toFixed(2) })}）`,
              }))}
            />
          </Form.Item>
        </Form>
      </Modal>
      <Modal open={adding} title={t('meals.menus.addDish')} onOk={saveDish} onCancel={() => setAdding(false)} destroyOnHidden>
        <Form form={dishForm} layout="vertical" preserve={false}>
          <Form.Item name="name" label={t('meals.menus.dishName')} rules={[{ required: true, whitespace: true }]}>
            <Input maxLength={50} />
          </Form.Item>
          <Form.Item name="category" label={t('meals.menus.category')} rules={[{ required: true }]}>
            <Select options={DISH_CATEGORIES.map((c) => ({ value: c, label: DISH_CATEGORY_LABELS_ZH[c] }))} />
          </Form.Item>
          <Form.Item name="price" label={t('meals.menus.price')} rules={[{ required: true }]}>
            <InputNumber min={0} max={1000} precision={2} />
          </Form.Item>
          <Form.Item name="healthTags" label={t('meals.menus.healthTags')}>
            <Select mode="multiple" options={HEALTH_TAGS.map((c) => ({ value: c, label: HEALTH_TAG_LABELS_ZH[c] }))} />
          </Form.Item>
          <Form.Item name="allergens" label={t('meals.menus.allergens')}>
            <Select mode="multiple" options={ALLERGENS.map((c) => ({ value: c, label: ALLERGEN_LABELS_ZH[c] }))} />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
