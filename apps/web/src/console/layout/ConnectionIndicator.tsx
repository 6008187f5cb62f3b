import { Badge, type BadgeProps, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import { type RealtimeStatus, useRealtimeStatus } from '../../app/realtime.ts';

const BADGE: Record<RealtimeStatus, BadgeProps['status']> = {
  open: 'success',
  connecting: 'processing',
  closed: 'error',
  idle: 'default',
};

/** A dot in the header telling whether live updates (the WebSocket) are flowing. */
export function ConnectionIndicator() {
  const status = useRealtimeStatus();
  const { t } = useTranslation();
  const label = t(`realtime.${status === 'idle' ? 'closed' : status}`);
  return (
    <Tooltip title={label}>
      <span
        data-testid="realtime-status"
        data-status={status}
        role="status"
        aria-label={label}
        style={{ display: 'inline-flex', padding: '0 8px', cursor: 'default' }}
      >
        <Badge status={BADGE[status]} />
      </span>
    </Tooltip>
  );
}
