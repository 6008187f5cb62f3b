import { type Admission, NURSING_LEVELS, RISK_ITEMS, RISK_LEVELS } from '@zhiyang/shared';
import {
  App,
  Button,
  Card,
  DatePicker,
  Flex,
  Form,
  Input,
  InputNumber,
  Modal,
  Radio,
  Select,
  Space,
  Table,
  Tabs,
  Tag,
} from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { institutionsApi } from '../../api/institutions.ts';
import { problemText } from '../../app/problems.ts';
import { useRealtimeEvent } from '../../app/realtime.ts';
import { useFetch } from '../../app/useFetch.ts';
import { useInstitution } from './useInstitution.tsx';

type Tab = 'applied' | 'admitted' | 'ended';
const RISK_COLOURS = { none: 'default', low: 'green', medium: 'orange', high: 'red' } as const;
/** The nursing level an ability level suggests (as the server's rule: intact → 三级 … severe/total → 特级). */
const SUGGESTED: Record<string, (typeof NURSING_LEVELS)[number]> = {
  intact: 'level3',
  mild: 'level2',
  moderate: 'level1',
  severe: 'special',
  total: 'special',
};

/**
 * 入住管理: applications (risk assessment, admission with contract, fees, deposit and a free
 * bed), residents (bed, nursing level, leaving) and those who left. The ability assessment is the
 * archive's GB/T 42195 assessment by the district's assessors; the page shows the newest signed one.
 */
export function AdmissionsPage() {
  const { t } = useTranslation();
  const inst = useInstitution();
  const [tab, setTab] = useState<Tab>('applied');
  const [modal, setModal] = useState<{ kind: 'apply' | 'risk' | 'admit' | 'end'; row?: Admission }>();
  const list = useFetch(
    (signal) =>
      inst.id ? institutionsApi.listAdmissions({ params: { id: inst.id }, signal }) : Promise.resolve({ items: [], total: 0 }),
    inst.id ?? '',
  );
  useRealtimeEvent('institution.beds-changed', () => list.reload());
  const rows = (list.data?.items ?? []).filter((a) =>
    tab === 'applied'
      ? a.status === 'applied'
      : tab === 'admitted'
        ? a.status === 'admitted'
        : !['applied', 'admitted'].includes(a.status),
  );
  const done = () => {
    setModal(undefined);
    list.reload();
  };
  return (
    <Card
      title={t('institutions.admissions.title')}
      extra={
        <Space>
          {inst.picker}
          <Button type="primary" onClick={() => setModal({ kind: 'apply' })} data-testid="new-application">
            {t('institutions.admissions.apply')}
          </Button>
        </Space>
      }
    >
      <Tabs
        activeKey={tab}
        onChange={(k) => setTab(k as Tab)}
        items={(['applied', 'admitted', 'ended'] as const).map((k) => ({
          key: k,
          label: t(`institutions.admissions.tabs.${k}`),
        }))}
      />
      <Table<Admission>
        rowKey="id"
        size="middle"
        loading={list.loading}
        dataSource={rows}
        pagination={{ pageSize: 20 }}
        columns={[
          {
            title: t('institutions.admissions.columns.elder'),
            render: (_, a) => (
              <Flex vertical>
                <strong>{a.elderName}</strong>
                <span style={{ color: '#888', fontSize: 12 }}>{a.idNumberMasked}</span>
              </Flex>
            ),
          },
          { title: t('institutions.admissions.columns.age'), dataIndex: 'age', width: 70 },
          {
            title: t('institutions.admissions.columns.ability'),
            render: (_, a) => {
              const level = a.abilityLevel ?? a.latestAssessment?.level;
              return level ? t(`institutions.ability.${level}` as never) : '—';
            },
          },
          {
            title: t('institutions.admissions.columns.risk'),
            render: (_, a) =>
              a.riskLevel ? <Tag color={RISK_COLOURS[a.riskLevel]}>{t(`institutions.riskLevel.${a.riskLevel}`)}</Tag> : '—',
          },
          {
            title: t('institutions.admissions.columns.nursing'),
            render: (_, a) => (a.nursingLevel ? t(`institutions.nursing.${a.nursingLevel}`) : '—'),
          },
          {
            title: t('institutions.admissions.columns.bed'),
            render: (_, a) => (a.bed ? `${a.bed.building} ${a.bed.floor} ${a.bed.room} ${a.bed.label}床` : '—'),
          },
          tab === 'applied'
            ? { title: t('institutions.admissions.columns.appliedOn'), dataIndex: 'appliedOn' }
            : { title: t('institutions.admissions.columns.admittedOn'), render: (_, a) => a.admittedOn ?? '—' },
          ...(tab === 'ended'
            ? [
                {
                  title: t('institutions.admissions.columns.status'),
                  render: (_: unknown, a: Admission) => t(`institutions.status.${a.status}`),
                },
              ]
            : []),
          {
            title: t('institutions.admissions.columns.actions'),
            render: (_, a) => (
              <Space>
                {a.status === 'applied' && (
                  <>
                    <Button size="small" onClick={() => setModal({ kind: 'risk', row: a })}>
                      {a.riskLevel ? `${t('institutions.admissions.risk')} ✓` : t('institutions.admissions.risk')}
                    </Button>
                    <Button
                      size="small"
                      type="primary"
                      disabled={!a.riskLevel}
                      onClick={() => setModal({ kind: 'admit', row: a })}
                    >
                      {t('institutions.admissions.admit')}
                    </Button>
                  </>
                )}
                {(a.status === 'admitted' || a.status === 'applied') && (
                  <Button size="small" danger onClick={() => setModal({ kind: 'end', row: a })}>
                    {t('institutions.admissions.end')}
                  </Button>
                )}
              </Space>
            ),
          },
        ]}
      />
      {modal?.kind === 'apply' && inst.id && <ApplyModal orgId={inst.id} onClose={() => setModal(undefined)} onDone={done} />}
      {modal?.kind === 'risk' && modal.row && <RiskModal row={modal.row} onClose={() => setModal(undefined)} onDone={done} />}
      {modal?.kind === 'admit' && modal.row && inst.id && (
        <AdmitModal orgId={inst.id} row={modal.row} onClose={() => setModal(undefined)} onDone={done} />
      )}
      {modal?.kind === 'end' && modal.row && <EndModal row={modal.row} onClose={() => setModal(undefined)} onDone={done} />}
    </Card>
  );
}

