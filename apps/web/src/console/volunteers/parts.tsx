import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import type { ResponseOf, volunteersContract } from '@zhiyang/shared';
import { Button, Drawer, Flex, Form, Input, Select, Table, TimePicker } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { eldersApi } from '../../api/elders.ts';
import { volunteersApi } from '../../api/volunteers.ts';
import { formatTime } from '../../app/format.ts';

export type Slot = { weekday: number; start: string; end: string };
export const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;
export type Statement = ResponseOf<typeof volunteersContract.volunteerStatement>;

/** "周二 09:00–11:30、周四 14:00–16:00" */
export function useSlotText() {
  const { t } = useTranslation();
  return (slots: readonly Slot[]) =>
    slots.length ? slots.map((s) => `${t(`volunteers.weekday.${s.weekday}` as never)} ${s.start}–${s.end}`).join('、') : '—';
}

/** Weekday + start + end rows, for availability and for a 睦邻点's activities (with a title). */
export function SlotList({ name, withTitle, addText }: { name: string; withTitle?: boolean; addText: string }) {
  const { t } = useTranslation();
  const hhmm = (v: unknown) => (typeof v === 'string' && v ? dayjs(v, 'HH:mm') : undefined);
  return (
    <Form.List name={name}>
      {(fields, { add, remove }) => (
        <>
          {fields.map((f) => (
            <Flex key={f.key} gap={8} align="baseline" wrap>
              <Form.Item name={[f.name, 'weekday']} rules={[{ required: true }]} style={{ width: 96 }}>
                <Select
                  aria-label={t('volunteers.form.weekday')}
                  options={WEEKDAYS.map((d) => ({ value: d, label: t(`volunteers.weekday.${d}` as never) }))}
                />
              </Form.Item>
              {(['start', 'end'] as const).map((k) => (
                <Form.Item
                  key={k}
                  name={[f.name, k]}
                  rules={[{ required: true }]}
                  getValueProps={(v) => ({ value: hhmm(v) })}
                  normalize={(v) => (v ? dayjs(v).format('HH:mm') : v)}
                >
                  <TimePicker format="HH:mm" minuteStep={15} needConfirm={false} aria-label={t(`volunteers.form.${k}`)} />
                </Form.Item>
              ))}
              {withTitle && (
                <Form.Item
                  name={[f.name, 'title']}
                  rules={[{ required: true, whitespace: true }]}
                  style={{ flex: 1, minWidth: 160 }}
                >
                  <Input maxLength={60} placeholder={t('volunteers.points.activityTitle')} />
                </Form.Item>
              )}
              <MinusCircleOutlined onClick={() => remove(f.name)} />
            </Flex>
          ))}
          <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ weekday: 1, start: '09:00', end: '11:00' })}>
            {addText}
          </Button>
        </>
      )}
    </Form.List>
  );
}

/** A search-as-you-type picker of elders in reach (name or the last four of the ID number). */
export function ElderSelect({ value, onChange, id }: { value?: string; onChange?: (v: string) => void; id?: string }) {
  const { t } = useTranslation();
  const [options, setOptions] = useState<Array<{ value: string; label: string }>>([]);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  const search = (q: string) => {
    clearTimeout(timer.current);
    if (!q.trim()) return;
    timer.current = setTimeout(() => {
      eldersApi.listElders({ query: { q: q.trim(), limit: 10, page: 1 } }).then(
        (r) => setOptions(r.items.map((e) => ({ value: e.id, label: `${e.name}　${e.idNumberMasked}　${e.regionName ?? ''}` }))),
        () => setOptions([]),
      );
    }, 300);
  };
  return (
    <Select
      id={id}
      value={value}
      onChange={onChange}
      showSearch
      filterOption={false}
      onSearch={search}
      placeholder={t('volunteers.tasks.elderSearch')}
      options={options}
      aria-label={t('volunteers.tasks.elder')}
    />
  );
}

