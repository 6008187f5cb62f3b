import {
  CONTRACT_PACKAGES,
  CONTRACT_STATUSES,
  type ContractPackage,
  type DoctorContract,
  type medicalContract,
  type ResponseOf,
  todayCst,
} from '@zhiyang/shared';
import { App, Button, Card, DatePicker, Form, Input, Select, Space, Statistic, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { medicalApi } from '../../api/medical.ts';
import { useAuth } from '../../app/auth.tsx';
import { useFetch } from '../../app/useFetch.ts';
import { FormModal } from '../common/FormModal.tsx';
import { MedicalTable, pct } from './MedicalTable.tsx';

type CoverageRow = ResponseOf<typeof medicalContract.coverage>['communities'][number];
type Status = (typeof CONTRACT_STATUSES)[number];
const day = (d: dayjs.Dayjs) => d.format('YYYY-MM-DD');

/** 签约管理: the 健康管理率 per community, the contracts, and signing, renewing and ending them. */
export function ContractsTab() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const mayContract = can('medical:contract');
  const [status, setStatus] = useState<Status | undefined>('active');
  const [signing, setSigning] = useState(false);
  const [renewing, setRenewing] = useState<DoctorContract | null>(null);
  const [ending, setEnding] = useState<DoctorContract | null>(null);
  const cov = useFetch((signal) => medicalApi.coverage({ query: {}, signal }), 'medical-coverage');
  const list = useFetch(
    (signal) => medicalApi.listContracts({ query: { status, limit: 100, count: 'true' }, signal }),
    `medical-contracts|${status}`,
  );
  const changed = () => {
    list.reload();
    cov.reload();
  };
  return (
    <>
      {cov.data && (
        <Card>
          <Space size="large">
            <Statistic title={t('medical.coverage.elders65')} value={cov.data.total.elders65} />
            <Statistic title={t('medical.coverage.contracted65')} value={cov.data.total.contracted65} />
            <Statistic title={t('medical.coverage.rate')} value={pct(cov.data.total.rate)} />
          </Space>
        </Card>
      )}
      <MedicalTable<CoverageRow>
        title={t('medical.list.coverage')}
        list={cov as never}
        rows={cov.data?.communities}
        rowKey="regionCode"
        pagination={{ pageSize: 12, hideOnSinglePage: true, showSizeChanger: false }}
        columns={[
          { title: t('medical.col.community'), dataIndex: 'regionName' },
          { title: t('medical.col.elders65'), dataIndex: 'elders65' },
          { title: t('medical.col.contracted65'), dataIndex: 'contracted65' },
          { title: t('medical.col.rate'), dataIndex: 'rate', render: pct },
        ]}
      />
      <MedicalTable<DoctorContract>
        title={
          <Space>
            {t('medical.list.contracts')}
            <Typography.Text type="secondary">{t('medical.list.contractsTotal', { n: list.data?.total ?? 0 })}</Typography.Text>
          </Space>
        }
        list={list}
        testId="medical-contracts"
        extra={
          <Space>
            <Select
              allowClear
              style={{ width: 140 }}
              aria-label={t('medical.col.status')}
              placeholder={t('medical.list.allStatuses')}
              value={status}
              onChange={setStatus}
              options={CONTRACT_STATUSES.map((s) => ({ value: s, label: t(`medical.contractStatus.${s}`) }))}
            />
            {mayContract && (
              <Button type="primary" onClick={() => setSigning(true)}>
                {t('medical.form.sign')}
              </Button>
            )}
          </Space>
        }
        columns={[
          { title: t('medical.col.elder'), dataIndex: 'elderName' },
          { title: t('medical.col.age'), dataIndex: 'elderAge' },
          { title: t('medical.col.community'), dataIndex: 'regionName' },
          { title: t('medical.col.teamShort'), dataIndex: 'teamName' },
          {
            title: t('medical.col.package'),
            dataIndex: 'package',
            render: (p: ContractPackage) => t(`medical.package.${p}`),
          },
          {
            title: t('medical.col.period'),
            render: (_: unknown, c) => t('medical.list.periodText', { from: c.startsOn, to: c.endsOn }),
          },
          {
            title: t('medical.col.status'),
            dataIndex: 'status',
            render: (s: Status) => <Tag color={s === 'active' ? 'green' : undefined}>{t(`medical.contractStatus.${s}`)}</Tag>,
          },
          ...(mayContract
            ? [
                {
                  title: t('medical.col.actions'),
                  key: 'actions',
                  render: (_: unknown, c: DoctorContract) =>
                    c.status === 'active' && (
                      <Space size={0}>
                        <Button type="link" onClick={() => setRenewing(c)}>
                          {t('medical.form.renew')}
                        </Button>
                        <Button type="link" danger onClick={() => setEnding(c)}>
                          {t('medical.form.end')}
                        </Button>
                      </Space>
                    ),
                },
              ]
            : []),
        ]}
      />
      <SignModal
        open={signing}
        onClose={() => setSigning(false)}
        onDone={() => {
          setSigning(false);
          changed();
        }}
      />
      <RenewModal
        contract={renewing}
        onClose={() => setRenewing(null)}
        onDone={() => {
          setRenewing(null);
          changed();
        }}
      />
      <EndModal
        contract={ending}
        onClose={() => setEnding(null)}
        onDone={() => {
          setEnding(null);
          changed();
        }}
      />
    </>
  );
}

interface SignValues {
  elderId: string;
  teamId: string;
  package: ContractPackage;
  startsOn: dayjs.Dayjs;
  endsOn?: dayjs.Dayjs;
}

