import { CARE_GROUPS, type CareGroup } from '@zhiyang/shared';
import {
  App,
  Button,
  Card,
  Checkbox,
  Drawer,
  Form,
  Input,
  InputNumber,
  Modal,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { careVisitsApi } from '../../api/care-visits.ts';
import { useCountedList } from '../../app/counted-list.ts';
import { problemText } from '../../app/problems.ts';
import { useFetch } from '../../app/useFetch.ts';
import { DrillTags, pick, useDrill } from '../common/drill.tsx';
import { type Member, riskColor, useCareScope } from './common.ts';

/** 特殊群体与一户一册: elders in special groups with their plan; staff set groups, households and assignees. */
export function GroupsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { regionCode, district, may } = useCareScope();
  // 监管看板's 重点人群 figures open this list on their group.
  const drill = useDrill();
  const [group, setGroup] = useState<CareGroup | undefined>(() => pick(CARE_GROUPS, drill.get('group')));
  const [page, setPage] = useState(1);
  const [version, setVersion] = useState(0);
  const [editGroups, setEditGroups] = useState<Member | null>(null);
  const [household, setHousehold] = useState<Member | null>(null);
  const [assign, setAssign] = useState<Member | null>(null);
  const counts = useFetch(
    (signal) => careVisitsApi.groupCounts({ query: { regionCode }, signal }),
    `care-counts-${regionCode}-${version}`,
  );
  const list = useCountedList(
    (signal, count) =>
      careVisitsApi.listMembers({ query: { group, regionCode, page, limit: 20, count: count ? 'true' : undefined }, signal }),
    `care-members-${group}-${regionCode}-${version}`,
    page,
  );
  const compute = async () => {
    try {
      const r = await careVisitsApi.computeGroups({ body: { regionCode: district } });
      message.success(t('careVisits.members.computed', r));
      setVersion((v) => v + 1);
    } catch (e) {
      message.error(problemText(e, t));
    }
  };
  const countOf = (g: CareGroup) => counts.data?.items.find((c) => c.group === g)?.elders ?? 0;
  return (
    <Card
      title={t('careVisits.members.title')}
      extra={
        <Space>
          {may('care_visit:manage') && <Button onClick={() => void compute()}>{t('careVisits.members.compute')}</Button>}
          <Button onClick={() => setVersion((v) => v + 1)}>{t('careVisits.common.refresh')}</Button>
        </Space>
      }
    >
      <DrillTags
        drill={drill}
        tags={[
          group && {
            key: 'group',
            label: `重点人群：${t(`careVisits.groups.${group}`)}`,
            onClear: () => setGroup(undefined),
          },
        ]}
      />
      <Space wrap style={{ marginBottom: 16 }} data-testid="group-counts">
        <Tag.CheckableTag checked={!group} onChange={() => setGroup(undefined)}>
          {t('careVisits.members.allGroups')}
        </Tag.CheckableTag>
        {CARE_GROUPS.map((g) => (
          <Tag.CheckableTag
            key={g}
            checked={group === g}
            onChange={() => {
              setGroup(g);
              setPage(1);
            }}
          >
            {t(`careVisits.groups.${g}`)} {countOf(g)}
          </Tag.CheckableTag>
        ))}
      </Space>
      <Table<Member>
        rowKey="elderId"
        loading={list.loading}
        dataSource={list.data?.items}
        pagination={{ current: page, pageSize: 20, total: list.data?.total, onChange: setPage, showSizeChanger: false }}
        columns={[
          { title: t('careVisits.common.elder'), dataIndex: 'elderName' },
          { title: t('careVisits.common.age'), dataIndex: 'age', width: 70 },
          { title: t('careVisits.common.region'), dataIndex: 'regionName' },
          {
            title: t('careVisits.members.groups'),
            render: (_, m) => (
              <Space wrap size={4}>
                {m.groups.map((g) => (
                  <Tag key={`${g.group}-${g.source}`} color={g.source === 'staff' ? 'purple' : undefined}>
                    {t(`careVisits.groups.${g.group}`)}
                    {g.source === 'staff' ? t('careVisits.common.staff') : ''}
                  </Tag>
                ))}
              </Space>
            ),
          },
          {
            title: t('careVisits.members.plan'),
            render: (_, m) =>
              m.plan?.active ? (
                <Space size={4}>
                  <Tag color={riskColor(m.plan.riskLevel)}>{t(`careVisits.risk.${m.plan.riskLevel}`)}</Tag>
                  {t('careVisits.common.everyDays', { n: m.plan.intervalDays })}
                </Space>
              ) : (
                t('careVisits.members.noPlan')
              ),
          },
          {
            title: t('careVisits.members.assignee'),
            render: (_, m) => (m.plan?.active ? (m.plan.assigneeName ?? t('careVisits.members.unassigned')) : '—'),
          },
          {
            title: t('careVisits.members.lastVisit'),
            dataIndex: 'lastVisitedAt',
            render: (v: string | null) => (v ? dayjs(v).format('YYYY-MM-DD') : '—'),
          },
          { title: t('careVisits.members.nextDue'), dataIndex: 'nextDueOn', render: (v: string | null) => v ?? '—' },
          {
            title: '',
            render: (_, m) => (
              <Space size={0} wrap>
                <Button type="link" onClick={() => setHousehold(m)}>
                  {t('careVisits.members.household')}
                </Button>
                {may('care_visit:manage') && (
                  <Button type="link" onClick={() => setEditGroups(m)}>
                    {t('careVisits.members.setGroups')}
                  </Button>
                )}
                {may('care_visit:manage') && m.plan?.active && (
                  <Button type="link" onClick={() => setAssign(m)}>
                    {t('careVisits.members.assign')}
                  </Button>
                )}
              </Space>
            ),
          },
        ]}
      />
      {editGroups && <GroupsModal m={editGroups} onClose={() => setEditGroups(null)} onSaved={() => setVersion((v) => v + 1)} />}
      {assign && <AssignModal m={assign} onClose={() => setAssign(null)} onSaved={() => setVersion((v) => v + 1)} />}
      {household && <HouseholdDrawer m={household} editable={may('care_visit:manage')} onClose={() => setHousehold(null)} />}
    </Card>
  );
}

