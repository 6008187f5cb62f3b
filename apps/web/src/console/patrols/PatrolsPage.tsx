import { DownloadOutlined, PlusOutlined, PrinterOutlined } from '@ant-design/icons';
import {
  CHECKPOINT_KINDS,
  type CheckpointKind,
  type PatrolHazard,
  type PatrolRoute,
  type PatrolRun,
  RISK_COLOUR_HEX,
} from '@zhiyang/shared';
import {
  App,
  Button,
  Card,
  DatePicker,
  Descriptions,
  Drawer,
  Empty,
  Flex,
  Form,
  Input,
  InputNumber,
  Modal,
  Radio,
  Select,
  Space,
  Switch,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { patrolMonthXlsxUrl, patrolsApi } from '../../api/patrols.ts';
import { useAuth } from '../../app/auth.tsx';
import { problemText } from '../../app/problems.ts';
import { useFetch } from '../../app/useFetch.ts';
import { useInstitution } from '../institutions/useInstitution.tsx';
import { QrSheet } from './QrSheet.tsx';

const RUN_COLOUR: Record<PatrolRun['status'], string> = {
  open: 'processing',
  complete: 'success',
  late: 'warning',
  missed: 'error',
};
const HAZARD_COLOUR: Record<PatrolHazard['status'], string> = { open: 'error', rectified: 'warning', closed: 'success' };
const fmt = (iso: string) => dayjs(iso).format('MM-DD HH:mm');

/**
 * 安防巡查 of an institution: its routes with checkpoints (and the printable QR sheet), the runs of
 * each shift, the hazards with their 整改 and 复查, and the monthly report. The bureau picks the
 * institution at the top.
 */
export function PatrolsPage() {
  const { t } = useTranslation();
  const inst = useInstitution();
  const [tab, setTab] = useState('routes');
  return (
    <Card title={t('patrols.title')} extra={inst.picker}>
      {!inst.id ? (
        <Empty />
      ) : (
        <Tabs
          activeKey={tab}
          onChange={setTab}
          items={[
            { key: 'routes', label: t('patrols.tabs.routes'), children: <RoutesTab orgId={inst.id} /> },
            { key: 'runs', label: t('patrols.tabs.runs'), children: <RunsTab orgId={inst.id} /> },
            { key: 'hazards', label: t('patrols.tabs.hazards'), children: <HazardsTab orgId={inst.id} /> },
            { key: 'report', label: t('patrols.tabs.report'), children: <ReportTab /> },
          ]}
        />
      )}
    </Card>
  );
}

function RoutesTab({ orgId }: { orgId: string }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const routes = useFetch((signal) => patrolsApi.listRoutes({ params: { id: orgId }, signal }), orgId);
  const [adding, setAdding] = useState(false);
  const [printing, setPrinting] = useState<PatrolRoute>();
  const items = routes.data?.items ?? [];
  return (
    <Flex vertical gap={16}>
      {can('institution:write') && (
        <Button type="primary" icon={<PlusOutlined />} style={{ alignSelf: 'flex-start' }} onClick={() => setAdding(true)}>
          {t('patrols.routes.add')}
        </Button>
      )}
      {routes.data && items.length === 0 && <Empty description={t('patrols.routes.none')} />}
      {items.map((r) => (
        <Card
          key={r.id}
          size="small"
          title={r.name}
          extra={
            <Button icon={<PrinterOutlined />} onClick={() => setPrinting(r)}>
              {t('patrols.routes.print')}
            </Button>
          }
        >
          <Space wrap style={{ marginBottom: 8 }}>
            {r.shifts.map((s) => (
              <Tag key={s.name}>{t('patrols.routes.shiftLine', { name: s.name, start: s.start, minutes: s.windowMinutes })}</Tag>
            ))}
          </Space>
          <Table
            size="small"
            rowKey="id"
            pagination={false}
            dataSource={r.checkpoints}
            columns={[
              { title: '#', dataIndex: 'seq', width: 48 },
              { title: t('patrols.routes.point'), dataIndex: 'name' },
              { title: t('patrols.routes.area'), dataIndex: 'area' },
              { title: t('patrols.routes.kind'), dataIndex: 'kind', render: (k: CheckpointKind) => t(`patrols.kinds.${k}`) },
              {
                title: t('patrols.routes.code'),
                dataIndex: 'code',
                render: (c: string) => <Typography.Text code>{c}</Typography.Text>,
              },
            ]}
          />
        </Card>
      ))}
      <RouteModal
        open={adding}
        orgId={orgId}
        onClose={(saved) => {
          setAdding(false);
          if (saved) routes.reload();
        }}
      />
      <Modal open={!!printing} width={880} footer={null} onCancel={() => setPrinting(undefined)} title={printing?.name}>
        {printing && <QrSheet route={printing} />}
      </Modal>
    </Flex>
  );
}

interface RouteForm {
  name: string;
  graceMinutes: number;
  shifts: Array<{ name: string; start: string; windowMinutes: number }>;
  checkpoints: Array<{ name: string; area: string; kind: string }>;
}

function RouteModal({ open, orgId, onClose }: { open: boolean; orgId: string; onClose(saved: boolean): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<RouteForm>();
  const [busy, setBusy] = useState(false);
  const save = async (v: RouteForm) => {
    setBusy(true);
    try {
      await patrolsApi.createRoute({
        params: { id: orgId },
        body: { ...v, checkpoints: v.checkpoints.map((c) => ({ ...c, kind: c.kind as (typeof CHECKPOINT_KINDS)[number] })) },
      });
      message.success(t('patrols.routes.created', { name: v.name }));
      form.resetFields();
      onClose(true);
    } catch (err) {
      message.error(problemText(err, t));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open={open}
      width={760}
      title={t('patrols.routes.add')}
      onCancel={() => onClose(false)}
      onOk={() => form.submit()}
      confirmLoading={busy}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        onFinish={save}
        initialValues={{
          graceMinutes: 30,
          shifts: [
            { name: '白班', start: '08:00', windowMinutes: 60 },
            { name: '夜班', start: '22:00', windowMinutes: 60 },
          ],
          checkpoints: [{ name: '', area: '', kind: 'fire_exit' }],
        }}
      >
        <Flex gap={12}>
          <Form.Item name="name" label={t('patrols.routes.name')} rules={[{ required: true, max: 40 }]} style={{ flex: 1 }}>
            <Input />
          </Form.Item>
          <Form.Item name="graceMinutes" label={t('patrols.routes.grace')}>
            <InputNumber min={0} max={240} />
          </Form.Item>
        </Flex>
        <Typography.Text strong>{t('patrols.routes.shifts')}</Typography.Text>
        <Form.List name="shifts">
          {(fields, { add, remove }) => (
            <>
              {fields.map((f) => (
                <Flex key={f.key} gap={8}>
                  <Form.Item name={[f.name, 'name']} rules={[{ required: true }]}>
                    <Input placeholder={t('patrols.routes.shiftName')} aria-label={t('patrols.routes.shiftName')} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'start']} rules={[{ required: true, pattern: /^([01]\d|2[0-3]):[0-5]\d$/ }]}>
                    <Input placeholder="08:00" aria-label={t('patrols.routes.start')} style={{ width: 90 }} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'windowMinutes']} rules={[{ required: true }]}>
                    <InputNumber min={10} max={720} aria-label={t('patrols.routes.window')} />
                  </Form.Item>
                  <Button onClick={() => remove(f.name)}>−</Button>
                </Flex>
              ))}
              <Button onClick={() => add({ name: '', start: '', windowMinutes: 60 })} style={{ marginBottom: 12 }}>
                {t('patrols.routes.addShift')}
              </Button>
            </>
          )}
        </Form.List>
        <br />
        <Typography.Text strong>{t('patrols.routes.checkpoints')}</Typography.Text>
        <Form.List name="checkpoints">
          {(fields, { add, remove }) => (
            <>
              {fields.map((f, i) => (
                <Flex key={f.key} gap={8} align="baseline">
                  <span style={{ width: 20 }}>{i + 1}</span>
                  <Form.Item name={[f.name, 'name']} rules={[{ required: true, max: 40 }]} style={{ flex: 1 }}>
                    <Input placeholder={t('patrols.routes.point')} aria-label={t('patrols.routes.point')} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'area']} rules={[{ required: true, max: 40 }]} style={{ flex: 1 }}>
                    <Input placeholder={t('patrols.routes.area')} aria-label={t('patrols.routes.area')} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'kind']}>
                    <Select
                      style={{ width: 150 }}
                      aria-label={t('patrols.routes.kind')}
                      options={CHECKPOINT_KINDS.map((k) => ({ value: k, label: t(`patrols.kinds.${k}`) }))}
                    />
                  </Form.Item>
                  <Button onClick={() => remove(f.name)}>−</Button>
                </Flex>
              ))}
              <Button onClick={() => add({ name: '', area: '', kind: 'other' })}>{t('patrols.routes.addPoint')}</Button>
            </>
          )}
        </Form.List>
      </Form>
    </Modal>
  );
}