function SignModal({ open, onClose, onDone }: { open: boolean; onClose(): void; onDone(): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<SignValues>();
  const teamId = Form.useWatch('teamId', form);
  const [found, setFound] = useState<Array<{ value: string; label: string }>>([]);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  const teams = useFetch(
    (signal) => (open ? medicalApi.listTeams({ query: {}, signal }) : Promise.resolve(undefined)),
    `sign-teams|${open}`,
  );
  const active = (teams.data?.items ?? []).filter((tm) => tm.status === 'active');
  // With one team in reach (a doctor's own), it is the team.
  useEffect(() => {
    if (open && active.length === 1 && !form.getFieldValue('teamId')) form.setFieldValue('teamId', active[0].id);
  }, [open, active, form]);
  // Elders of the team's communities without a contract, by name or pinyin.
  const search = (q: string) => {
    clearTimeout(timer.current);
    if (!q.trim() || !teamId) return;
    timer.current = setTimeout(() => {
      medicalApi.contractCandidates({ query: { teamId, q: q.trim() } }).then(
        (r) => setFound(r.items.map((e) => ({ value: e.id, label: `${e.name}　${e.age}岁　${e.regionName ?? ''}` }))),
        () => setFound([]),
      );
    }, 300);
  };
  return (
    <FormModal<SignValues>
      open={open}
      title={t('medical.form.signTitle')}
      form={form}
      preserve={false}
      onClose={onClose}
      fields={['elderId', 'teamId', 'package', 'startsOn', 'endsOn']}
      initialValues={{ package: 'elderly', startsOn: dayjs(todayCst()) }}
      onSubmit={async (v) => {
        await medicalApi.signContract({
          body: {
            elderId: v.elderId,
            teamId: v.teamId,
            package: v.package,
            startsOn: day(v.startsOn),
            endsOn: v.endsOn ? day(v.endsOn) : undefined,
          },
        });
        message.success(t('medical.form.saved'));
        onDone();
      }}
    >
      <Form.Item name="teamId" label={t('medical.form.team')} rules={[{ required: true }]}>
        <Select
          aria-label={t('medical.form.team')}
          loading={teams.loading}
          onChange={() => {
            form.setFieldValue('elderId', undefined);
            setFound([]);
          }}
          options={active.map((tm) => ({ value: tm.id, label: `${tm.name}（${tm.orgName}）` }))}
        />
      </Form.Item>
      <Form.Item
        name="elderId"
        label={t('medical.form.elder')}
        extra={t('medical.form.signElderHint')}
        rules={[{ required: true }]}
      >
        <Select
          disabled={!teamId}
          showSearch={{ filterOption: false, onSearch: search }}
          placeholder={t('medical.form.signElderSearch')}
          aria-label={t('medical.form.elder')}
          options={found}
        />
      </Form.Item>
      <Form.Item name="package" label={t('medical.form.package')} rules={[{ required: true }]}>
        <Select options={CONTRACT_PACKAGES.map((p) => ({ value: p, label: t(`medical.package.${p}`) }))} />
      </Form.Item>
      <Space size="large">
        <Form.Item name="startsOn" label={t('medical.form.startsOn')} rules={[{ required: true }]}>
          <DatePicker allowClear={false} />
        </Form.Item>
        <Form.Item name="endsOn" label={t('medical.form.endsOn')}>
          <DatePicker />
        </Form.Item>
      </Space>
    </FormModal>
  );
}

function RenewModal({ contract, onClose, onDone }: { contract: DoctorContract | null; onClose(): void; onDone(): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ package: ContractPackage; endsOn?: dayjs.Dayjs }>();
  return (
    <FormModal
      open={contract !== null}
      mode="edit"
      title={t('medical.form.renewTitle', { name: contract?.elderName ?? '' })}
      form={form}
      onClose={onClose}
      fields={['package', 'endsOn']}
      values={{ package: contract?.package }}
      onSubmit={async (v) => {
        if (!contract) return;
        await medicalApi.renewContract({
          params: { id: contract.id },
          body: { package: v.package, endsOn: v.endsOn ? day(v.endsOn) : undefined },
        });
        message.success(t('medical.form.saved'));
        onDone();
      }}
    >
      <Typography.Paragraph type="secondary">{t('medical.form.renewHint')}</Typography.Paragraph>
      <Form.Item name="package" label={t('medical.form.package')} rules={[{ required: true }]}>
        <Select options={CONTRACT_PACKAGES.map((p) => ({ value: p, label: t(`medical.package.${p}`) }))} />
      </Form.Item>
      <Form.Item name="endsOn" label={t('medical.form.endsOn')}>
        <DatePicker />
      </Form.Item>
    </FormModal>
  );
}

function EndModal({ contract, onClose, onDone }: { contract: DoctorContract | null; onClose(): void; onDone(): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ reason: string }>();
  return (
    <FormModal
      open={contract !== null}
      mode="edit"
      title={t('medical.form.endTitle', { name: contract?.elderName ?? '' })}
      form={form}
      onClose={onClose}
      fields={['reason']}
      onSubmit={async (v) => {
        if (!contract) return;
        await medicalApi.endContract({ params: { id: contract.id }, body: { reason: v.reason } });
        message.success(t('medical.form.saved'));
        onDone();
      }}
    >
      <Form.Item name="reason" label={t('medical.form.endReason')} rules={[{ required: true, min: 2, max: 200 }]}>
        <Input.TextArea rows={2} />
      </Form.Item>
    </FormModal>
  );
}
