import type { CallHotline } from '@zhiyang/shared';
import { Alert, App, Button, Form, Input, InputNumber, Select, Space, Switch, Table, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ctiApi } from '../../api/cti.ts';
import { problemText } from '../../app/problems.ts';
import { useRegions } from '../../app/region.tsx';
import { FormModal } from '../common/FormModal.tsx';
import { RegionTreeSelect } from '../common/RegionTreeSelect.tsx';
import { conflictOnField, type ListState, type TabProps } from './settings-ui.ts';

type Queue = CallHotline['queues'][number];
interface HotlineForm {
  number: string;
  name: string;
  regionCode: string;
  active: boolean;
}
interface QueueForm {
  name: string;
  skill: string | null;
  overflowSeconds: number;
  active: boolean;
}
const HOTLINE_NUMBER = /^\+?[0-9-]{3,20}$/;
/** The queue form's "no skill" choice (a Select option cannot carry null). */
const NO_SKILL = '';

/** Hotlines (热线) with their queues under each: number, name, region, active; a queue's skill and overflow time. */
export function HotlinesTab({ list, skill, skillOptions }: TabProps & { list: ListState<CallHotline> }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const regions = useRegions();
  const [hotline, setHotline] = useState<CallHotline | 'new' | null>(null);
  const [queue, setQueue] = useState<{ hotline: CallHotline; queue: Queue | null } | null>(null);
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  const [hotlineForm] = Form.useForm<HotlineForm>();
  const [queueForm] = Form.useForm<QueueForm>();
  const saved = () => {
    message.success(t('calls.settings.saved'));
    list.reload();
  };

  return (
    <>
      <Space style={{ marginBottom: 12 }}>
        <Button type="primary" onClick={() => setHotline('new')} data-testid="hotline-create">
          {t('calls.settings.hotline.create')}
        </Button>
        <Button onClick={list.reload}>{t('common.refresh')}</Button>
      </Space>
      {list.error !== undefined && <Alert type="error" showIcon title={problemText(list.error, t)} />}
      <Table<CallHotline>
        rowKey="id"
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        pagination={false}
        locale={{ emptyText: t('calls.settings.hotline.none') }}
        data-testid="hotlines"
        expandable={{
          // Every hotline opens with its queues shown (the data arrives after the first render).
          expandedRowKeys: (list.data?.items ?? []).map((h) => h.id).filter((id) => !collapsed.has(id)),
          onExpand: (expanded, h) =>
            setCollapsed((c) => {
              const next = new Set(c);
              if (expanded) next.delete(h.id);
              else next.add(h.id);
              return next;
            }),
          expandedRowRender: (h) => (
            <QueueTable
              hotline={h}
              skill={skill}
              onEdit={(q) => setQueue({ hotline: h, queue: q })}
              onCreate={() => setQueue({ hotline: h, queue: null })}
            />
          ),
        }}
        columns={[
          { title: t('calls.settings.hotline.number'), dataIndex: 'number' },
          { title: t('calls.settings.hotline.name'), dataIndex: 'name' },
          {
            title: t('calls.settings.hotline.region'),
            dataIndex: 'regionCode',
            render: (c: string) => regions.nameOf(c) ?? c,
          },
          { title: t('calls.settings.hotline.queues'), key: 'queues', render: (_, h) => h.queues.length },
          { title: t('calls.settings.hotline.active'), dataIndex: 'active', render: (a: boolean) => <ActiveTag active={a} /> },
          {
            title: t('calls.common.actions'),
            key: 'actions',
            render: (_, h) => (
              <Button size="small" onClick={() => setHotline(h)}>
                {t('common.edit')}
              </Button>
            ),
          },
        ]}
      />
      <FormModal<HotlineForm>
        open={hotline !== null}
        mode="edit"
        width={600}
        title={hotline === 'new' ? t('calls.settings.hotline.create') : t('calls.settings.hotline.edit')}
        form={hotlineForm}
        fields={['number', 'name', 'regionCode', 'active']}
        values={
          hotline && hotline !== 'new'
            ? { number: hotline.number, name: hotline.name, regionCode: hotline.regionCode, active: hotline.active }
            : { active: true, regionCode: regions.selected ?? regions.tree[0]?.code }
        }
        onClose={() => setHotline(null)}
        onSubmit={async (v) => {
          try {
            if (hotline === 'new') await ctiApi.createHotline({ body: { ...v, number: v.number.trim(), name: v.name.trim() } });
            else if (hotline)
              await ctiApi.updateHotline({ params: { id: hotline.id }, body: { name: v.name.trim(), active: v.active } });
          } catch (err) {
            const marked = conflictOnField<keyof HotlineForm>(err, (f) =>
              f === 'number' ? t('calls.settings.errors.numberTaken') : undefined,
            );
            if (!marked) throw err;
            hotlineForm.setFields(marked);
            return;
          }
          setHotline(null);
          saved();
        }}
      >
        <Form.Item
          name="number"
          label={t('calls.settings.hotline.number')}
          extra={t('calls.settings.hotline.numberHint')}
          rules={[{ required: true }, { pattern: HOTLINE_NUMBER, message: t('calls.settings.errors.numberFormat') }]}
        >
          <Input maxLength={21} disabled={hotline !== 'new'} data-testid="hotline-number" />
        </Form.Item>
        <Form.Item name="name" label={t('calls.settings.hotline.name')} rules={[{ required: true, whitespace: true, max: 50 }]}>
          <Input maxLength={50} data-testid="hotline-name" />
        </Form.Item>
        <Form.Item
          name="regionCode"
          label={t('calls.settings.hotline.region')}
          extra={t('calls.settings.hotline.regionHint')}
          rules={[{ required: true }]}
        >
          <RegionTreeSelect allowClear={false} placeholder={t('common.pleaseSelect')} />
        </Form.Item>
        <Form.Item name="active" label={t('calls.settings.hotline.active')} valuePropName="checked">
          <Switch />
        </Form.Item>
      </FormModal>
      <FormModal<QueueForm>
        open={queue !== null}
        mode="edit"
        title={`${queue?.queue ? t('calls.settings.queue.edit') : t('calls.settings.queue.create')} · ${queue?.hotline.name ?? ''}`}
        form={queueForm}
        fields={['name', 'skill', 'overflowSeconds', 'active']}
        values={
          queue?.queue
            ? {
                name: queue.queue.name,
                skill: queue.queue.skill ?? NO_SKILL,
                overflowSeconds: queue.queue.overflowSeconds,
                active: queue.queue.active,
              }
            : { skill: NO_SKILL, overflowSeconds: 60, active: true }
        }
        onClose={() => setQueue(null)}
        onSubmit={async (v) => {
          if (!queue) return;
          const body = {
            name: v.name.trim(),
            skill: v.skill && v.skill !== NO_SKILL ? v.skill : null,
            overflowSeconds: v.overflowSeconds,
            active: v.active,
          };
          if (queue.queue) await ctiApi.updateQueue({ params: { id: queue.queue.id }, body });
          else await ctiApi.createQueue({ params: { id: queue.hotline.id }, body });
          setQueue(null);
          saved();
        }}
      >
        <Form.Item name="name" label={t('calls.settings.queue.name')} rules={[{ required: true, whitespace: true, max: 50 }]}>
          <Input maxLength={50} data-testid="queue-name" />
        </Form.Item>
        <Form.Item name="skill" label={t('calls.settings.queue.skill')} extra={t('calls.settings.queue.skillHint')}>
          <Select
            options={[{ value: NO_SKILL, label: t('calls.settings.queue.skillNone') }, ...skillOptions]}
            data-testid="queue-skill"
          />
        </Form.Item>
        <Form.Item
          name="overflowSeconds"
          label={t('calls.settings.queue.overflow')}
          extra={t('calls.settings.queue.overflowHint')}
          rules={[{ required: true }, { type: 'integer', min: 5, max: 3600 }]}
        >
          <InputNumber min={5} max={3600} precision={0} style={{ width: 160 }} suffix={t('calls.settings.queue.secondsUnit')} />
        </Form.Item>
        <Form.Item name="active" label={t('calls.settings.queue.active')} valuePropName="checked">
          <Switch />
        </Form.Item>
      </FormModal>
    </>
  );
}