function RunsTab({ orgId }: { orgId: string }) {
  const { t } = useTranslation();
  const runs = useFetch((signal) => patrolsApi.listRuns({ params: { id: orgId }, query: {}, signal }), orgId);
  const [shown, setShown] = useState<string>();
  const detail = useFetch(
    (signal) => (shown ? patrolsApi.getRun({ params: { id: shown }, signal }) : Promise.resolve(undefined)),
    shown ?? '',
  );
  return (
    <>
      <Table
        size="small"
        rowKey="id"
        loading={runs.loading}
        dataSource={runs.data?.items ?? []}
        onRow={(r) => ({ onClick: () => setShown(r.id), style: { cursor: 'pointer' } })}
        columns={[
          { title: t('patrols.runs.startsAt'), dataIndex: 'startsAt', render: fmt },
          { title: t('patrols.runs.route'), dataIndex: 'routeName' },
          { title: t('patrols.runs.shift'), dataIndex: 'shift' },
          { title: t('patrols.runs.dueAt'), dataIndex: 'dueAt', render: fmt },
          {
            title: t('patrols.runs.status'),
            dataIndex: 'status',
            render: (s: PatrolRun['status']) => <Tag color={RUN_COLOUR[s]}>{t(`patrols.runStatus.${s}`)}</Tag>,
          },
          {
            title: t('patrols.runs.scanned'),
            render: (_: unknown, r: PatrolRun) => t('patrols.runs.progress', { scanned: r.scanned, total: r.checkpoints }),
          },
          { title: t('patrols.runs.missed'), dataIndex: 'missed' },
          { title: t('patrols.runs.late'), dataIndex: 'late' },
          { title: t('patrols.runs.hazards'), dataIndex: 'hazards' },
        ]}
      />
      <Drawer open={!!shown} width={560} title={t('patrols.runs.detail')} onClose={() => setShown(undefined)}>
        {detail.data && (
          <Flex vertical gap={12}>
            <Descriptions size="small" column={1}>
              <Descriptions.Item label={t('patrols.runs.route')}>{detail.data.routeName}</Descriptions.Item>
              <Descriptions.Item label={t('patrols.runs.shift')}>
                {detail.data.shift} {fmt(detail.data.startsAt)} – {fmt(detail.data.dueAt)}
              </Descriptions.Item>
              <Descriptions.Item label={t('patrols.runs.status')}>
                <Tag color={RUN_COLOUR[detail.data.status]}>{t(`patrols.runStatus.${detail.data.status}`)}</Tag>
              </Descriptions.Item>
            </Descriptions>
            {detail.data.points.map((p) => (
              <Flex key={p.id} justify="space-between" style={{ borderBottom: '1px solid #f0f0f0', paddingBottom: 6 }}>
                <span>
                  {p.seq}. {p.name} <Typography.Text type="secondary">{p.area}</Typography.Text>
                </span>
                {p.scan ? (
                  <Space>
                    <Tag color={p.scan.result === 'pass' ? 'success' : 'error'}>{t(`patrols.scanResult.${p.scan.result}`)}</Tag>
                    {p.scan.late && <Tag color="warning">{t('patrols.runs.late')}</Tag>}
                    {p.scan.result !== 'missed' && fmt(p.scan.scannedAt)}
                  </Space>
                ) : (
                  <Tag>{t('patrols.runs.notScanned')}</Tag>
                )}
              </Flex>
            ))}
          </Flex>
        )}
      </Drawer>
    </>
  );
}