function GroupsModal({ m, onClose, onSaved }: { m: Member; onClose(): void; onSaved(): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [groups, setGroups] = useState<CareGroup[]>(m.groups.filter((g) => g.source === 'staff').map((g) => g.group));
  const [note, setNote] = useState('');
  const save = async () => {
    try {
      await careVisitsApi.setGroups({
        params: { elderId: m.elderId },
        body: { groups, ...(note.trim() ? { note: note.trim() } : {}) },
      });
      message.success(t('careVisits.common.saved'));
      onSaved();
      onClose();
    } catch (e) {
      message.error(problemText(e, t));
    }
  };
  return (
    <Modal open title={t('careVisits.members.setGroupsTitle', { name: m.elderName })} onCancel={onClose} onOk={() => void save()}>
      <Typography.Paragraph type="secondary">{t('careVisits.members.setGroupsHint')}</Typography.Paragraph>
      <Checkbox.Group
        value={groups}
        onChange={(v) => setGroups(v as CareGroup[])}
        options={CARE_GROUPS.map((g) => ({ value: g, label: t(`careVisits.groups.${g}`) }))}
      />
      <Input
        style={{ marginTop: 12 }}
        placeholder={t('careVisits.members.note')}
        value={note}
        maxLength={200}
        onChange={(e) => setNote(e.target.value)}
      />
    </Modal>
  );
}

function AssignModal({ m, onClose, onSaved }: { m: Member; onClose(): void; onSaved(): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [who, setWho] = useState<string | undefined>(m.plan?.assigneeId ?? undefined);
  const workers = useFetch(
    (signal) => careVisitsApi.listWorkers({ query: { regionCode: m.regionCode.slice(0, 9) }, signal }),
    `care-workers-${m.regionCode}`,
  );
  const fits = (workers.data?.items ?? []).filter((w) => w.regionCode && m.regionCode.startsWith(w.regionCode));
  const save = async () => {
    if (!who) return;
    try {
      await careVisitsApi.assignPlan({ params: { elderId: m.elderId }, body: { assigneeId: who } });
      message.success(t('careVisits.common.saved'));
      onSaved();
      onClose();
    } catch (e) {
      message.error(problemText(e, t));
    }
  };
  return (
    <Modal
      open
      title={t('careVisits.members.assignTitle', { name: m.elderName })}
      onCancel={onClose}
      onOk={() => void save()}
      okButtonProps={{ disabled: !who }}
    >
      <Select
        style={{ width: '100%' }}
        placeholder={t('careVisits.members.assignee2')}
        value={who}
        onChange={setWho}
        loading={workers.loading}
        options={fits.map((w) => ({
          value: w.id,
          label: `${w.name}（${t(`careVisits.roles.${w.role as 'responder'}`, { defaultValue: '' })}）`,
        }))}
      />
    </Modal>
  );
}

function HouseholdDrawer({ m, editable, onClose }: { m: Member; editable: boolean; onClose(): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const h = useFetch(
    (signal) => careVisitsApi.getHousehold({ params: { elderId: m.elderId }, signal }),
    `care-household-${m.elderId}`,
  );
  const save = async () => {
    const v = await form.validateFields();
    const clean = (s: unknown) => (typeof s === 'string' && s.trim() ? s.trim() : null);
    try {
      await careVisitsApi.putHousehold({
        params: { elderId: m.elderId },
        body: {
          members: (v.members ?? []).filter((x: { name?: string }) => x?.name),
          carerName: clean(v.carerName),
          ...(clean(v.carerPhone) ? { carerPhone: clean(v.carerPhone) as string } : {}),
          housing: v.housing ?? null,
          housingCondition: v.housingCondition ?? null,
          housingNote: clean(v.housingNote),
          keyHolderName: clean(v.keyHolderName),
          ...(clean(v.keyHolderPhone) ? { keyHolderPhone: clean(v.keyHolderPhone) as string } : {}),
        },
      });
      message.success(t('careVisits.common.saved'));
      h.reload();
    } catch (e) {
      message.error(problemText(e, t));
    }
  };
  const d = h.data;
  return (
    <Drawer open width={560} title={t('careVisits.household.title', { name: m.elderName })} onClose={onClose}>
      {d && (
        <Form
          form={form}
          layout="vertical"
          disabled={!editable}
          initialValues={{
            members: d.members,
            carerName: d.carerName,
            housing: d.housing,
            housingCondition: d.housingCondition,
            housingNote: d.housingNote,
            keyHolderName: d.keyHolderName,
          }}
          onFinish={() => void save()}
        >
          <Form.Item label={t('careVisits.household.members')}>
            <Form.List name="members">
              {(fields, { add, remove }) => (
                <>
                  {fields.map((f) => (
                    <Space key={f.key} align="baseline">
                      <Form.Item name={[f.name, 'name']} rules={[{ required: true, max: 30 }]}>
                        <Input placeholder={t('careVisits.household.memberName')} />
                      </Form.Item>
                      <Form.Item name={[f.name, 'relationship']} rules={[{ required: true, max: 20 }]}>
                        <Input placeholder={t('careVisits.household.relationship')} />
                      </Form.Item>
                      <Form.Item name={[f.name, 'age']}>
                        <InputNumber min={0} max={130} placeholder={t('careVisits.common.age')} />
                      </Form.Item>
                      <Button type="link" onClick={() => remove(f.name)}>
                        ×
                      </Button>
                    </Space>
                  ))}
                  <Button onClick={() => add()}>{t('careVisits.household.addMember')}</Button>
                </>
              )}
            </Form.List>
          </Form.Item>
          <Space>
            <Form.Item name="carerName" label={t('careVisits.household.carer')}>
              <Input maxLength={30} />
            </Form.Item>
            <Form.Item name="carerPhone" label={t('careVisits.household.carerPhone')} extra={d.carerPhoneMasked ?? undefined}>
              <Input maxLength={13} />
            </Form.Item>
          </Space>
          <Space>
            <Form.Item name="housing" label={t('careVisits.household.housing')}>
              <Select
                allowClear
                style={{ width: 160 }}
                options={(['own', 'rented', 'public', 'relatives', 'other'] as const).map((x) => ({
                  value: x,
                  label: t(`careVisits.household.housingTypes.${x}`),
                }))}
              />
            </Form.Item>
            <Form.Item name="housingCondition" label={t('careVisits.household.housingCondition')}>
              <Select
                allowClear
                style={{ width: 160 }}
                options={(['good', 'fair', 'poor', 'unsafe'] as const).map((x) => ({
                  value: x,
                  label: t(`careVisits.household.conditions.${x}`),
                }))}
              />
            </Form.Item>
          </Space>
          <Form.Item name="housingNote" label={t('careVisits.household.housingNote')}>
            <Input maxLength={200} />
          </Form.Item>
          <Space>
            <Form.Item name="keyHolderName" label={t('careVisits.household.keyHolder')}>
              <Input maxLength={30} />
            </Form.Item>
            <Form.Item
              name="keyHolderPhone"
              label={t('careVisits.household.keyHolderPhone')}
              extra={d.keyHolderPhoneMasked ?? undefined}
            >
              <Input maxLength={13} />
            </Form.Item>
          </Space>
          {d.contactKeyHolders.length > 0 && (
            <Typography.Paragraph type="secondary">
              {t('careVisits.household.contactKeys', { names: d.contactKeyHolders.join('、') })}
            </Typography.Paragraph>
          )}
          {editable && (
            <Button type="primary" htmlType="submit">
              {t('careVisits.common.save')}
            </Button>
          )}
        </Form>
      )}
    </Drawer>
  );
}
