import { CoffeeOutlined, PoweroffOutlined, UserOutlined } from '@ant-design/icons';
import type { CallAgent } from '@zhiyang/shared';
import { App, Button, Card, Dropdown, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ctiApi } from '../../api/cti.ts';
import { problemText } from '../../app/problems.ts';
import { durationText, STATE_COLOR, useNow } from './call-ui.ts';

const BREAK_REASONS = ['rest', 'meal', 'training', 'meeting', 'toilet', 'other'] as const;

/**
 * The agent's state bar: the current state and time in it, the 话后处理 countdown, and the states
 * the agent sets by hand (空闲, 小休 with a reason, 离线). Ringing, talking and after-call work
 * follow the calls; a break or going offline is refused by the server in the middle of a call.
 */
export function AgentStateBar({
  agent,
  skew,
  onChanged,
  extra,
}: {
  agent: CallAgent;
  /** Server clock minus this PC's. */
  skew: number;
  onChanged(a: CallAgent): void;
  extra?: React.ReactNode;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const now = useNow() + skew;
  const [saving, setSaving] = useState(false);
  const inCall = agent.state === 'ringing' || agent.state === 'talking';

  const set = async (state: 'idle' | 'break' | 'offline', reason?: string) => {
    setSaving(true);
    try {
      onChanged(await ctiApi.setMyState({ body: { state, ...(reason ? { reason } : {}) } }));
    } catch (e) {
      message.error(problemText(e, t));
    } finally {
      setSaving(false);
    }
  };

  const wrapLeft = agent.state === 'wrap_up' && agent.wrapUpEndsAt ? (Date.parse(agent.wrapUpEndsAt) - now) / 1000 : null;
  return (
    <Card size="small" data-testid="agent-state-bar">
      <Space size="large" wrap style={{ width: '100%', justifyContent: 'space-between' }}>
        <Space size="middle" wrap>
          <Typography.Text strong>{t('calls.console.myState')}</Typography.Text>
          <Tag
            color={STATE_COLOR[agent.state]}
            style={{ fontSize: 16, padding: '4px 12px' }}
            data-testid="agent-state"
            data-state={agent.state}
          >
            {t(`calls.state.${agent.state}`)}
            {agent.state === 'break' && agent.breakReason ? ` · ${agent.breakReason}` : ''}
          </Tag>
          <Typography.Text type="secondary" data-testid="agent-time-in-state">
            {t('calls.console.timeInState', { v: durationText((now - Date.parse(agent.stateSince)) / 1000) })}
          </Typography.Text>
          {wrapLeft !== null && (
            <Tag color={wrapLeft >= 0 ? 'purple' : 'red'} data-testid="wrap-up-countdown">
              {wrapLeft >= 0
                ? t('calls.console.wrapUpLeft', { v: durationText(wrapLeft) })
                : t('calls.console.wrapUpOver', { v: durationText(-wrapLeft) })}
            </Tag>
          )}
          <Typography.Text type="secondary">
            {t('calls.monitor.extension')} {agent.extension}
          </Typography.Text>
        </Space>
        <Space wrap>
          <Button
            type={agent.state === 'idle' ? 'primary' : 'default'}
            icon={<UserOutlined />}
            disabled={inCall || agent.state === 'idle'}
            loading={saving}
            onClick={() => void set('idle')}
            data-testid="state-idle"
          >
            {t('calls.console.setIdle')}
          </Button>
          <Dropdown
            disabled={inCall || saving}
            trigger={['click']}
            menu={{
              items: BREAK_REASONS.map((r) => ({ key: r, label: t(`calls.breakReason.${r}`) })),
              onClick: ({ key }) => void set('break', t(`calls.breakReason.${key as (typeof BREAK_REASONS)[number]}`)),
            }}
          >
            <Button icon={<CoffeeOutlined />} data-testid="state-break">
              {t('calls.console.setBreak')}
            </Button>
          </Dropdown>
          <Button
            icon={<PoweroffOutlined />}
            disabled={inCall || agent.state === 'offline'}
            loading={saving}
            onClick={() => void set('offline')}
            data-testid="state-offline"
          >
            {t('calls.console.setOffline')}
          </Button>
          {extra}
        </Space>
      </Space>
    </Card>
  );
}