function HazardsTab({ orgId }: { orgId: string }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const [overdueOnly, setOverdueOnly] = useState(false);
  const list = useFetch(
    (signal) => patrolsApi.listHazards({ params: { id: orgId }, query: overdueOnly ? { overdue: 'true' } : {}, signal }),
    `${orgId}:${overdueOnly}`,
  );
  const [acting, setActing] = useState<{ h: PatrolHazard; kind: 'rectify' | 'recheck' | 'assign' }>();
  return (
    <Flex vertical gap={12}>
      <Space>
        <Switch checked={overdueOnly} onChange={setOverdueOnly} aria-label={t('patrols.hazards.overdueOnly')} />
        {t('patrols.hazards.overdueOnly')}
      </Space>
      <Table
        size="small"
        rowKey="id"
        loading={list.loading}
        locale={{ emptyText: t('patrols.hazards.none') }}
        dataSource={list.data?.items ?? []}
        columns={[
          { title: t('patrols.hazards.found'), dataIndex: 'foundAt', render: fmt },
          { title: t('patrols.hazards.area'), dataIndex: 'area' },
          { title: t('patrols.hazards.point'), dataIndex: 'checkpointName' },
          { title: t('patrols.hazards.description'), dataIndex: 'description' },
          {
            title: t('patrols.hazards.deadline'),
            dataIndex: 'deadlineOn',
            render: (d: string, h: PatrolHazard) => (
              <Space>
                {d}
                {h.overdue && <Tag color="red">{t('patrols.hazards.overdue')}</Tag>}
              </Space>
            ),
          },
          { title: t('patrols.hazards.owner'), dataIndex: 'ownerName', render: (n: string | null) => n ?? '—' },
          {
            title: t('patrols.hazards.status'),
            dataIndex: 'status',
            render: (s: PatrolHazard['status'], h: PatrolHazard) => (
              <Space direction="vertical" size={0}>
                <Tag color={HAZARD_COLOUR[s]}>{t(`patrols.hazardStatus.${s}`)}</Tag>
                {h.reopened > 0 && (
                  <Typography.Text type="secondary">{t('patrols.hazards.reopened', { n: h.reopened })}</Typography.Text>
                )}
              </Space>
            ),
          },
          {
            title: '',
            render: (_: unknown, h: PatrolHazard) => (
              <Space>
                {h.status === 'open' && can('institution:care') && (
                  <Button size="small" onClick={() => setActing({ h, kind: 'rectify' })}>
                    {t('patrols.hazards.rectify')}
                  </Button>
                )}
                {h.status === 'rectified' && can('institution:write') && (
                  <Button size="small" type="primary" onClick={() => setActing({ h, kind: 'recheck' })}>
                    {t('patrols.hazards.recheck')}
                  </Button>
                )}
                {h.status !== 'closed' && can('institution:write') && (
                  <Button size="small" onClick={() => setActing({ h, kind: 'assign' })}>
                    {t('patrols.hazards.assign')}
                  </Button>
                )}
              </Space>
            ),
          },
        ]}
        expandable={{
          rowExpandable: (h) => h.photos.length > 0 || !!h.rectifyNote || !!h.checkNote,
          expandedRowRender: (h) => (
            <Flex gap={12} wrap align="flex-start">
              {h.photos.map((p) => (
                <img key={p.id} src={p.dataUrl} alt={t('patrols.hazards.photo')} style={{ maxHeight: 120, borderRadius: 4 }} />
              ))}
              {h.rectifyNote && <div>{`${t('patrols.hazards.note')}：${h.rectifyNote}`}</div>}
              {h.checkNote && <div>{`${t('patrols.hazards.checkNote')}：${h.checkNote}`}</div>}
            </Flex>
          ),
        }}
      />
      {acting && (
        <HazardAction
          {...acting}
          onClose={(saved) => {
            setActing(undefined);
            if (saved) list.reload();
          }}
        />
      )}
    </Flex>
  );
}

