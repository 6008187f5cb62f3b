import {
  DEFAULT_FAMILY_BED_MONITORING,
  type FamilyBedDetail,
  type FamilyBedMonitoring,
  type FamilyBedMonth,
  type FamilyBedSuspension,
  HOME_CHECK_ITEMS,
  HOME_CHECK_STATES,
} from '@zhiyang/shared';
import {
  App,
  Button,
  DatePicker,
  Descriptions,
  Divider,
  Drawer,
  Flex,
  Form,
  Input,
  InputNumber,
  Popconfirm,
  Radio,
  Select,
  Space,
  Spin,
  Steps,
  Switch,
  Table,
  Tag,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { familyBedsApi } from '../../api/family-beds.ts';
import { ApiError } from '../../app/api.ts';
import { useAuth } from '../../app/auth.tsx';
import { applyFieldErrors, problemText } from '../../app/problems.ts';
import { useFetch } from '../../app/useFetch.ts';
import { FormModal } from '../common/FormModal.tsx';
import { STATUS_COLOURS } from './FamilyBedsPage.tsx';

const yuan = (fen: number) => (fen / 100).toFixed(2);
const STEP_OF = { applied: 0, assessed: 1, contracted: 2, active: 3, suspended: 3, ended: 3 } as const;
export const MONTH_COLOURS = { delivered: 'green', short: 'red', released: 'blue' } as const;
/** The month before the current one (China time), YYYY-MM: the month a check can run on. */
export function previousMonth() {
  const cn = new Date(Date.now() + 8 * 3600_000);
  const m = cn.getUTCMonth();
  return m === 0 ? `${cn.getUTCFullYear() - 1}-12` : `${cn.getUTCFullYear()}-${String(m).padStart(2, '0')}`;
}

/** One bed: its steps from application to live, devices, monitoring rules and monthly checks. */
export function FamilyBedDrawer({ id, onClose, onChanged }: { id: string | null; onClose(): void; onChanged(): void }) {
  const { t } = useTranslation();
  const bed = useFetch((signal) => (id ? familyBedsApi.get({ params: { id }, signal }) : Promise.resolve(undefined)), id ?? '');
  const b = bed.data;
  const changed = () => {
    bed.reload();
    onChanged();
  };
  return (
    <Drawer open={!!id} onClose={onClose} width={880} title={b ? t('familyBeds.detail.title', { name: b.elderName }) : ''}>
      {!b || b.id !== id ? <Spin /> : <BedDetail b={b} onChanged={changed} />}
    </Drawer>
  );
}

function BedDetail({ b, onChanged }: { b: FamilyBedDetail; onChanged(): void }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const { message } = App.useApp();
  const manage = can('family_bed:manage') && b.status !== 'ended';
  const act = async (fn: () => Promise<unknown>) => {
    try {
      await fn();
      message.success(t('familyBeds.detail.saved'));
      onChanged();
    } catch (err) {
      message.error(problemText(err, t));
    }
  };
  const m = b.monitoring;
  return (
    <Flex vertical gap={16}>
      <Steps
        size="small"
        current={STEP_OF[b.status]}
        status={b.status === 'suspended' ? 'error' : b.status === 'ended' ? 'finish' : undefined}
        items={(['applied', 'assessed', 'contracted', 'active'] as const).map((s) => ({
          title: t(`familyBeds.detail.steps.${s}`),
        }))}
      />
      <Descriptions size="small" bordered column={2}>
        <Descriptions.Item label={t('familyBeds.list.statusCol')}>
          <Tag color={STATUS_COLOURS[b.status]} data-testid="bed-status">
            {t(`familyBeds.status.${b.status}`)}
          </Tag>
          {b.statusReason && <Typography.Text type="secondary">{b.statusReason}</Typography.Text>}
        </Descriptions.Item>
        <Descriptions.Item label={t('familyBeds.list.idNumber')}>{b.idNumberMasked}</Descriptions.Item>
        <Descriptions.Item label={t('familyBeds.list.community')}>{b.regionName}</Descriptions.Item>
        <Descriptions.Item label={t('familyBeds.list.ability')}>{t(`familyBeds.ability.${b.abilityLevel}`)}</Descriptions.Item>
        <Descriptions.Item label={t('familyBeds.list.provider')}>{b.providerName ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('familyBeds.detail.package')}>
          {b.package
            ? t('familyBeds.detail.packageText', {
                n: b.package.visitsPerWeek,
                yuan: yuan(b.package.monthlyFen),
                policy: b.package.policyName,
              })
            : '—'}
          {b.package?.items.length ? `：${b.package.items.map((i) => i.name).join('、')}` : ''}
        </Descriptions.Item>
        {m && (
          <Descriptions.Item label={t('familyBeds.detail.monitoring')} span={2}>
            <Space wrap>
              <span>
                {t('familyBeds.detail.nightBedExit')}：
                {m.nightBedExit.enabled
                  ? t('familyBeds.detail.night', {
                      from: m.nightBedExit.from,
                      to: m.nightBedExit.to,
                      minutes: m.nightBedExit.minutes,
                    })
                  : t('familyBeds.detail.off')}
              </span>
              <span>
                {t('familyBeds.detail.inactivity')}：
                {m.inactivity.enabled
                  ? t('familyBeds.detail.inactive', { warn: m.inactivity.warnHours, alarm: m.inactivity.alarmHours })
                  : t('familyBeds.detail.off')}
              </span>
              <span>
                {t('familyBeds.detail.vitals')}：
                {m.vitals.enabled
                  ? t('familyBeds.detail.heart', { low: m.vitals.heartRateLow, high: m.vitals.heartRateHigh })
                  : t('familyBeds.detail.off')}
              </span>
            </Space>
          </Descriptions.Item>
        )}
        {b.homeChecklist && (
          <Descriptions.Item label={t('familyBeds.detail.assessment')} span={2}>
            <Space wrap>
              {Object.entries(b.homeChecklist).map(([k, v]) => (
                <Tag key={k} color={v === 'needed' ? 'orange' : v === 'installed' ? 'green' : 'default'}>
                  {t(`familyBeds.checklist.${k}` as never)}·{t(`familyBeds.checkState.${v}`)}
                </Tag>
              ))}
              {b.homeNote}
            </Space>
          </Descriptions.Item>
        )}
      </Descriptions>

      {manage && (b.status === 'applied' || b.status === 'assessed') && <HomeAssessmentForm b={b} onChanged={onChanged} />}
      {manage && (b.status === 'assessed' || b.status === 'contracted') && <ContractForm b={b} onChanged={onChanged} />}

      {b.status !== 'applied' && b.status !== 'assessed' && (
        <>
          <Divider titlePlacement="start">{t('familyBeds.detail.devices')}</Divider>
          <DeviceList b={b} manage={manage} act={act} />
        </>
      )}

      {manage && (
        <Flex gap={8} wrap>
          {b.status === 'contracted' && (
            <Popconfirm
              title={t('familyBeds.detail.activateHint')}
              onConfirm={() => act(() => familyBedsApi.activate({ params: { id: b.id } }))}
            >
              <Button type="primary">{t('familyBeds.detail.activate')}</Button>
            </Popconfirm>
          )}
          {b.status === 'active' && <SuspendButton b={b} act={act} />}
          {b.status === 'suspended' && (
            <Button onClick={() => act(() => familyBedsApi.resume({ params: { id: b.id } }))}>
              {t('familyBeds.detail.resume')}
            </Button>
          )}
          <ReasonButton
            danger
            label={t('familyBeds.detail.end')}
            onReason={(reason) => act(() => familyBedsApi.end({ params: { id: b.id }, body: { reason } }))}
          />
        </Flex>
      )}

      {(b.status === 'active' || b.status === 'suspended' || b.status === 'ended') && (
        <Suspensions b={b} manage={can('family_bed:manage')} act={act} onChanged={onChanged} />
      )}
      {(b.status === 'active' || b.status === 'suspended' || b.status === 'ended') && <Months b={b} act={act} />}
    </Flex>
  );
}

/** Suspend from a day (default today): a suspension period opens until the bed resumes. */
function SuspendButton({ b, act }: { b: FamilyBedDetail; act(fn: () => Promise<unknown>): Promise<void> }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<{ reason: string; from: dayjs.Dayjs }>();
  return (
    <>
      <Button onClick={() => setOpen(true)}>{t('familyBeds.detail.suspend')}</Button>
      <FormModal<{ reason: string; from: dayjs.Dayjs }>
        open={open}
        title={t('familyBeds.detail.suspend')}
        form={form}
        preserve={false}
        initialValues={{ from: dayjs() }}
        onClose={() => setOpen(false)}
        onSubmit={async (v) => {
          await act(() =>
            familyBedsApi.suspend({ params: { id: b.id }, body: { reason: v.reason, from: v.from.format('YYYY-MM-DD') } }),
          );
          setOpen(false);
        }}
      >
        <Form.Item name="from" label={t('familyBeds.detail.suspendFrom')} rules={[{ required: true }]}>
          <DatePicker
            disabledDate={(d) => d.isAfter(dayjs(), 'day') || (!!b.activatedOn && d.isBefore(dayjs(b.activatedOn), 'day'))}
          />
        </Form.Item>
        <Form.Item name="reason" label={t('familyBeds.detail.reason')} rules={[{ required: true, min: 2 }]}>
          <Input.TextArea rows={2} maxLength={500} />
        </Form.Item>
      </FormModal>
    </>
  );
}

/** The server's field messages for a suspension period, as the form's own texts. */
const SUSPENSION_ERRORS: Record<string, string> = {
  overlaps: 'overlap',
  'month already checked': 'decided',
  'before the bed went live': 'beforeLive',
  'after the bed ended': 'afterEnd',
  'before fromDay': 'order',
};

interface SuspensionValues {
  period: [dayjs.Dayjs, dayjs.Dayjs];
  reason: string;
}

/** The bed's suspension periods (hospital stays …): recorded here, taken out of the month's requirement. */
function Suspensions({
  b,
  manage,
  act,
  onChanged,
}: {
  b: FamilyBedDetail;
  manage: boolean;
  act(fn: () => Promise<unknown>): Promise<void>;
  onChanged(): void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<SuspensionValues>();
  return (
    <>
      <Divider titlePlacement="start">{t('familyBeds.suspensions.title')}</Divider>
      <Typography.Text type="secondary">{t('familyBeds.suspensions.hint')}</Typography.Text>
      <Table<FamilyBedSuspension>
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={b.suspensions}
        data-testid="suspensions"
        locale={{ emptyText: t('familyBeds.suspensions.empty') }}
        columns={[
          {
            title: t('familyBeds.suspensions.period'),
            key: 'p',
            render: (_, p) => `${p.fromDay} ～ ${p.toDay ?? t('familyBeds.suspensions.ongoing')}`,
          },
          { title: t('familyBeds.suspensions.reason'), dataIndex: 'reason' },
          {
            title: '',
            key: 'x',
            render: (_, p) =>
              manage && p.toDay ? (
                <Popconfirm
                  title={t('familyBeds.suspensions.removeConfirm')}
                  onConfirm={() => act(() => familyBedsApi.deleteSuspension({ params: { id: b.id, suspensionId: p.id } }))}
                >
                  <Button type="link" danger size="small">
                    {t('familyBeds.suspensions.remove')}
                  </Button>
                </Popconfirm>
              ) : null,
          },
        ]}
      />
      {manage && (
        <div>
          <Button onClick={() => setOpen(true)}>{t('familyBeds.suspensions.add')}</Button>
        </div>
      )}
      <FormModal<SuspensionValues>
        open={open}
        title={t('familyBeds.suspensions.add')}
        form={form}
        preserve={false}
        onClose={() => setOpen(false)}
        onSubmit={async (v) => {
          try {
            await familyBedsApi.addSuspension({
              params: { id: b.id },
              body: { fromDay: v.period[0].format('YYYY-MM-DD'), toDay: v.period[1].format('YYYY-MM-DD'), reason: v.reason },
            });
          } catch (err) {
            const known = err instanceof ApiError ? (err.problem.errors ?? []).map((e) => SUSPENSION_ERRORS[e.message]) : [];
            if (!known.length || !known.every(Boolean)) throw err;
            form.setFields([
              { name: 'period', errors: known.map((k) => t(`familyBeds.suspensions.errors.${k}` as never) as string) },
            ]);
            return;
          }
          message.success(t('familyBeds.detail.saved'));
          setOpen(false);
          onChanged();
        }}
      >
        <Form.Item name="period" label={t('familyBeds.suspensions.period')} rules={[{ required: true }]}>
          <DatePicker.RangePicker
            aria-label={t('familyBeds.suspensions.period')}
            disabledDate={(d) => !!b.activatedOn && d.isBefore(dayjs(b.activatedOn), 'day')}
          />
        </Form.Item>
        <Form.Item name="reason" label={t('familyBeds.suspensions.reason')} rules={[{ required: true, min: 2 }]}>
          <Input.TextArea rows={2} maxLength={500} />
        </Form.Item>
      </FormModal>
    </>
  );
}

function ReasonButton({ label, onReason, danger }: { label: string; onReason(reason: string): Promise<void>; danger?: boolean }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<{ reason: string }>();
  return (
    <>
      <Button danger={danger} onClick={() => setOpen(true)}>
        {label}
      </Button>
      <FormModal<{ reason: string }>
        open={open}
        title={label}
        form={form}
        preserve={false}
        onClose={() => setOpen(false)}
        onSubmit={async (v) => {
          await onReason(v.reason);
          setOpen(false);
        }}
      >
        <Form.Item name="reason" label={t('familyBeds.detail.reason')} rules={[{ required: true, min: 2 }]}>
          <Input.TextArea rows={2} maxLength={500} />
        </Form.Item>
      </FormModal>
    </>
  );
}

function HomeAssessmentForm({ b, onChanged }: { b: FamilyBedDetail; onChanged(): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const save = async (v: { checklist: Record<string, string>; assessedOn: dayjs.Dayjs; note?: string }) => {
    try {
      await familyBedsApi.homeAssessment({
        params: { id: b.id },
        body: {
          checklist: v.checklist as never,
          assessedOn: v.assessedOn.format('YYYY-MM-DD'),
          note: v.note || undefined,
        },
      });
      message.success(t('familyBeds.detail.saved'));
      onChanged();
    } catch (err) {
      if (!applyFieldErrors(form, err, ['assessedOn', 'note'])) message.error(problemText(err, t));
    }
  };
  return (
    <>
      <Divider titlePlacement="start">{t('familyBeds.detail.assessment')}</Divider>
      <Form
        form={form}
        layout="horizontal"
        labelCol={{ span: 5 }}
        onFinish={save}
        initialValues={{
          checklist: b.homeChecklist ?? Object.fromEntries(HOME_CHECK_ITEMS.map((i) => [i.code, 'ok'])),
          assessedOn: dayjs(),
        }}
      >
        {HOME_CHECK_ITEMS.map((i) => (
          <Form.Item
            key={i.code}
            name={['checklist', i.code]}
            label={t(`familyBeds.checklist.${i.code}`)}
            style={{ marginBottom: 6 }}
          >
            <Radio.Group
              optionType="button"
              size="small"
              options={HOME_CHECK_STATES.map((s) => ({ value: s, label: t(`familyBeds.checkState.${s}`) }))}
            />
          </Form.Item>
        ))}
        <Form.Item name="assessedOn" label={t('familyBeds.detail.assessedOn')} rules={[{ required: true }]}>
          <DatePicker allowClear={false} disabledDate={(d) => d.isAfter(dayjs(), 'day')} />
        </Form.Item>
        <Form.Item name="note" label={t('familyBeds.detail.homeNote')}>
          <Input.TextArea rows={2} maxLength={1000} />
        </Form.Item>
        <Form.Item wrapperCol={{ offset: 5 }}>
          <Button type="primary" htmlType="submit">
            {t('familyBeds.detail.saveAssessment')}
          </Button>
        </Form.Item>
      </Form>
    </>
  );
}

interface ContractValues {
  providerId: string;
  policyId: string;
  contractNo: string;
  contractFrom: dayjs.Dayjs;
  contractTo?: dayjs.Dayjs;
  monthlyYuan?: number;
  visitsPerWeek: number;
  itemIds: string[];
  monitoring: FamilyBedMonitoring;
}

function ContractForm({ b, onChanged }: { b: FamilyBedDetail; onChanged(): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<ContractValues>();
  const opts = useFetch((signal) => familyBedsApi.contractOptions({ query: { elderId: b.elderId }, signal }), b.elderId);
  const save = async (v: ContractValues) => {
    try {
      await familyBedsApi.contract({
        params: { id: b.id },
        body: {
          providerId: v.providerId,
          policyId: v.policyId,
          contractNo: v.contractNo,
          contractFrom: v.contractFrom.format('YYYY-MM-DD'),
          contractTo: v.contractTo?.format('YYYY-MM-DD'),
          monthlyFen: v.monthlyYuan ? Math.round(v.monthlyYuan * 100) : undefined,
          visitsPerWeek: v.visitsPerWeek,
          itemIds: v.itemIds ?? [],
          monitoring: v.monitoring,
        },
      });
      message.success(t('familyBeds.detail.saved'));
      onChanged();
    } catch (err) {
      if (!applyFieldErrors(form, err, ['providerId', 'policyId', 'contractNo', 'contractTo', 'monthlyFen', 'itemIds']))
        message.error(problemText(err, t));
    }
  };
  const hour = { min: 0, max: 23, style: { width: 72 } };
  return (
    <>
      <Divider titlePlacement="start">{t('familyBeds.detail.contract')}</Divider>
      <Form
        form={form}
        layout="vertical"
        onFinish={save}
        initialValues={{
          providerId: b.providerId ?? undefined,
          policyId: b.package?.policyId,
          contractNo: b.contractNo ?? '',
          contractFrom: b.contractFrom ? dayjs(b.contractFrom) : dayjs(),
          contractTo: b.contractTo ? dayjs(b.contractTo) : undefined,
          monthlyYuan: b.package ? b.package.monthlyFen / 100 : undefined,
          visitsPerWeek: b.package?.visitsPerWeek ?? 2,
          itemIds: b.package?.items.map((i) => i.id) ?? [],
          monitoring: b.monitoring ?? DEFAULT_FAMILY_BED_MONITORING,
        }}
      >
        <Flex gap={12} wrap>
          <Form.Item
            name="providerId"
            label={t('familyBeds.detail.provider')}
            rules={[{ required: true }]}
            style={{ width: 260 }}
          >
            <Select
              loading={opts.loading}
              options={opts.data?.providers.map((p) => ({
                value: p.id,
                // A listed or D-level provider cannot take a new bed (the server refuses it too);
                // the bed's own provider stays choosable so its contract can be re-signed.
                label: p.creditBlocked ? `${p.name}${t('familyBeds.detail.creditBlocked')}` : p.name,
                disabled: p.creditBlocked && p.id !== b.providerId,
              }))}
            />
          </Form.Item>
          <Form.Item name="policyId" label={t('familyBeds.detail.policy')} rules={[{ required: true }]} style={{ width: 300 }}>
            <Select
              loading={opts.loading}
              options={opts.data?.policies.map((p) => ({ value: p.id, label: `${p.name}（${yuan(p.amountFen)}元/月）` }))}
            />
          </Form.Item>
          <Form.Item name="monthlyYuan" label={t('familyBeds.detail.monthly')} style={{ width: 140 }}>
            <InputNumber min={0.01} precision={2} style={{ width: '100%' }} />
          </Form.Item>
        </Flex>
        <Flex gap={12} wrap>
          <Form.Item
            name="contractNo"
            label={t('familyBeds.detail.contractNo')}
            rules={[{ required: true }]}
            style={{ width: 180 }}
          >
            <Input maxLength={40} />
          </Form.Item>
          <Form.Item name="contractFrom" label={t('familyBeds.detail.contractFrom')} rules={[{ required: true }]}>
            <DatePicker allowClear={false} />
          </Form.Item>
          <Form.Item name="contractTo" label={t('familyBeds.detail.contractTo')}>
            <DatePicker />
          </Form.Item>
          <Form.Item name="visitsPerWeek" label={t('familyBeds.detail.perWeek')} rules={[{ required: true }]}>
            <InputNumber min={1} max={14} />
          </Form.Item>
        </Flex>
        <Form.Item name="itemIds" label={t('familyBeds.detail.items')}>
          <Select
            mode="multiple"
            optionFilterProp="label"
            options={opts.data?.items.map((i) => ({ value: i.id, label: i.name }))}
          />
        </Form.Item>
        <Typography.Text strong>{t('familyBeds.detail.monitoring')}</Typography.Text>
        <Flex gap={12} align="end" wrap style={{ marginTop: 8 }}>
          <Form.Item
            name={['monitoring', 'nightBedExit', 'enabled']}
            label={t('familyBeds.detail.nightBedExit')}
            valuePropName="checked"
          >
            <Switch />
          </Form.Item>
          <Form.Item name={['monitoring', 'nightBedExit', 'from']} label={t('familyBeds.detail.from')}>
            <InputNumber {...hour} />
          </Form.Item>
          <Form.Item name={['monitoring', 'nightBedExit', 'to']} label={t('familyBeds.detail.to')}>
            <InputNumber {...hour} />
          </Form.Item>
          <Form.Item name={['monitoring', 'nightBedExit', 'minutes']} label={t('familyBeds.detail.minutes')}>
            <InputNumber min={5} max={120} />
          </Form.Item>
          <Form.Item
            name={['monitoring', 'inactivity', 'enabled']}
            label={t('familyBeds.detail.inactivity')}
            valuePropName="checked"
          >
            <Switch />
          </Form.Item>
          <Form.Item name={['monitoring', 'inactivity', 'warnHours']} label={t('familyBeds.detail.warnHours')}>
            <InputNumber min={1} max={48} />
          </Form.Item>
          <Form.Item name={['monitoring', 'inactivity', 'alarmHours']} label={t('familyBeds.detail.alarmHours')}>
            <InputNumber min={2} max={72} />
          </Form.Item>
          <Form.Item name={['monitoring', 'vitals', 'enabled']} label={t('familyBeds.detail.vitals')} valuePropName="checked">
            <Switch />
          </Form.Item>
          <Form.Item name={['monitoring', 'vitals', 'heartRateLow']} label={t('familyBeds.detail.hrLow')}>
            <InputNumber min={30} max={100} />
          </Form.Item>
          <Form.Item name={['monitoring', 'vitals', 'heartRateHigh']} label={t('familyBeds.detail.hrHigh')}>
            <InputNumber min={60} max={200} />
          </Form.Item>
        </Flex>
        <Button type="primary" htmlType="submit">
          {t('familyBeds.detail.saveContract')}
        </Button>
      </Form>
    </>
  );
}

function DeviceList({ b, manage, act }: { b: FamilyBedDetail; manage: boolean; act(fn: () => Promise<unknown>): Promise<void> }) {
  const { t } = useTranslation();
  const [deviceId, setDeviceId] = useState('');
  return (
    <Flex vertical gap={8}>
      {b.devices.length === 0 && <Typography.Text type="secondary">{t('familyBeds.detail.noDevices')}</Typography.Text>}
      {b.devices.map((d) => (
        <Flex key={d.id} gap={8} align="center">
          <Tag>{t(`safety.devices.types.${d.type}` as never)}</Tag>
          <Typography.Text code>{d.id}</Typography.Text>
          <Tag color={d.online ? 'green' : 'red'}>
            {d.online ? t('familyBeds.detail.online') : t('familyBeds.detail.offline')}
          </Tag>
          {d.battery != null && <span>{t('familyBeds.detail.battery', { v: d.battery })}</span>}
          {manage && (
            <Popconfirm
              title={t('familyBeds.detail.unbind')}
              onConfirm={() => act(() => familyBedsApi.unbindDevice({ params: { id: b.id, deviceId: d.id } }))}
            >
              <Button size="small" type="link" danger>
                {t('familyBeds.detail.unbind')}
              </Button>
            </Popconfirm>
          )}
        </Flex>
      ))}
      {manage && (
        <Space.Compact style={{ width: 360 }}>
          <Input
            placeholder={t('familyBeds.detail.deviceId')}
            aria-label={t('familyBeds.detail.deviceId')}
            value={deviceId}
            onChange={(e) => setDeviceId(e.target.value.trim())}
          />
          <Button
            disabled={!deviceId}
            onClick={() =>
              act(() => familyBedsApi.bindDevice({ params: { id: b.id }, body: { deviceId } })).then(() => setDeviceId(''))
            }
          >
            {t('familyBeds.detail.bind')}
          </Button>
        </Space.Compact>
      )}
    </Flex>
  );
}

function Months({ b, act }: { b: FamilyBedDetail; act(fn: () => Promise<unknown>): Promise<void> }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const settle = can('family_bed:settle');
  const prev = previousMonth();
  return (
    <>
      <Divider titlePlacement="start">{t('familyBeds.detail.months')}</Divider>
      {settle && !b.months.some((m) => m.month === prev) && (
        <Button onClick={() => act(() => familyBedsApi.runCheck({ body: { month: prev, bedId: b.id } }))}>
          {t('familyBeds.detail.runCheck', { month: prev })}
        </Button>
      )}
      <Table<FamilyBedMonth>
        rowKey="month"
        size="small"
        pagination={false}
        dataSource={b.months}
        locale={{ emptyText: t('familyBeds.detail.noMonths') }}
        columns={[
          { title: t('familyBeds.detail.monthCol'), dataIndex: 'month' },
          {
            title: t('familyBeds.detail.visits'),
            key: 'v',
            render: (_, m) => (
              <Space>
                {t('familyBeds.detail.visitsOf', { done: m.delivered, need: m.required })}
                {m.suspendedDays > 0 && <Tag color="orange">{t('familyBeds.detail.suspendedDays', { n: m.suspendedDays })}</Tag>}
              </Space>
            ),
          },
          { title: t('familyBeds.detail.amount'), dataIndex: 'amountFen', render: (v: number) => yuan(v) },
          {
            title: t('familyBeds.detail.monthStatus'),
            key: 's',
            render: (_, m) => (
              <Space>
                <Tag color={MONTH_COLOURS[m.status]} data-testid="month-status">
                  {t(`familyBeds.month.${m.status}`)}
                </Tag>
                {m.settled && <Tag>{t('familyBeds.detail.settled')}</Tag>}
                {m.releaseReason && <Typography.Text type="secondary">{m.releaseReason}</Typography.Text>}
              </Space>
            ),
          },
          {
            title: '',
            key: 'r',
            render: (_, m) =>
              settle && m.status === 'short' ? (
                <ReasonButton
                  label={t('familyBeds.detail.release')}
                  onReason={(reason) =>
                    act(() => familyBedsApi.releaseHold({ params: { id: b.id, month: m.month }, body: { reason } }))
                  }
                />
              ) : null,
          },
        ]}
      />
    </>
  );
}