interface ModalProps {
  onClose(): void;
  onDone(): void;
}

/** Save with the server's refusal shown on its field (or as a message). */
function useSave() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  return {
    busy,
    async run(work: () => Promise<unknown>, ok: string, onDone: () => void) {
      setBusy(true);
      try {
        await work();
        message.success(ok);
        onDone();
      } catch (err) {
        message.error(problemText(err, t));
      } finally {
        setBusy(false);
      }
    },
  };
}

function ApplyModal({ orgId, onClose, onDone }: ModalProps & { orgId: string }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ idNumber: string; name: string; note?: string }>();
  const save = useSave();
  return (
    <Modal
      open
      title={t('institutions.admissions.apply')}
      onCancel={onClose}
      confirmLoading={save.busy}
      onOk={() =>
        form
          .validateFields()
          .then((v) =>
            save.run(() => institutionsApi.apply({ params: { id: orgId }, body: v }), t('institutions.admissions.saved'), onDone),
          )
      }
    >
      <p style={{ color: '#666' }}>{t('institutions.admissions.applyHint')}</p>
      <Form form={form} layout="vertical">
        <Form.Item name="name" label={t('institutions.admissions.name')} rules={[{ required: true }]}>
          <Input data-testid="apply-name" />
        </Form.Item>
        <Form.Item name="idNumber" label={t('institutions.admissions.idNumber')} rules={[{ required: true, min: 15, max: 18 }]}>
          <Input maxLength={18} data-testid="apply-id-number" />
        </Form.Item>
        <Form.Item name="note" label={t('institutions.admissions.note')}>
          <Input.TextArea maxLength={500} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function RiskModal({ row, onClose, onDone }: ModalProps & { row: Admission }) {
  const { t } = useTranslation();
  const save = useSave();
  const [items, setItems] = useState<Record<string, (typeof RISK_LEVELS)[number]>>(
    Object.fromEntries(RISK_ITEMS.map((i) => [i.code, row.riskItems?.[i.code] ?? 'none'])),
  );
  return (
    <Modal
      open
      width={640}
      title={`${t('institutions.admissions.riskTitle')} · ${row.elderName}`}
      onCancel={onClose}
      confirmLoading={save.busy}
      onOk={() =>
        save.run(
          () =>
            institutionsApi.assessRisk({
              params: { id: row.id },
              body: { items, assessedOn: dayjs().format('YYYY-MM-DD') },
            }),
          t('institutions.admissions.saved'),
          onDone,
        )
      }
    >
      <Flex vertical gap={8} data-testid="risk-items">
        {RISK_ITEMS.map((i) => (
          <Flex key={i.code} justify="space-between" align="center">
            <span>{t(`institutions.riskItems.${i.code}`)}</span>
            <Radio.Group
              optionType="button"
              size="small"
              value={items[i.code]}
              onChange={(e) => setItems((prev) => ({ ...prev, [i.code]: e.target.value }))}
              options={RISK_LEVELS.map((l) => ({ value: l, label: t(`institutions.riskLevel.${l}`) }))}
            />
          </Flex>
        ))}
      </Flex>
    </Modal>
  );
}

interface AdmitForm {
  nursingLevel: (typeof NURSING_LEVELS)[number];
  bedId: string;
  contractNo: string;
  bedFee: number;
  nursingFee: number;
  mealFee: number;
  deposit: number;
  admittedOn: dayjs.Dayjs;
}

function AdmitModal({ orgId, row, onClose, onDone }: ModalProps & { orgId: string; row: Admission }) {
  const { t } = useTranslation();
  const save = useSave();
  const [form] = Form.useForm<AdmitForm>();
  const board = useFetch((signal) => institutionsApi.bedBoard({ params: { id: orgId }, signal }), orgId);
  const free = (board.data?.buildings ?? []).flatMap((b) =>
    b.floors.flatMap((f) =>
      f.rooms.flatMap((r) =>
        r.beds.filter((x) => x.status === 'free').map((x) => ({ ...x, place: `${b.name} ${f.name} ${r.name} ${x.label}床` })),
      ),
    ),
  );
  const assessment = row.latestAssessment;
  const suggested = assessment ? SUGGESTED[assessment.level] : undefined;
  const onBed = (id: string) => {
    const bed = free.find((b) => b.id === id);
    if (bed) form.setFieldValue('bedFee', bed.priceFen / 100);
  };
  return (
    <Modal
      open
      width={680}
      title={`${t('institutions.admissions.admitTitle')} · ${row.elderName}`}
      onCancel={onClose}
      confirmLoading={save.busy}
      okButtonProps={{ disabled: !assessment, 'data-testid': 'admit-ok' } as never}
      onOk={() =>
        form.validateFields().then((v) =>
          save.run(
            () =>
              institutionsApi.admit({
                params: { id: row.id },
                body: {
                  abilityAssessmentId: assessment?.id ?? '',
                  nursingLevel: v.nursingLevel,
                  bedId: v.bedId,
                  contractNo: v.contractNo,
                  bedFeeFen: Math.round(v.bedFee * 100),
                  nursingFeeFen: Math.round(v.nursingFee * 100),
                  mealFeeFen: Math.round(v.mealFee * 100),
                  depositFen: Math.round(v.deposit * 100),
                  admittedOn: v.admittedOn.format('YYYY-MM-DD'),
                },
              }),
            t('institutions.admissions.admitted'),
            onDone,
          ),
        )
      }
    >
      <Flex vertical gap={4} style={{ marginBottom: 12 }}>
        <span>
          {t('institutions.admissions.assessment')}：
          {assessment ? (
            <strong data-testid="ability-level">
              {t(`institutions.ability.${assessment.level}` as never)}（{t('institutions.admissions.assessedOn')}{' '}
              {assessment.assessedOn}）
            </strong>
          ) : (
            <span style={{ color: '#cf1322' }}>{t('institutions.admissions.noAssessment')}</span>
          )}
        </span>
        {row.riskLevel && (
          <span>
            {t('institutions.admissions.columns.risk')}：
            <Tag color={RISK_COLOURS[row.riskLevel]}>{t(`institutions.riskLevel.${row.riskLevel}`)}</Tag>
          </span>
        )}
      </Flex>
      <Form
        form={form}
        layout="vertical"
        initialValues={{
          nursingLevel: suggested,
          admittedOn: dayjs(),
          nursingFee: 0,
          mealFee: 900,
          deposit: 5000,
          contractNo: `HT${dayjs().format('YYYYMMDD')}-${row.id.slice(0, 4).toUpperCase()}`,
        }}
      >
        <Flex gap={16}>
          <Form.Item
            name="nursingLevel"
            label={t('institutions.admissions.nursingLevel')}
            rules={[{ required: true }]}
            extra={suggested ? t('institutions.admissions.suggested', { level: t(`institutions.nursing.${suggested}`) }) : null}
            style={{ flex: 1 }}
          >
            <Select options={NURSING_LEVELS.map((l) => ({ value: l, label: t(`institutions.nursing.${l}`) }))} />
          </Form.Item>
          <Form.Item name="bedId" label={t('institutions.admissions.bed')} rules={[{ required: true }]} style={{ flex: 1 }}>
            <Select
              showSearch
              optionFilterProp="label"
              loading={board.loading}
              onChange={onBed}
              data-testid="bed-select"
              options={free.map((b) => ({
                value: b.id,
                label: `${b.place}（${b.nursing ? t('institutions.board.nursing') : t('institutions.board.general')}）`,
              }))}
            />
          </Form.Item>
        </Flex>
        <Flex gap={16}>
          <Form.Item
            name="contractNo"
            label={t('institutions.admissions.contractNo')}
            rules={[{ required: true }]}
            style={{ flex: 1 }}
          >
            <Input maxLength={40} />
          </Form.Item>
          <Form.Item
            name="admittedOn"
            label={t('institutions.admissions.admittedOn')}
            rules={[{ required: true }]}
            style={{ flex: 1 }}
          >
            <DatePicker style={{ width: '100%' }} disabledDate={(d) => d.isAfter(dayjs(), 'day')} />
          </Form.Item>
        </Flex>
        <Flex gap={16}>
          {(['bedFee', 'nursingFee', 'mealFee', 'deposit'] as const).map((k) => (
            <Form.Item
              key={k}
              name={k}
              label={t(`institutions.admissions.${k}`)}
              rules={[{ required: true }]}
              style={{ flex: 1 }}
            >
              <InputNumber min={0} max={k === 'deposit' ? 1_000_000 : 100_000} style={{ width: '100%' }} />
            </Form.Item>
          ))}
        </Flex>
      </Form>
    </Modal>
  );
}

function EndModal({ row, onClose, onDone }: ModalProps & { row: Admission }) {
  const { t } = useTranslation();
  const save = useSave();
  const [form] = Form.useForm<{
    ending: 'discharged' | 'transferred' | 'deceased';
    endedOn: dayjs.Dayjs;
    note?: string;
    transferDestination?: string;
  }>();
  const ending = Form.useWatch('ending', form);
  return (
    <Modal
      open
      title={`${t('institutions.admissions.endTitle')} · ${row.elderName}`}
      onCancel={onClose}
      confirmLoading={save.busy}
      onOk={() =>
        form.validateFields().then((v) =>
          save.run(
            () =>
              institutionsApi.endStay({
                params: { id: row.id },
                body: {
                  ending: v.ending,
                  endedOn: v.endedOn.format('YYYY-MM-DD'),
                  note: v.note || undefined,
                  transferDestination: v.ending === 'transferred' ? v.transferDestination : undefined,
                },
              }),
            t('institutions.admissions.ended'),
            onDone,
          ),
        )
      }
    >
      <Form form={form} layout="vertical" initialValues={{ ending: 'discharged', endedOn: dayjs() }}>
        <Form.Item name="ending" label={t('institutions.admissions.ending')}>
          <Radio.Group
            options={(['discharged', 'transferred', 'deceased'] as const).map((k) => ({
              value: k,
              label: t(`institutions.admissions.endings.${k}`),
            }))}
          />
        </Form.Item>
        <Form.Item name="endedOn" label={t('institutions.admissions.endedOn')} rules={[{ required: true }]}>
          <DatePicker disabledDate={(d) => d.isAfter(dayjs(), 'day')} />
        </Form.Item>
        {ending === 'transferred' && (
          <Form.Item
            name="transferDestination"
            label={t('institutions.admissions.transferDestination')}
            rules={[{ required: true }]}
          >
            <Input maxLength={100} />
          </Form.Item>
        )}
        <Form.Item name="note" label={t('institutions.admissions.note')}>
          <Input.TextArea maxLength={500} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