async function fileToDataUrl(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result));
    r.onerror = () => reject(r.error);
    r.readAsDataURL(file);
  });
}

function HazardAction({
  h,
  kind,
  onClose,
}: {
  h: PatrolHazard;
  kind: 'rectify' | 'recheck' | 'assign';
  onClose(saved: boolean): void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const submit = async (v: { note?: string; passed?: boolean; deadline?: dayjs.Dayjs; photo?: File }) => {
    setBusy(true);
    try {
      if (kind === 'rectify')
        await patrolsApi.rectifyHazard({
          params: { id: h.id },
          body: { note: v.note ?? '', photos: v.photo ? [await fileToDataUrl(v.photo)] : undefined },
        });
      else if (kind === 'recheck')
        await patrolsApi.recheckHazard({ params: { id: h.id }, body: { passed: v.passed ?? true, note: v.note || undefined } });
      else
        await patrolsApi.assignHazard({
          params: { id: h.id },
          body: { deadlineOn: (v.deadline ?? dayjs()).format('YYYY-MM-DD'), ownerId: h.ownerId },
        });
      message.success(t('patrols.hazards.done'));
      onClose(true);
    } catch (err) {
      message.error(problemText(err, t));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open
      title={`${t(`patrols.hazards.${kind}`)} · ${h.checkpointName}`}
      onCancel={() => onClose(false)}
      onOk={() => form.submit()}
      confirmLoading={busy}
    >
      <Typography.Paragraph>{h.description}</Typography.Paragraph>
      <Form form={form} layout="vertical" onFinish={submit} initialValues={{ passed: true, deadline: dayjs(h.deadlineOn) }}>
        {kind === 'recheck' && (
          <Form.Item name="passed">
            <Radio.Group
              options={[
                { value: true, label: t('patrols.hazards.passed') },
                { value: false, label: t('patrols.hazards.failed') },
              ]}
            />
          </Form.Item>
        )}
        {kind === 'assign' ? (
          <Form.Item name="deadline" label={t('patrols.hazards.deadline')} rules={[{ required: true }]}>
            <DatePicker />
          </Form.Item>
        ) : (
          <Form.Item
            name="note"
            label={kind === 'rectify' ? t('patrols.hazards.note') : t('patrols.hazards.checkNote')}
            rules={[{ required: kind === 'rectify', max: 500 }]}
          >
            <Input.TextArea rows={3} />
          </Form.Item>
        )}
        {kind === 'rectify' && (
          <Form.Item
            name="photo"
            label={t('patrols.hazards.photo')}
            valuePropName="file"
            getValueFromEvent={(e) => e.target.files?.[0]}
          >
            <input type="file" accept="image/jpeg,image/png,image/webp" />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}

function ReportTab() {
  const { t } = useTranslation();
  const [month, setMonth] = useState(dayjs().format('YYYY-MM'));
  const report = useFetch((signal) => patrolsApi.monthReport({ query: { month }, signal }), month);
  return (
    <Flex vertical gap={12}>
      <Space>
        {t('patrols.report.month')}
        <DatePicker
          picker="month"
          allowClear={false}
          value={dayjs(`${month}-01`)}
          onChange={(d) => d && setMonth(d.format('YYYY-MM'))}
        />
        <Button icon={<DownloadOutlined />} href={patrolMonthXlsxUrl(month)}>
          {t('patrols.report.export')}
        </Button>
      </Space>
      <Table
        size="small"
        rowKey="orgId"
        loading={report.loading}
        dataSource={report.data?.items ?? []}
        pagination={false}
        columns={[
          { title: t('patrols.risk.institution'), dataIndex: 'name' },
          { title: t('patrols.report.runs'), dataIndex: 'runs' },
          { title: t('patrols.report.complete'), dataIndex: 'complete' },
          { title: t('patrols.report.late'), dataIndex: 'late' },
          { title: t('patrols.report.missedRuns'), dataIndex: 'missedRuns' },
          { title: t('patrols.report.missedPoints'), dataIndex: 'missedCheckpoints' },
          { title: t('patrols.report.found'), dataIndex: 'hazardsFound' },
          { title: t('patrols.report.closed'), dataIndex: 'hazardsClosed' },
          {
            title: t('patrols.report.overdue'),
            dataIndex: 'overdue',
            render: (n: number) => <span style={{ color: n ? RISK_COLOUR_HEX.red : undefined }}>{n}</span>,
          },
          { title: t('patrols.report.rate'), dataIndex: 'completionRate', render: (r: number) => `${(r * 100).toFixed(1)}%` },
        ]}
      />
    </Flex>
  );
}