function QueueTable({
  hotline,
  skill,
  onEdit,
  onCreate,
}: {
  hotline: CallHotline;
  skill(code: string): string;
  onEdit(q: Queue): void;
  onCreate(): void;
}) {
  const { t } = useTranslation();
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Table<Queue>
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={hotline.queues}
        locale={{ emptyText: t('calls.settings.queue.none') }}
        columns={[
          { title: t('calls.settings.queue.name'), dataIndex: 'name' },
          {
            title: t('calls.settings.queue.skill'),
            dataIndex: 'skill',
            render: (s: string | null) => (s ? <Tag>{skill(s)}</Tag> : t('calls.settings.queue.skillNone')),
          },
          {
            title: t('calls.settings.queue.overflow'),
            dataIndex: 'overflowSeconds',
            render: (n: number) => t('calls.settings.queue.seconds', { n }),
          },
          { title: t('calls.settings.queue.active'), dataIndex: 'active', render: (a: boolean) => <ActiveTag active={a} /> },
          {
            title: t('calls.common.actions'),
            key: 'actions',
            render: (_, q) => (
              <Button size="small" onClick={() => onEdit(q)}>
                {t('common.edit')}
              </Button>
            ),
          },
        ]}
      />
      <Button size="small" onClick={onCreate} data-testid="queue-create">
        {t('calls.settings.queue.create')}
      </Button>
    </Space>
  );
}

export function ActiveTag({ active }: { active: boolean }) {
  const { t } = useTranslation();
  return <Tag color={active ? 'green' : 'default'}>{active ? t('calls.settings.active') : t('calls.settings.inactive')}</Tag>;
}
