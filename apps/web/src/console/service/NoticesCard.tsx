import { Alert, App, Button, List } from 'antd';
import { useTranslation } from 'react-i18next';
import { ordersApi } from '../../api/orders.ts';
import { formatTime } from '../../app/format.ts';
import { problemText } from '../../app/problems.ts';
import { useFetch } from '../../app/useFetch.ts';

/**
 * The caller's own unread service notices of one kind (from the daily job): overdue complaint
 * follow-ups on the complaints page, expiring licences and certificates on the providers page.
 * 知道了 marks one read and it leaves the list. Shows nothing when there are none.
 */
export function NoticesCard({ kind }: { kind: 'complaint' | 'document' }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const list = useFetch(
    (signal) => ordersApi.listNotices({ query: { kind, limit: 10, unread: 'true' }, signal }),
    `service-notices-${kind}`,
  );
  const markRead = async (id: string) => {
    try {
      await ordersApi.readNotice({ params: { id } });
      list.reload();
    } catch (err) {
      message.error(problemText(err, t));
    }
  };
  const items = list.data?.items ?? [];
  if (!items.length) return null;
  return (
    <Alert
      type="warning"
      showIcon
      message={t('service.notices.title', { n: items.length })}
      description={
        <List
          size="small"
          data-testid={`service-notices-${kind}`}
          dataSource={items}
          renderItem={(n) => (
            <List.Item
              extra={
                <>
                  {formatTime(n.createdAt)}
                  <Button type="link" size="small" onClick={() => void markRead(n.id)}>
                    {t('service.notices.markRead')}
                  </Button>
                </>
              }
            >
              {n.reason.endsWith('expired') || n.reason === 'complaint.overdue' ? '⚠ ' : ''}
              {n.body}
            </List.Item>
          )}
        />
      }
    />
  );
}
