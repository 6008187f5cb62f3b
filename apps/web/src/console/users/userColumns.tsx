import { DownOutlined, LockOutlined } from '@ant-design/icons';
import type { User, UserStatus } from '@zhiyang/shared';
import { App, Button, Dropdown, Flex, Space, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { formatTime } from '../../app/format.ts';
import { useRegions } from '../../app/region.tsx';
import { useOrgNames } from '../organizations/useOrgNames.ts';

interface Options {
  canWrite: boolean;
  meId: string;
  onEdit(user: User): void;
  onSetStatus(user: User, status: UserStatus): Promise<void>;
  onResetPassword(user: User): Promise<void>;
  onUnlock(user: User): Promise<void>;
}

/** Columns of the users table; the actions column appears only for `user:write`. */
export function useUserColumns({ canWrite, meId, onEdit, onSetStatus, onResetPassword, onUnlock }: Options): ColumnsType<User> {
  const { t } = useTranslation();
  const { modal } = App.useApp();
  const { nameOf } = useRegions();
  const orgs = useOrgNames();
  const columns: ColumnsType<User> = [
    {
      title: t('users.username'),
      dataIndex: 'username',
      render: (username: string, user) => (
        <Space size={6}>
          <Typography.Text strong>{username}</Typography.Text>
          {isLocked(user) && (
            <Tooltip title={`${t('users.locked')} · ${formatTime(user.lockedUntil)}`}>
              <LockOutlined style={{ color: '#cf1322' }} />
            </Tooltip>
          )}
        </Space>
      ),
    },
    {
      title: `${t('users.displayName')} / ${t('users.role')}`,
      dataIndex: 'displayName',
      render: (name: string, user) => (
        <Flex vertical>
          <span>{name}</span>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t(`roles.${user.role}`)}
          </Typography.Text>
        </Flex>
      ),
    },
    {
      title: t('users.scope'),
      key: 'scope',
      render: (_, user) =>
        user.orgId
          ? (orgs.nameOf(user.orgId) ?? user.orgId)
          : user.regionCode
            ? (nameOf(user.regionCode) ?? user.regionCode)
            : t('common.none'),
    },
    { title: t('users.phone'), dataIndex: 'phone', render: (phone: string | null) => phone ?? t('common.none') },
    {
      title: t('users.status'),
      dataIndex: 'status',
      render: (status: UserStatus, user) => (
        <Space size={4} wrap>
          <Tag color={status === 'active' ? 'green' : 'default'}>{t(`userStatus.${status}`)}</Tag>
          {user.mustChangePassword && <Tag color="orange">{t('users.mustChange')}</Tag>}
        </Space>
      ),
    },
    { title: t('users.lastLoginAt'), dataIndex: 'lastLoginAt', render: formatTime },
  ];
  if (!canWrite) return columns;
  columns.push({
    title: t('common.actions'),
    key: 'actions',
    fixed: 'right',
    render: (_, user) => (
      <Space size={0}>
        <Button type="link" size="small" onClick={() => onEdit(user)}>
          {t('common.edit')}
        </Button>
        {isLocked(user) && (
          <Button type="link" size="small" onClick={() => void onUnlock(user)} data-testid={`unlock-${user.username}`}>
            {t('users.unlock')}
          </Button>
        )}
        {user.id !== meId && (
          <Dropdown
            trigger={['click']}
            menu={{
              items: [
                user.status === 'active'
                  ? { key: 'disable', label: t('users.disable'), danger: true }
                  : { key: 'enable', label: t('users.enable') },
                { key: 'reset', label: t('users.resetPassword') },
              ],
              onClick: ({ key }) => {
                if (key === 'enable') onSetStatus(user, 'active');
                if (key === 'disable') {
                  modal.confirm({
                    title: `${t('users.disable')} · ${user.displayName}`,
                    content: t('users.disableConfirm'),
                    okButtonProps: { danger: true },
                    onOk: () => onSetStatus(user, 'disabled'),
                  });
                }
                if (key === 'reset') {
                  modal.confirm({
                    title: `${t('users.resetPassword')} · ${user.displayName}`,
                    content: t('users.resetConfirm'),
                    onOk: () => onResetPassword(user),
                  });
                }
              },
            }}
          >
            <Button type="link" size="small" aria-label={t('common.more')}>
              {t('common.more')} <DownOutlined style={{ fontSize: 10 }} />
            </Button>
          </Dropdown>
        )}
      </Space>
    ),
  });
  return columns;
}

/** Locked out from at least one address (the server unlocks every address at once). */
const isLocked = (user: User) => Boolean(user.lockedUntil && dayjs(user.lockedUntil).isAfter(dayjs()));
