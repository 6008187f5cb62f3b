import { checkPassword, ROLES, type Role, type User } from '@zhiyang/shared';
import { Form, Input, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { usersApi } from '../../api/users.ts';
import { FormModal } from '../common/FormModal.tsx';
import { loginNameRule } from '../common/loginNameRule.ts';
import { RegionTreeSelect } from '../common/RegionTreeSelect.tsx';
import { usePrefillOnlyCommunity } from '../common/useOnlyCommunity.ts';
import { useOrgNames } from '../organizations/useOrgNames.ts';
import { PasswordRules } from '../password/PasswordRules.tsx';
import { ORG_TYPES_FOR_ROLE, scopeKind } from './userScope.ts';

interface UserForm {
  username: string;
  displayName: string;
  role: Role;
  regionCode?: string | null;
  orgId?: string | null;
  phone?: string;
  password?: string;
}

const FIELDS = ['username', 'displayName', 'role', 'regionCode', 'orgId', 'phone', 'password'] as const;

export interface UserSaved {
  user: User;
  initialPassword?: string;
}

interface Props {
  open: boolean;
  /** The user to edit; undefined to create one. */
  user?: User;
  onClose(): void;
  onSaved(result: UserSaved): void;
}

/** Create or edit an account. The phone is masked in lists, so editing only sends a newly typed one. */
export function UserFormModal({ open, user, onClose, onSaved }: Props) {
  const { t } = useTranslation();
  const [form] = Form.useForm<UserForm>();
  const role = Form.useWatch('role', form);
  const username = Form.useWatch('username', form) ?? user?.username ?? '';
  const password = Form.useWatch('password', form) ?? '';
  const orgs = useOrgNames();
  const kind = scopeKind(role);
  // A new community account of a community worker can only be of her community.
  usePrefillOnlyCommunity(form, 'regionCode', open && !user && kind === 'region');

  async function submit(values: UserForm) {
    // Exactly one of region and organisation scopes an account; the other is cleared on edit.
    const scope =
      kind === 'org'
        ? { orgId: values.orgId ?? null, ...(user ? { regionCode: null } : {}) }
        : { regionCode: values.regionCode ?? null, ...(user ? { orgId: null } : {}) };
    if (user) {
      const body = { displayName: values.displayName, role: values.role, ...scope, phone: values.phone || undefined };
      onSaved({ user: await usersApi.updateUser({ params: { id: user.id }, body }) });
    } else {
      const body = {
        username: values.username.trim(),
        displayName: values.displayName,
        role: values.role,
        ...scope,
        phone: values.phone || undefined,
        password: values.password || undefined,
      };
      onSaved(await usersApi.createUser({ body }));
    }
  }

  const required = (field: string) => ({ required: true, message: t('common.required', { field }) });
  const chosen = (field: string) => ({ required: true, message: t('common.select', { field }) });

  return (
    <FormModal<UserForm>
      open={open}
      title={user ? t('users.edit') : t('users.create')}
      form={form}
      mode="edit"
      fields={FIELDS}
      values={user && { ...user, phone: undefined }}
      onClose={onClose}
      onSubmit={submit}
      width={560}
    >
      <Form.Item
        name="username"
        label={t('users.username')}
        rules={[required(t('users.username')), ...(user ? [] : [loginNameRule(t)])]}
      >
        <Input autoComplete="off" disabled={Boolean(user)} maxLength={64} />
      </Form.Item>
      <Form.Item name="displayName" label={t('users.displayName')} rules={[required(t('users.displayName'))]}>
        <Input maxLength={64} />
      </Form.Item>
      <Form.Item name="role" label={t('users.role')} rules={[chosen(t('users.role'))]}>
        <Select
          options={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
          placeholder={t('common.select', { field: t('users.role') })}
          onChange={() => form.setFieldsValue({ orgId: undefined })}
        />
      </Form.Item>
      {kind === 'org' ? (
        <Form.Item name="orgId" label={t('users.org')} rules={[chosen(t('users.org'))]}>
          <Select
            showSearch={{ optionFilterProp: 'label' }}
            loading={orgs.loading}
            options={orgs.options(role ? ORG_TYPES_FOR_ROLE[role] : undefined)}
            placeholder={t('common.select', { field: t('users.org') })}
          />
        </Form.Item>
      ) : (
        <Form.Item name="regionCode" label={t('users.region')} rules={kind === 'region' ? [chosen(t('users.region'))] : []}>
          <RegionTreeSelect />
        </Form.Item>
      )}
      <Form.Item name="phone" label={t('users.phone')}>
        <Input inputMode="tel" maxLength={20} placeholder={user?.phone ?? undefined} />
      </Form.Item>
      {!user && (
        <>
          <Form.Item
            name="password"
            label={t('users.password')}
            extra={t('users.passwordHint')}
            rules={[
              {
                validator: async (_, value: string | undefined) => {
                  const problems = value ? checkPassword(value, username) : [];
                  if (problems.length) throw new Error(t(`passwordProblem.${problems[0]}`));
                },
              },
            ]}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          {password && <PasswordRules password={password} username={username} />}
        </>
      )}
    </FormModal>
  );
}
