import { type CallAgent, type CallHotline, ROLE_PERMISSIONS, ROLES } from '@zhiyang/shared';
import { Alert, App, Button, Form, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ctiApi } from '../../api/cti.ts';
import { usersApi } from '../../api/users.ts';
import { useAuth } from '../../app/auth.tsx';
import { problemText } from '../../app/problems.ts';
import { useRegions } from '../../app/region.tsx';
import { useFetch } from '../../app/useFetch.ts';
import { FormModal } from '../common/FormModal.tsx';
import { STATE_COLOR } from './call-ui.ts';
import { conflictOnField, type ListState, queuesServed, type TabProps } from './settings-ui.ts';

interface AgentForm {
  userId: string;
  extension: string;
  skills: string[];
}

/** Roles whose users may take calls: only their accounts can become agents. */
const CALL_ROLES = ROLES.filter((r) => ROLE_PERMISSIONS[r].includes('call:take'));
const EXTENSION = /^[A-Za-z0-9_.@-]{1,64}$/;

/** Agents (坐席): account, extension, skills, and the queues those skills let them take. */
export function AgentsTab({
  list,
  hotlines,
  skill,
  skillOptions,
}: TabProps & { list: ListState<CallAgent>; hotlines: readonly CallHotline[] }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { can } = useAuth();
  const regions = useRegions();
  const [editing, setEditing] = useState<CallAgent | 'new' | null>(null);
  const [form] = Form.useForm<AgentForm>();
  const agentIds = new Set((list.data?.items ?? []).map((a) => a.userId));
  // Accounts that may take calls and are not agents yet (only asked for while adding one).
  const candidates = useFetch(
    async (signal) =>
      editing === 'new' && can('user:read')
        ? (
            await Promise.all(
              CALL_ROLES.map((role) => usersApi.listUsers({ query: { role, status: 'active', limit: 200 }, signal })),
            )
          ).flatMap((r) => r.items)
        : [],
    `agent-candidates-${editing === 'new'}`,
  );

  return (
    <>
      <Space style={{ marginBottom: 12 }}>
        <Button type="primary" onClick={() => setEditing('new')} data-testid="agent-create">
          {t('calls.settings.agent.create')}
        </Button>
        <Button onClick={list.reload}>{t('common.refresh')}</Button>
      </Space>
      {list.error !== undefined && <Alert type="error" showIcon title={problemText(list.error, t)} />}
      <Typography.Paragraph type="secondary">{t('calls.settings.agent.notInContract')}</Typography.Paragraph>
      <Table<CallAgent>
        rowKey="userId"
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        pagination={false}
        locale={{ emptyText: t('calls.settings.agent.none') }}
        data-testid="agents"
        columns={[
          {
            title: t('calls.settings.agent.user'),
            dataIndex: 'displayName',
            render: (v: string, a) => (
              <Space direction="vertical" size={0}>
                {v}
                <Typography.Text type="secondary">{a.username}</Typography.Text>
              </Space>
            ),
          },
          { title: t('calls.settings.agent.extension'), dataIndex: 'extension' },
          {
            title: t('calls.settings.agent.skills'),
            dataIndex: 'skills',
            render: (s: string[]) =>
              s.length ? (
                <Space size={2} wrap>
                  {s.map((code) => (
                    <Tag key={code}>{skill(code)}</Tag>
                  ))}
                </Space>
              ) : (
                '—'
              ),
          },
          {
            title: t('calls.settings.agent.queues'),
            key: 'queues',
            render: (_, a) => {
              const served = queuesServed(a, hotlines);
              return served.length
                ? served.map((q) => `${q.hotlineName} · ${q.queueName}`).join('、')
                : t('calls.settings.agent.noQueues');
            },
          },
          { title: t('calls.settings.agent.region'), dataIndex: 'regionCode', render: (c: string) => regions.nameOf(c) ?? c },
          {
            title: t('calls.settings.agent.state'),
            dataIndex: 'state',
            render: (s: CallAgent['state']) => <Tag color={STATE_COLOR[s]}>{t(`calls.state.${s}`)}</Tag>,
          },
          {
            title: t('calls.common.actions'),
            key: 'actions',
            render: (_, a) => (
              <Button size="small" onClick={() => setEditing(a)}>
                {t('common.edit')}
              </Button>
            ),
          },
        ]}
      />
      <FormModal<AgentForm>
        open={editing !== null}
        mode="edit"
        title={editing === 'new' ? t('calls.settings.agent.create') : t('calls.settings.agent.edit')}
        form={form}
        fields={['userId', 'extension', 'skills']}
        values={
          editing && editing !== 'new'
            ? { userId: editing.userId, extension: editing.extension, skills: editing.skills }
            : { skills: [] }
        }
        onClose={() => setEditing(null)}
        onSubmit={async (v) => {
          try {
            if (editing === 'new')
              await ctiApi.registerAgent({ body: { userId: v.userId, extension: v.extension.trim(), skills: v.skills } });
            else if (editing)
              await ctiApi.updateAgent({
                params: { userId: editing.userId },
                body: { extension: v.extension.trim(), skills: v.skills },
              });
          } catch (err) {
            const marked = conflictOnField<keyof AgentForm>(err, (f, status) =>
              f === 'extension'
                ? t('calls.settings.errors.extensionTaken')
                : f === 'userId'
                  ? t(status === 409 ? 'calls.settings.errors.alreadyAgent' : 'calls.settings.errors.userCannotTakeCalls')
                  : undefined,
            );
            if (!marked) throw err;
            form.setFields(marked);
            return;
          }
          message.success(t('calls.settings.saved'));
          setEditing(null);
          list.reload();
        }}
      >
        <Form.Item
          name="userId"
          label={t('calls.settings.agent.user')}
          extra={editing === 'new' ? t('calls.settings.agent.userHint') : undefined}
          rules={[{ required: true }]}
        >
          {editing === 'new' ? (
            <Select
              showSearch
              optionFilterProp="label"
              loading={candidates.loading}
              placeholder={t('common.pleaseSelect')}
              options={(candidates.data ?? [])
                .filter((u) => !agentIds.has(u.id))
                .map((u) => ({
                  value: u.id,
                  label: `${u.displayName}（${u.username}）· ${t(`roles.${u.role}`)}`,
                }))}
              data-testid="agent-user"
            />
          ) : (
            <Select
              disabled
              options={editing ? [{ value: editing.userId, label: `${editing.displayName}（${editing.username}）` }] : []}
            />
          )}
        </Form.Item>
        <Form.Item
          name="extension"
          label={t('calls.settings.agent.extension')}
          extra={t('calls.settings.agent.extensionHint')}
          rules={[{ required: true }, { pattern: EXTENSION, message: t('calls.settings.errors.extensionFormat') }]}
        >
          <Input maxLength={64} data-testid="agent-extension" />
        </Form.Item>
        <Form.Item name="skills" label={t('calls.settings.agent.skills')} extra={t('calls.settings.agent.skillsHint')}>
          <Select mode="multiple" options={skillOptions} placeholder={t('common.pleaseSelect')} data-testid="agent-skills" />
        </Form.Item>
      </FormModal>
    </>
  );
}
