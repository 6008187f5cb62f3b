import {
  ABILITY_LEVELS,
  type AbilityLevelCode,
  FAMILY_BED_STATUSES,
  type FamilyBedStatus,
  type FamilyBedSummary,
} from '@zhiyang/shared';
import { Alert, App, Button, Card, Checkbox, Flex, Form, Input, Select, Table, Tag, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { eldersApi } from '../../api/elders.ts';
import { familyBedsApi } from '../../api/family-beds.ts';
import { useAuth } from '../../app/auth.tsx';
import { useFetch } from '../../app/useFetch.ts';
import { FormModal } from '../common/FormModal.tsx';
import { FamilyBedDrawer } from './FamilyBedDrawer.tsx';

export const STATUS_COLOURS: Record<FamilyBedStatus, string> = {
  applied: 'default',
  assessed: 'processing',
  contracted: 'cyan',
  active: 'green',
  suspended: 'orange',
  ended: 'default',
};

/** 家庭养老照护床位: every bed in reach by status, the application flow and each bed's drawer. */
export function FamilyBedsPage() {
  const { t } = useTranslation();
  const { can, me } = useAuth();
  const [status, setStatus] = useState<FamilyBedStatus | undefined>();
  const [rules, setRules] = useState(false);
  // The bureau of a district sets the district's eligibility rule.
  const district = can('family_bed:settle') && me?.regionCode?.length === 6 ? me.regionCode : null;
  const [q, setQ] = useState('');
  const [applying, setApplying] = useState(false);
  const [open, setOpen] = useState<string | null>(null);
  const beds = useFetch((signal) => familyBedsApi.list({ query: { status, q: q || undefined }, signal }), `${status}|${q}`);
  return (
    <Card
      title={t('familyBeds.list.title')}
      extra={
        <Flex gap={8}>
          {district && <Button onClick={() => setRules(true)}>{t('familyBeds.rules.button')}</Button>}
          {can('family_bed:manage') && (
            <Button type="primary" onClick={() => setApplying(true)}>
              {t('familyBeds.list.apply')}
            </Button>
          )}
        </Flex>
      }
    >
      <Typography.Paragraph type="secondary">{t('familyBeds.list.hint')}</Typography.Paragraph>
      <Flex gap={12} style={{ marginBottom: 12 }}>
        <Input.Search allowClear placeholder={t('familyBeds.list.search')} style={{ width: 240 }} onSearch={setQ} />
        <Select
          allowClear
          style={{ width: 160 }}
          placeholder={t('familyBeds.list.allStatuses')}
          aria-label={t('familyBeds.list.statusCol')}
          value={status}
          onChange={setStatus}
          options={FAMILY_BED_STATUSES.map((s) => ({ value: s, label: t(`familyBeds.status.${s}`) }))}
        />
      </Flex>
      <Table<FamilyBedSummary>
        rowKey="id"
        size="middle"
        loading={beds.loading}
        dataSource={beds.data?.items ?? []}
        locale={{ emptyText: t('familyBeds.list.empty') }}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        onRow={(r) => ({ onClick: () => setOpen(r.id), style: { cursor: 'pointer' } })}
        columns={[
          { title: t('familyBeds.list.elder'), dataIndex: 'elderName' },
          { title: t('familyBeds.list.idNumber'), dataIndex: 'idNumberMasked' },
          { title: t('familyBeds.list.community'), dataIndex: 'regionName' },
          {
            title: t('familyBeds.list.ability'),
            dataIndex: 'abilityLevel',
            render: (v) => t(`familyBeds.ability.${v}` as never),
          },
          {
            title: t('familyBeds.list.statusCol'),
            dataIndex: 'status',
            render: (v: FamilyBedStatus) => <Tag color={STATUS_COLOURS[v]}>{t(`familyBeds.status.${v}`)}</Tag>,
          },
          { title: t('familyBeds.list.provider'), dataIndex: 'providerName', render: (v) => v ?? '—' },
          { title: t('familyBeds.list.appliedOn'), dataIndex: 'appliedOn' },
          {
            title: '',
            key: 'open',
            render: (_, r) => (
              <Button type="link" onClick={() => setOpen(r.id)}>
                {t('familyBeds.list.open')}
              </Button>
            ),
          },
        ]}
      />
      <ApplyModal
        open={applying}
        onClose={() => setApplying(false)}
        onDone={(id) => {
          setApplying(false);
          beds.reload();
          setOpen(id);
        }}
      />
      <FamilyBedDrawer id={open} onClose={() => setOpen(null)} onChanged={beds.reload} />
      {district && <RulesModal open={rules} district={district} onClose={() => setRules(false)} />}
    </Card>
  );
}

/** 建床条件: the ability levels of the district that may have a bed (the bureau). */
function RulesModal({ open, district, onClose }: { open: boolean; district: string; onClose(): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ eligibleLevels: AbilityLevelCode[] }>();
  const rules = useFetch(
    (signal) => (open ? familyBedsApi.getRules({ query: { regionCode: district }, signal }) : Promise.resolve(undefined)),
    `${open}|${district}`,
  );
  return (
    <FormModal<{ eligibleLevels: AbilityLevelCode[] }>
      open={open && !!rules.data}
      mode="edit"
      title={t('familyBeds.rules.title')}
      form={form}
      values={{ eligibleLevels: rules.data?.eligibleLevels ?? [] }}
      fields={['eligibleLevels']}
      onClose={onClose}
      onSubmit={async (v) => {
        await familyBedsApi.putRules({ body: { regionCode: district, eligibleLevels: v.eligibleLevels } });
        message.success(t('familyBeds.rules.saved'));
        onClose();
      }}
    >
      <Typography.Paragraph type="secondary">{t('familyBeds.rules.hint')}</Typography.Paragraph>
      {rules.data && !rules.data.customised && (
        <Alert type="info" showIcon style={{ marginBottom: 16 }} title={t('familyBeds.rules.usingDefault')} />
      )}
      <Form.Item name="eligibleLevels" label={t('familyBeds.rules.levels')} rules={[{ required: true, type: 'array', min: 1 }]}>
        <Checkbox.Group options={ABILITY_LEVELS.map((l) => ({ value: l, label: t(`familyBeds.ability.${l}`) }))} />
      </Form.Item>
    </FormModal>
  );
}

interface ApplyValues {
  elderId: string;
  note?: string;
}

function ApplyModal({ open, onClose, onDone }: { open: boolean; onClose(): void; onDone(id: string): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<ApplyValues>();
  const [options, setOptions] = useState<Array<{ value: string; label: string }>>([]);
  const elderId = Form.useWatch('elderId', form);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const eligibility = useFetch(
    (signal) => (elderId ? familyBedsApi.eligibility({ query: { elderId }, signal }) : Promise.resolve(undefined)),
    elderId ?? '',
  );
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
  const el = eligibility.data;
  const levels = (el?.eligibleLevels ?? []).map((l) => t(`familyBeds.ability.${l}`)).join('、');
  return (
    <FormModal<ApplyValues>
      open={open}
      title={t('familyBeds.apply.title')}
      form={form}
      preserve={false}
      onClose={onClose}
      fields={['elderId', 'note']}
      onSubmit={async (v) => {
        const bed = await familyBedsApi.apply({ body: { elderId: v.elderId, note: v.note || undefined } });
        message.success(t('familyBeds.apply.done'));
        onDone(bed.id);
      }}
    >
      <Form.Item name="elderId" label={t('familyBeds.apply.elder')} rules={[{ required: true }]}>
        <Select
          showSearch
          filterOption={false}
          onSearch={search}
          placeholder={t('familyBeds.apply.elderSearch')}
          options={options}
          aria-label={t('familyBeds.apply.elder')}
        />
      </Form.Item>
      {el && (
        <Alert
          style={{ marginBottom: 16 }}
          type={el.eligible && !el.openBedId ? 'success' : 'warning'}
          data-testid="eligibility"
          message={
            el.openBedId
              ? t('familyBeds.apply.hasBed')
              : el.reason === 'no_assessment'
                ? t('familyBeds.apply.noAssessment')
                : t(el.eligible ? 'familyBeds.apply.eligible' : 'familyBeds.apply.notEligible', {
                    level: el.level ? t(`familyBeds.ability.${el.level}`) : '',
                    on: el.assessedOn,
                    levels,
                  })
          }
        />
      )}
      <Form.Item name="note" label={t('familyBeds.apply.note')}>
        <Input.TextArea rows={2} maxLength={500} />
      </Form.Item>
    </FormModal>
  );
}
