import { PlusOutlined } from '@ant-design/icons';
import { ROLES, type Role, type User, type UserStatus } from '@zhiyang/shared';
import { App, Button, Input, Select } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { usersApi } from '../../api/users.ts';
import { useAuth, useMe } from '../../app/auth.tsx';
import { problemText } from '../../app/problems.ts';
import { useFetch } from '../../app/useFetch.ts';
import { ListPage } from '../common/ListPage.tsx';
import { type Secret, SecretModal } from '../common/SecretModal.tsx';
import { UserFormModal, type UserSaved } from './UserFormModal.tsx';
import { useUserColumns } from './userColumns.tsx';

const PAGE_SIZE = 20;

interface Filters {
  q: string;
  role?: Role;
  status?: UserStatus;
  page: number;
}

/** /console/users: accounts in the caller's scope, with create, edit, disable and password reset. */
export function UsersPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const me = useMe();
  const { can } = useAuth();
  const [filters, setFilters] = useState<Filters>({ q: '', page: 1 });
  const [editing, setEditing] = useState<User | 'new' | null>(null);
  const [secret, setSecret] = useState<Secret | null>(null);
  const query = { q: filters.q, role: filters.role, status: filters.status, limit: PAGE_SIZE, page: filters.page };
  const list = useFetch((signal) => usersApi.listUsers({ query, signal }), JSON.stringify(query));

  const update = (patch: Partial<Filters>) => setFilters((f) => ({ ...f, page: 1, ...patch }));

  async function act(run: () => Promise<void>) {
    try {
      await run();
      list.reload();
    } catch (err) {
      message.error(problemText(err, t));
    }
  }

  const columns = useUserColumns({
    canWrite: can('user:write'),
    meId: me.id,
    onEdit: (user) => setEditing(user),
    onSetStatus: (user, status) =>
      act(async () => {
        await usersApi.updateUser({ params: { id: user.id }, body: { status } });
        message.success(t('common.saved'));
      }),
    onResetPassword: (user) =>
      act(async () => {
        const res = await usersApi.resetPassword({ params: { id: user.id } });
        setSecret({ title: t('users.temporaryPasswordTitle'), name: user.displayName, value: res.temporaryPassword });
      }),
    onUnlock: (user) =>
      act(async () => {
        await usersApi.unlockUser({ params: { id: user.id } });
        message.success(t('users.unlocked'));
      }),
  });

  function onSaved({ user, initialPassword }: UserSaved) {
    const created = editing === 'new';
    setEditing(null);
    list.reload();
    if (initialPassword) {
      setSecret({ title: t('users.initialPasswordTitle'), name: user.displayName, value: initialPassword });
    } else {
      message.success(created ? t('users.created') : t('common.saved'));
    }
  }

  return (
    <ListPage<User>
      list={list}
      page={filters.page}
      pageSize={PAGE_SIZE}
      onPage={(page) => setFilters((f) => ({ ...f, page }))}
      title={t('users.title')}
      extra={
        can('user:write') && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="create-user">
            {t('users.create')}
          </Button>
        )
      }
      filters={
        <>
          <Input.Search
            allowClear
            placeholder={t('users.searchPlaceholder')}
            onSearch={(q) => update({ q: q.trim() })}
            style={{ width: 280 }}
            data-testid="user-search"
          />
          <Select<Role>
            allowClear
            placeholder={t('users.role')}
            value={filters.role}
            onChange={(role) => update({ role })}
            options={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
            style={{ width: 200 }}
          />
          <Select<UserStatus>
            allowClear
            placeholder={t('users.status')}
            value={filters.status}
            onChange={(status) => update({ status })}
            options={(['active', 'disabled'] as const).map((s) => ({ value: s, label: t(`userStatus.${s}`) }))}
            style={{ width: 140 }}
          />
        </>
      }
      rowKey="id"
      columns={columns}
      data-testid="users-table"
    >
      <UserFormModal
        open={editing !== null}
        user={editing === 'new' || editing === null ? undefined : editing}
        onClose={() => setEditing(null)}
        onSaved={onSaved}
      />
      <SecretModal secret={secret} onClose={() => setSecret(null)} />
    </ListPage>
  );
}
