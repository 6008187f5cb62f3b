import { DownloadOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import {
  ABILITY_LEVEL_LABELS_ZH,
  ABILITY_LEVELS,
  type AbilityLevelCode,
  ELDER_CATEGORIES,
  ELDER_STATUSES,
  type ElderListItem,
  type ElderStatusCode,
  LIVING_SITUATIONS,
  type LivingSituationCode,
} from '@zhiyang/shared';
import { Button, Dropdown, Input, InputNumber, Select, Space, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { elderExportUrl, eldersApi } from '../../api/elders.ts';
import { useAuth } from '../../app/auth.tsx';
import { useCountedList } from '../../app/counted-list.ts';
import { useRegions } from '../../app/region.tsx';
import { ageBandRange, ageBandZh, DrillTags, pick, useDrill } from '../common/drill.tsx';
import { ListPage } from '../common/ListPage.tsx';
import { RegionTreeSelect } from '../common/RegionTreeSelect.tsx';
import { ImportWizard } from './ImportWizard.tsx';

interface Filters {
  q: string;
  regionCode?: string;
  category?: string;
  livingSituation?: LivingSituationCode;
  abilityLevel?: AbilityLevelCode | 'none';
  status?: ElderStatusCode;
  ageMin?: number;
  ageMax?: number;
  page: number;
  limit: number;
}

/** /console/elders: search the archive with filters; create, import and export. */
export function ElderListPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const { selected } = useRegions();
  const navigate = useNavigate();
  // A dashboard figure (在册老人, an age band) opens this list with its region and age band.
  const drill = useDrill();
  const [filters, setFilters] = useState<Filters>(() => ({
    q: '',
    page: 1,
    limit: 20,
    regionCode: drill.get('regionCode'),
    ...ageBandRange(drill.get('ageBand')),
    abilityLevel: pick(ABILITY_LEVELS, drill.get('abilityLevel')),
  }));
  const [importing, setImporting] = useState(false);
  const query = { ...filters, regionCode: filters.regionCode ?? selected ?? undefined };
  // The page shows the number of matches: counted on the first page and kept while paging on.
  const { page: listPage, ...listFilters } = query;
  const list = useCountedList(
    (signal, count) => eldersApi.listElders({ query: { ...query, count: count ? 'true' : undefined }, signal }),
    JSON.stringify(listFilters),
    listPage,
  );
  const update = (patch: Partial<Filters>) => setFilters((f) => ({ ...f, page: 1, ...patch }));
  const { page: _p, limit: _l, ...exportQuery } = query;

  return (
    <ListPage<ElderListItem>
      title={t('elders.list.title')}
      list={list}
      page={filters.page}
      pageSize={filters.limit}
      onPage={(page, limit) => setFilters((f) => ({ ...f, page, limit }))}
      sizeChanger
      totalText={(total) => t('common.total', { total: list.data?.totalCapped ? `${total}+` : total })}
      extra={
        <Space wrap>
          {can('elder:import') && (
            <Button icon={<UploadOutlined />} onClick={() => setImporting(true)} data-testid="elder-import">
              {t('elders.list.import')}
            </Button>
          )}
          {can('elder:reveal') ? (
            <Dropdown.Button
              icon={<DownloadOutlined />}
              onClick={() => window.open(elderExportUrl(exportQuery))}
              menu={{
                items: [{ key: 'full', label: t('elders.list.exportFull') }],
                onClick: () => window.open(elderExportUrl({ ...exportQuery, reveal: true })),
              }}
            >
              {t('elders.list.export')}
            </Dropdown.Button>
          ) : (
            <Button icon={<DownloadOutlined />} onClick={() => window.open(elderExportUrl(exportQuery))}>
              {t('elders.list.export')}
            </Button>
          )}
          {can('elder:write') && (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => navigate('/console/elders/new')}
              data-testid="elder-create"
            >
              {t('elders.list.create')}
            </Button>
          )}
        </Space>
      }
      filters={
        <>
          <DrillTags
            drill={drill}
            tags={[
              {
                key: 'ageBand',
                label: `年龄段：${ageBandZh(drill.get('ageBand') ?? '')}`,
                onClear: () => update({ ageMin: undefined, ageMax: undefined }),
              },
              filters.abilityLevel &&
                filters.abilityLevel !== 'none' && {
                  key: 'abilityLevel',
                  label: `能力等级：${ABILITY_LEVEL_LABELS_ZH[filters.abilityLevel]}`,
                  onClear: () => update({ abilityLevel: undefined }),
                },
            ]}
          />
          <Input.Search
            allowClear
            placeholder={t('elders.list.searchPlaceholder')}
            onSearch={(q) => update({ q: q.trim() })}
            style={{ width: 320 }}
            data-testid="elder-search"
          />
          <RegionTreeSelect
            value={filters.regionCode ?? null}
            onChange={(code) => update({ regionCode: code ?? undefined })}
            placeholder={t('elders.list.region')}
          />
          <Select
            allowClear
            placeholder={t('elders.list.category')}
            value={filters.category}
            onChange={(category) => update({ category })}
            options={ELDER_CATEGORIES.map((c) => ({ value: c, label: t(`elders.category.${c}`) }))}
            style={{ width: 180 }}
          />
          <Select
            allowClear
            placeholder={t('elders.list.living')}
            value={filters.livingSituation}
            onChange={(livingSituation) => update({ livingSituation })}
            options={LIVING_SITUATIONS.map((c) => ({ value: c, label: t(`elders.living.${c}`) }))}
            style={{ width: 150 }}
          />
          <Select
            allowClear
            placeholder={t('elders.list.ability')}
            value={filters.abilityLevel}
            onChange={(abilityLevel) => update({ abilityLevel })}
            options={[
              ...ABILITY_LEVELS.map((c) => ({ value: c, label: t(`elders.level.${c}`) })),
              { value: 'none', label: t('elders.list.notAssessed') },
            ]}
            style={{ width: 150 }}
          />
          <Select
            allowClear
            placeholder={t('elders.list.status')}
            value={filters.status}
            onChange={(status) => update({ status })}
            options={ELDER_STATUSES.map((c) => ({ value: c, label: t(`elders.status.${c}`) }))}
            style={{ width: 120 }}
          />
          <Space.Compact>
            <InputNumber
              min={0}
              max={130}
              placeholder={t('elders.list.ageMin')}
              value={filters.ageMin}
              onChange={(v) => update({ ageMin: v ?? undefined })}
              style={{ width: 110 }}
            />
            <InputNumber
              min={0}
              max={130}
              placeholder={t('elders.list.ageMax')}
              value={filters.ageMax}
              onChange={(v) => update({ ageMax: v ?? undefined })}
              style={{ width: 110 }}
            />
          </Space.Compact>
        </>
      }
      rowKey="id"
      size="middle"
      data-testid="elders-table"
      onRow={(r) => ({ onDoubleClick: () => navigate(`/console/elders/${r.id}`) })}
      columns={[
        {
          title: t('elders.field.name'),
          dataIndex: 'name',
          render: (name: string, r) => <Link to={`/console/elders/${r.id}`}>{name}</Link>,
        },
        { title: t('elders.field.sex'), dataIndex: 'sex', render: (s: 'male' | 'female') => t(`elders.sex.${s}`) },
        { title: t('elders.field.age'), dataIndex: 'age' },
        { title: t('elders.field.idNumber'), dataIndex: 'idNumberMasked', render: (v: string) => <code>{v}</code> },
        { title: t('elders.field.phone'), dataIndex: 'phoneMasked', render: (v: string | null) => v ?? t('common.none') },
        { title: t('elders.list.region'), dataIndex: 'regionName' },
        {
          title: t('elders.field.livingSituation'),
          dataIndex: 'livingSituation',
          render: (v: string) => t(`elders.living.${v as 'alone'}`),
        },
        {
          title: t('elders.field.categories'),
          dataIndex: 'categories',
          render: (cs: string[]) => cs.map((c) => <Tag key={c}>{t(`elders.category.${c as 'dibao'}`, { defaultValue: c })}</Tag>),
        },
        {
          title: t('elders.field.abilityLevel'),
          dataIndex: 'abilityLevel',
          render: (v: string | null) =>
            v ? <Tag color={LEVEL_COLOR[v]}>{t(`elders.level.${v as 'mild'}`)}</Tag> : <Tag>{t('elders.list.notAssessed')}</Tag>,
        },
        {
          title: t('elders.field.status'),
          dataIndex: 'status',
          render: (v: string) => (
            <Tag color={v === 'active' ? 'green' : v === 'deceased' ? 'default' : 'orange'}>
              {t(`elders.status.${v as 'active'}`)}
            </Tag>
          ),
        },
      ]}
    >
      <ImportWizard
        open={importing}
        onClose={() => {
          setImporting(false);
          list.reload();
        }}
      />
    </ListPage>
  );
}

export const LEVEL_COLOR: Record<string, string> = {
  intact: 'green',
  mild: 'blue',
  moderate: 'gold',
  severe: 'orange',
  total: 'red',
};