/** Approved volunteers in reach, searched by name. */
export function VolunteerSelect({ value, onChange, id }: { value?: string; onChange?: (v: string) => void; id?: string }) {
  const { t } = useTranslation();
  const [options, setOptions] = useState<Array<{ value: string; label: string }>>([]);
  const load = (q?: string) =>
    volunteersApi.listVolunteers({ query: { status: 'approved', q: q || undefined, limit: 20, page: 1 } }).then(
      (r) =>
        setOptions(
          r.items.map((v) => ({
            value: v.id,
            label: `${v.name}　${v.skills.map((s) => t(`volunteers.skill.${s}`)).join('、')}　${v.regionName ?? ''}`,
          })),
        ),
      () => setOptions([]),
    );
  // biome-ignore lint/correctness/useExhaustiveDependencies: load the first page once
  useEffect(() => {
    void load();
  }, []);
  return (
    <Select
      id={id}
      value={value}
      onChange={onChange}
      showSearch
      allowClear
      filterOption={false}
      onSearch={(q) => void load(q.trim())}
      placeholder={t('volunteers.tasks.chooseVolunteer')}
      options={options}
      aria-label={t('volunteers.tasks.volunteer')}
    />
  );
}

/** A volunteer's time-bank statement, newest first, with "more" pages. */
export function StatementDrawer({ volunteerId, name, onClose }: { volunteerId: string | null; name: string; onClose(): void }) {
  const { t } = useTranslation();
  const [data, setData] = useState<Statement | null>(null);
  const [items, setItems] = useState<Statement['items']>([]);
  useEffect(() => {
    setData(null);
    setItems([]);
    if (!volunteerId) return;
    volunteersApi.volunteerStatement({ params: { id: volunteerId }, query: { limit: 50 } }).then((s) => {
      setData(s);
      setItems(s.items);
    });
  }, [volunteerId]);
  const more = async () => {
    if (!volunteerId || !data?.nextCursor) return;
    const s = await volunteersApi.volunteerStatement({
      params: { id: volunteerId },
      query: { limit: 50, cursor: data.nextCursor },
    });
    setData(s);
    setItems((prev) => [...prev, ...s.items]);
  };
  return (
    <Drawer open={!!volunteerId} onClose={onClose} width={640} title={t('volunteers.bank.statementTitle', { name })}>
      {data && (
        <Flex gap={24} style={{ marginBottom: 16 }} data-testid="statement-totals">
          <span>
            {t('volunteers.list.balance')}：{t('volunteers.minutes', { m: data.balanceMinutes })}
          </span>
          <span>
            {t('volunteers.bank.credited')}：{t('volunteers.minutes', { m: data.creditedMinutes })}
          </span>
          <span>
            {t('volunteers.bank.redeemed')}：{t('volunteers.minutes', { m: data.redeemedMinutes })}
          </span>
        </Flex>
      )}
      <Table
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={items}
        locale={{ emptyText: t('volunteers.bank.noEntries') }}
        columns={[
          { title: t('volunteers.bank.at'), dataIndex: 'at', render: (v: string) => formatTime(v) },
          {
            title: t('volunteers.bank.entry'),
            key: 'entry',
            render: (_, e) =>
              [t(`volunteers.entryKind.${e.kind}`), e.taskKind ? t(`volunteers.taskKind.${e.taskKind}`) : null, e.elderName]
                .filter(Boolean)
                .join(' · '),
          },
          {
            title: t('volunteers.bank.amount'),
            dataIndex: 'amount',
            align: 'right',
            render: (v: number) => `${v > 0 ? '+' : ''}${t('volunteers.minutes', { m: v })}`,
          },
        ]}
      />
      {data?.nextCursor && (
        <Button style={{ marginTop: 12 }} onClick={() => void more()}>
          {t('volunteers.bank.more')}
        </Button>
      )}
    </Drawer>
  );
}
