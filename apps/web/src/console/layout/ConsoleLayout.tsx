import { HeartFilled } from '@ant-design/icons';
import { Flex, Layout, Menu, theme } from 'antd';
import { Suspense, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { useMe } from '../../app/auth.tsx';
import { useRealtimeConnection } from '../../app/realtime.ts';
import { LanguageSwitch } from '../../common/LanguageSwitch.tsx';
import { PageLoading } from '../common/lazyPage.tsx';
import { ConnectionIndicator } from './ConnectionIndicator.tsx';
import { buildMenu, selectedMenuKey } from './menu.tsx';
import { RegionSwitcher } from './RegionSwitcher.tsx';
import { UserMenu } from './UserMenu.tsx';

const { Sider, Header, Content } = Layout;

/** The console frame: side menu by permission, header with region, live status, language and account. */
export function ConsoleLayout() {
  const me = useMe();
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const [collapsed, setCollapsed] = useState(false);
  const { token } = theme.useToken();
  const items = useMemo(() => buildMenu(me.permissions, t, me.role), [me.permissions, t, me.role]);
  useRealtimeConnection(true);

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Sider
        theme="light"
        width={220}
        collapsible
        collapsed={collapsed}
        onCollapse={setCollapsed}
        breakpoint="lg"
        // Sticky, so the menu stays in view on long pages.
        style={{
          borderRight: `1px solid ${token.colorBorderSecondary}`,
          position: 'sticky',
          top: 0,
          height: '100vh',
        }}
      >
        {/* The menu scrolls inside the area above the collapse trigger (48 px), which would otherwise cover its last items. */}
        <div style={{ height: 'calc(100vh - 48px)', overflowY: 'auto', overflowX: 'hidden' }}>
          <Flex
            align="center"
            justify={collapsed ? 'center' : 'flex-start'}
            gap={10}
            style={{ height: 64, padding: collapsed ? 0 : '0 20px', overflow: 'hidden', whiteSpace: 'nowrap' }}
          >
            <Flex
              align="center"
              justify="center"
              style={{ width: 32, height: 32, flex: 'none', borderRadius: 8, background: token.colorPrimary }}
            >
              <HeartFilled style={{ color: '#fff', fontSize: 16 }} />
            </Flex>
            {!collapsed && (
              <Flex vertical style={{ lineHeight: 1.2 }}>
                <strong style={{ fontSize: 17, color: token.colorText }}>{t('app.name')}</strong>
                <span style={{ fontSize: 12, color: token.colorTextSecondary }}>{t('app.console')}</span>
              </Flex>
            )}
          </Flex>
          <Menu
            mode="inline"
            items={items}
            selectedKeys={[selectedMenuKey(pathname, items)]}
            onClick={({ key }) => navigate(key)}
            style={{ borderInlineEnd: 'none' }}
            data-testid="side-menu"
          />
        </div>
      </Sider>
      <Layout>
        <Header
          style={{
            background: token.colorBgContainer,
            borderBottom: `1px solid ${token.colorBorderSecondary}`,
            padding: '0 20px 0 24px',
            height: 64,
            display: 'flex',
            alignItems: 'center',
            gap: 12,
          }}
        >
          <RegionSwitcher />
          <div style={{ flex: 1 }} />
          <ConnectionIndicator />
          <LanguageSwitch />
          <UserMenu />
        </Header>
        <Content style={{ padding: 24, minWidth: 0 }}>
          <Suspense fallback={<PageLoading />}>
            <Outlet />
          </Suspense>
        </Content>
      </Layout>
    </Layout>
  );
}
