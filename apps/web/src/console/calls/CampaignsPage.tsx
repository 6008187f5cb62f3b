import type { Campaign } from '@zhiyang/shared';
import { Alert, App, Button, Card, Flex, Space, Table, Tabs, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { campaignsApi } from '../../api/campaigns.ts';
import { problemText } from '../../app/problems.ts';
import { useRegions } from '../../app/region.tsx';
import { useFetch } from '../../app/useFetch.ts';
import { CampaignFormDrawer } from './CampaignFormDrawer.tsx';
import { CareCallTasksTab } from './CareCallTasksTab.tsx';
import {
  type CampaignFormValues,
  campaignBodyOf,
  campaignPatchOf,
  describeRetry,
  describeTarget,
  formValuesOf,
  newCampaignValues,
} from './campaign-form.ts';

type Tab = 'campaigns' | 'tasks';
const nowrap = (text: string) => <span style={{ whiteSpace: 'nowrap' }}>{text}</span>;
/** A sentence that wraps only after its commas (never inside "80 岁及以上"). */
const phrases = (text: string) =>
  text.split(/(?<=[，,])\s*/).map((part, i) => (
    // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one fixed sentence.
    <span key={i} style={{ display: 'inline-block', whiteSpace: 'nowrap' }}>
      {part}
    </span>
  ));

/**
 * 关爱外呼活动: the supervisor's campaigns (whom to call, how often, when, retries, the script),
 * paused and resumed from the list, edited in a drawer; and a second tab with a day's tasks in her
 * region, so she sees who is called by whom and what is left unassigned.
 */
export function CampaignsPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const tab: Tab = params.get('tab') === 'tasks' ? 'tasks' : 'campaigns';
  return (
    <Card title={t('calls.campaigns.title')} styles={{ body: { paddingTop: 4 } }}>
      <Tabs
        activeKey={tab}
        onChange={(k) => setParams(k === 'tasks' ? { tab: 'tasks' } : {}, { replace: true })}
        items={[
          { key: 'campaigns', label: t('calls.campaigns.tabCampaigns'), children: <CampaignList /> },
          { key: 'tasks', label: t('calls.campaigns.tabTasks'), children: <CareCallTasksTab /> },
        ]}
      />
    </Card>
  );
}

function CampaignList() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const regions = useRegions();
  const list = useFetch((signal) => campaignsApi.listCampaigns({ query: { includeInactive: 'true' }, signal }), 'campaigns');
  const [editing, setEditing] = useState<Campaign | 'new' | null>(null);
  const [toggling, setToggling] = useState<string | null>(null);

  const defaultRegion = regions.selected ?? regions.tree[0]?.code ?? null;
  const values: CampaignFormValues = editing && editing !== 'new' ? formValuesOf(editing) : newCampaignValues(defaultRegion);

  async function save(v: CampaignFormValues) {
    if (editing === 'new') await campaignsApi.createCampaign({ body: campaignBodyOf(v) });
    else if (editing) await campaignsApi.updateCampaign({ params: { id: editing.id }, body: campaignPatchOf(v) });
    message.success(t('calls.campaigns.saved', { name: v.name.trim() }));
    setEditing(null);
    list.reload();
  }

  async function toggle(c: Campaign) {
    setToggling(c.id);
    try {
      await campaignsApi.updateCampaign({ params: { id: c.id }, body: { active: !c.active } });
      message.success(t(c.active ? 'calls.campaigns.paused_done' : 'calls.campaigns.resumed_done', { name: c.name }));
      list.reload();
    } catch (e) {
      message.error(problemText(e, t));
    } finally {
      setToggling(null);
    }
  }

  return (
    <>
      <Flex justify="end" style={{ marginBottom: 12 }} gap={8}>
        <Button onClick={list.reload}>{t('common.refresh')}</Button>
        <Button type="primary" onClick={() => setEditing('new')} data-testid="campaign-create">
          {t('calls.campaigns.create')}
        </Button>
      </Flex>
      {list.error !== undefined && (
        <Alert type="error" showIcon title={problemText(list.error, t)} style={{ marginBottom: 16 }} />
      )}
      <Table<Campaign>
        rowKey="id"
        dataSource={list.data?.items}
        loading={list.loading}
        pagination={false}
        locale={{ emptyText: t('calls.campaigns.noCampaigns') }}
        data-testid="campaigns"
        columns={[
          {
            title: t('calls.campaigns.name'),
            dataIndex: 'name',
            width: 230,
            render: (v: string, c) => (
              <Flex vertical>
                <Typography.Text strong>{v}</Typography.Text>
                <Typography.Text type="secondary">{regions.nameOf(c.regionCode) ?? c.regionCode}</Typography.Text>
              </Flex>
            ),
          },
          {
            title: t('calls.campaigns.target'),
            key: 'target',
            width: 190,
            render: (_, c) => phrases(describeTarget(c.target, t)),
          },
          {
            title: nowrap(t('calls.campaigns.schedule')),
            key: 'schedule',
            render: (_, c) => (
              <Flex vertical style={{ whiteSpace: 'nowrap' }}>
                <span>{t(`calls.campaigns.frequencies.${c.frequency}`)}</span>
                <Typography.Text type="secondary">{`${c.workStart}–${c.workEnd}`}</Typography.Text>
              </Flex>
            ),
          },
          {
            title: t('calls.campaigns.retry'),
            key: 'retry',
            width: 250,
            render: (_, c) => phrases(describeRetry(c, t, i18n.language)),
          },
          {
            title: nowrap(t('calls.campaigns.scriptShort')),
            key: 'script',
            render: (_, c) => (
              <span title={c.script.map((q, i) => `${i + 1}. ${q.text}`).join('\n')} style={{ whiteSpace: 'nowrap' }}>
                {t('calls.campaigns.questionsCount', { n: c.script.length })}
              </span>
            ),
          },
          {
            title: t('calls.campaigns.state'),
            dataIndex: 'active',
            render: (a: boolean) =>
              a ? <Tag color="green">{t('calls.campaigns.running')}</Tag> : <Tag>{t('calls.campaigns.paused')}</Tag>,
          },
          {
            title: t('calls.common.actions'),
            key: 'actions',
            render: (_, c) => (
              <Space size={4}>
                <Button size="small" onClick={() => setEditing(c)}>
                  {t('common.edit')}
                </Button>
                <Button size="small" loading={toggling === c.id} onClick={() => toggle(c)} data-testid="campaign-toggle">
                  {c.active ? t('calls.campaigns.pause') : t('calls.campaigns.resume')}
                </Button>
              </Space>
            ),
          },
        ]}
      />
      <CampaignFormDrawer
        open={editing !== null}
        editing={editing !== null && editing !== 'new'}
        values={values}
        onClose={() => setEditing(null)}
        onSubmit={save}
      />
    </>
  );
}
