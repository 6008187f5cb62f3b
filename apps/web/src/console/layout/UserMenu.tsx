import { DownOutlined, KeyOutlined, LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { Avatar, Button, Dropdown, Flex, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { CHANGE_PASSWORD_PATH, LOGIN_PATH, useAuth, useMe } from '../../app/auth.tsx';

/** Name and role of the signed-in user, with change-password and logout. */
export function UserMenu() {
  const me = useMe();
  const { logout } = useAuth();
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <Dropdown
      menu={{
        items: [
          { key: 'password', icon: <KeyOutlined />, label: t('password.title') },
          { type: 'divider' },
          { key: 'logout', icon: <LogoutOutlined />, label: t('auth.logout'), danger: true },
        ],
        onClick: async ({ key }) => {
          if (key === 'password') navigate(CHANGE_PASSWORD_PATH);
          if (key === 'logout') {
            await logout();
            navigate(LOGIN_PATH, { replace: true });
          }
        },
      }}
    >
      <Button type="text" style={{ height: 48 }} data-testid="user-menu">
        <Flex align="center" gap={10}>
          <Avatar size="small" style={{ background: '#0f7b6c' }} icon={<UserOutlined />} />
          <Flex vertical align="flex-start" style={{ lineHeight: 1.25 }}>
            <Typography.Text strong>{me.displayName}</Typography.Text>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t(`roles.${me.role}`)}
            </Typography.Text>
          </Flex>
          <DownOutlined style={{ fontSize: 10, color: '#999' }} />
        </Flex>
      </Button>
    </Dropdown>
  );
}
