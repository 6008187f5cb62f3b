import { DownloadOutlined, GlobalOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { REGION_LEVELS, type Region, type RegionLevel } from '@zhiyang/shared';
import { App, Button, Card, Col, Input, Popconfirm, Row, Select, Space, Tag } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { regionImportTemplateUrl, regionsApi } from '../../api/regions.ts';
import { useAuth } from '../../app/auth.tsx';
import { useCountedList } from '../../app/counted-list.ts';
import { problemText } from '../../app/problems.ts';
import { useRegions } from '../../app/region.tsx';
import { ListPage } from '../common/ListPage.tsx';
import { BoundaryImportModal } from './BoundaryImportModal.tsx';
import { RegionFormModal } from './RegionFormModal.tsx';
import { RegionImportModal } from './RegionImportModal.tsx';
import { RegionTree } from './RegionTree.tsx';

const PAGE_SIZE = 20;
const LEVEL_COLOR: Record<RegionLevel, string> = { district: 'blue', street: 'cyan', community: 'green' };

/** /console/regions: the region tree on the left, the children of the chosen node on the right. */
export function RegionsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { can } = useAuth();
  const regions = useRegions();
  const [parent, setParent] = useState<string | null>(regions.selected);
  const [q, setQ] = useState('');
  const [level, setLevel] = useState<RegionLevel>();
  const [page, setPage] = useState(1);
  const [editing, setEditing] = useState<Region | 'new' | null>(null);
  const [importing, setImporting] = useState(false);
  // 导入边界 (a FeatureCollection) when true; 设置边界 of one region when a region.
  const [outlining, setOutlining] = useState<Region | true | null>(null);
  const canWrite = can('region:write');

  // Follow the header's region switcher.
  useEffect(() => {
    setParent(regions.selected);
    setPage(1);
  }, [regions.selected]);

  // The table shows the total: counted on the first page and kept while paging on.
  const filters = { parentCode: q ? undefined : (parent ?? undefined), q, level, limit: PAGE_SIZE };
  const list = useCountedList(
    (signal, count) => regionsApi.listRegions({ query: { ...filters, page, count: count ? 'true' : undefined }, signal }),
    JSON.stringify(filters),
    page,
  );

  function changed() {
    list.reload();
    void regions.reload();
  }

  async function remove(region: Region) {
    try {
      await regionsApi.deleteRegion({ params: { code: region.code } });
      message.success(t('common.deleted'));
      changed();
    } catch (err) {
      message.error(problemText(err, t));
    }
  }

  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} lg={7} xl={6}>
        <Card title={t('regions.tree')} styles={{ body: { maxHeight: 'calc(100vh - 200px)', overflow: 'auto' } }}>
          <RegionTree
            selected={parent}
            onSelect={(code) => {
              setParent(code);
              setPage(1);
            }}
          />
        </Card>
      </Col>
      <Col xs={24} lg={17} xl={18}>
        <ListPage<Region>
          list={list}
          page={page}
          pageSize={PAGE_SIZE}
          onPage={setPage}
          title={parent ? `${t('regions.title')} · ${regions.nameOf(parent) ?? parent}` : t('regions.title')}
          extra={
            <Space wrap>
              <Button icon={<DownloadOutlined />} href={regionImportTemplateUrl()}>
                {t('regions.template')}
              </Button>
              {canWrite && (
                <Button icon={<UploadOutlined />} onClick={() => setImporting(true)}>
                  {t('regions.import')}
                </Button>
              )}
              {canWrite && (
                <Button icon={<GlobalOutlined />} onClick={() => setOutlining(true)} data-testid="boundary-import">
                  {t('map.boundaries.import')}
                </Button>
              )}
              {canWrite && (
                <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>
                  {t('regions.create')}
                </Button>
              )}
            </Space>
          }
          filters={
            <>
              <Input.Search
                allowClear
                placeholder={t('regions.searchPlaceholder')}
                onSearch={(value) => {
                  setQ(value.trim());
                  setPage(1);
                }}
                style={{ width: 260 }}
              />
              <Select<RegionLevel>
                allowClear
                placeholder={t('regions.allLevels')}
                value={level}
                onChange={(value) => {
                  setLevel(value);
                  setPage(1);
                }}
                options={REGION_LEVELS.map((l) => ({ value: l, label: t(`regionLevels.${l}`) }))}
                style={{ width: 160 }}
              />
            </>
          }
          rowKey="code"
          columns={[
            { title: t('regions.code'), dataIndex: 'code', render: (code: string) => <code>{code}</code> },
            { title: t('regions.name'), dataIndex: 'name' },
            {
              title: t('regions.level'),
              dataIndex: 'level',
              render: (l: RegionLevel) => <Tag color={LEVEL_COLOR[l]}>{t(`regionLevels.${l}`)}</Tag>,
            },
            {
              title: t('regions.parent'),
              dataIndex: 'parentCode',
              render: (code: string | null) => (code ? (regions.nameOf(code) ?? code) : t('common.none')),
            },
            {
              title: `${t('regions.lat')} / ${t('regions.lng')}`,
              key: 'point',
              render: (_, r) => (r.lat != null && r.lng != null ? `${r.lat.toFixed(5)}, ${r.lng.toFixed(5)}` : t('common.none')),
            },
            ...(canWrite
              ? [
                  {
                    title: t('common.actions'),
                    key: 'actions',
                    render: (_: unknown, r: Region) => (
                      <Space size={0}>
                        <Button type="link" size="small" onClick={() => setEditing(r)}>
                          {t('common.edit')}
                        </Button>
                        <Button type="link" size="small" onClick={() => setOutlining(r)}>
                          {t('map.boundaries.set')}
                        </Button>
                        <Popconfirm
                          title={t('regions.deleteConfirm', { name: r.name })}
                          okText={t('common.delete')}
                          okButtonProps={{ danger: true }}
                          cancelText={t('common.cancel')}
                          onConfirm={() => remove(r)}
                          styles={{ root: { maxWidth: 320 } }}
                        >
                          <Button type="link" size="small" danger>
                            {t('common.delete')}
                          </Button>
                        </Popconfirm>
                      </Space>
                    ),
                  },
                ]
              : []),
          ]}
        ></ListPage>
      </Col>
      <RegionFormModal
        open={editing !== null}
        region={editing === 'new' || editing === null ? undefined : editing}
        codePrefix={parent ?? undefined}
        onClose={() => setEditing(null)}
        onSaved={() => {
          setEditing(null);
          message.success(t('common.saved'));
          changed();
        }}
      />
      <BoundaryImportModal
        open={outlining !== null}
        region={outlining === true ? null : outlining}
        onClose={() => setOutlining(null)}
      />
      <RegionImportModal open={importing} onClose={() => setImporting(false)} onImported={changed} />
    </Row>
  );
}
