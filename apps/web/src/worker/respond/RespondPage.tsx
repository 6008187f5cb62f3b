import { AimOutlined, CompassOutlined } from '@ant-design/icons';
import type { DispatchStep, ResponderTask, ResponseOf, respondersContract } from '@zhiyang/shared';
import { App, Button, Card, Empty, Space, Switch, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { respondersApi } from '../../api/responders.ts';
import { useAuth } from '../../app/auth.tsx';
import { formatTime } from '../../app/format.ts';
import { problemText } from '../../app/problems.ts';
import { useRealtimeConnection, useRealtimeEvent } from '../../app/realtime.ts';
import { MobileLogin } from '../../common/MobileLogin.tsx';

type Tasks = ResponseOf<typeof respondersContract.myTasks>;
type Task = ResponderTask;
/** 48 px targets with 18 px text (issue 12): a responder taps these while hurrying. */
const BIG = { height: 48, fontSize: 18 };

/**
 * The responder's phone page (/worker/respond): on duty or not, share position (every 60 s
 * while on duty), the alarms dispatched to me with accept / decline, navigation, en route,
 * on site, done. New dispatches arrive over the WebSocket.
 */
export default function RespondPage() {
  const { t } = useTranslation();
  const { me, loading, login } = useAuth();
  const { message } = App.useApp();
  const [data, setData] = useState<Tasks | null>(null);
  useRealtimeConnection(Boolean(me));
  const load = useCallback(() => respondersApi.myTasks().then(setData), []);
  useEffect(() => {
    if (me) void load();
  }, [me, load]);
  useRealtimeEvent('alarm.dispatch', () => void load());

  const report = useCallback(
    (onDuty: boolean) =>
      new Promise<void>((resolve) => {
        const send = (pos?: GeolocationPosition) =>
          respondersApi
            .reportStatus({
              body: { onDuty, lat: pos?.coords.latitude, lng: pos?.coords.longitude, accuracy: pos?.coords.accuracy },
            })
            .then(() => load())
            .then(
              () => resolve(),
              (e) => {
                message.error(problemText(e, t));
                resolve();
              },
            );
        if (!navigator.geolocation) return void send();
        navigator.geolocation.getCurrentPosition(
          (p) => void send(p),
          () => {
            message.warning(t('safety.respond.noGeo'));
            void send();
          },
          { enableHighAccuracy: true, timeout: 10_000 },
        );
      }),
    [load, message, t],
  );
  const onDuty = data?.status?.onDuty ?? false;
  useEffect(() => {
    if (!onDuty) return;
    const i = setInterval(() => void report(true), 60_000);
    return () => clearInterval(i);
  }, [onDuty, report]);

  const step = async (task: Task, s: DispatchStep) => {
    try {
      await respondersApi.updateDispatch({ params: { id: task.dispatchId, status: s } });
      await load();
    } catch (e) {
      message.error(problemText(e, t));
    }
  };

  if (loading) return null;
  if (!me)
    return (
      <MobileLogin
        tx={{ login: t('safety.respond.title'), username: t('auth.username'), password: t('auth.password') }}
        onLogin={login}
      />
    );
  return (
    <div style={{ maxWidth: 520, margin: '0 auto', padding: 12, fontSize: 18, background: '#f4f7f6', minHeight: '100vh' }}>
      <Typography.Title level={3}>{t('safety.respond.title')}</Typography.Title>
      <Card style={{ marginBottom: 12 }}>
        <Space style={{ width: '100%', justifyContent: 'space-between' }}>
          {/* The whole label is the 48 px target; a click on it toggles the switch. */}
          <label
            htmlFor="respond-on-duty"
            style={{ display: 'flex', alignItems: 'center', gap: 8, minHeight: 48, cursor: 'pointer' }}
          >
            <Switch id="respond-on-duty" checked={onDuty} onChange={(v) => void report(v)} />
            <strong>{onDuty ? t('safety.respond.onDuty') : t('safety.respond.offDuty')}</strong>
          </label>
          <Button
            style={BIG}
            icon={<AimOutlined />}
            onClick={() => void report(onDuty).then(() => message.success(t('safety.respond.shared')))}
          >
            {t('safety.respond.share')}
          </Button>
        </Space>
        {data?.status && (
          <Typography.Text style={{ fontSize: 16, color: '#555' }}>{formatTime(data.status.seenAt)}</Typography.Text>
        )}
      </Card>
      {/* The grid worker's 关爱巡访 visits (issue 18) are on their own phone page. */}
      <Button block href="/worker/visits" style={{ ...BIG, marginBottom: 12 }}>
        {t('careVisits.phone.title')}
      </Button>
      <Typography.Title level={4}>{t('safety.respond.tasks')}</Typography.Title>
      {!data?.items.length && <Empty description={t('safety.respond.none')} />}
      {data?.items.map((task) => (
        <Card
          key={task.dispatchId}
          style={{ marginBottom: 12, borderLeft: `6px solid ${task.priority === 'P1' ? '#cf1322' : '#d46b08'}` }}
        >
          <Space direction="vertical" style={{ width: '100%' }}>
            <Space>
              <Tag color={task.priority === 'P1' ? 'red' : 'orange'} style={{ fontSize: 16, padding: '4px 8px' }}>
                {task.priority}
              </Tag>
              <strong style={{ fontSize: 20 }}>
                {t(`safety.type.${task.alarmType}` as never, { defaultValue: task.alarmType })}
              </strong>
            </Space>
            <div style={{ fontSize: 18 }}>{task.elderName}</div>
            <div style={{ fontSize: 18, color: '#222' }}>{task.address}</div>
            <Space wrap>
              {task.navigationUrl && (
                <Button style={BIG} icon={<CompassOutlined />} href={task.navigationUrl} target="_blank">
                  {t('safety.respond.navigate')}
                </Button>
              )}
              {task.status === 'offered' && (
                <>
                  <Button type="primary" size="large" style={BIG} onClick={() => void step(task, 'accept')}>
                    {t('safety.respond.accept')}
                  </Button>
                  <Button size="large" style={BIG} onClick={() => void step(task, 'decline')}>
                    {t('safety.respond.decline')}
                  </Button>
                </>
              )}
              {task.status === 'accepted' && (
                <Button type="primary" size="large" style={BIG} onClick={() => void step(task, 'en-route')}>
                  {t('safety.respond.enRoute')}
                </Button>
              )}
              {(task.status === 'accepted' || task.status === 'en_route') && (
                <Button type="primary" size="large" style={BIG} onClick={() => void step(task, 'on-site')}>
                  {t('safety.respond.onSite')}
                </Button>
              )}
              {task.status === 'on_site' && (
                <Button type="primary" size="large" style={BIG} onClick={() => void step(task, 'done')}>
                  {t('safety.respond.done')}
                </Button>
              )}
            </Space>
          </Space>
        </Card>
      ))}
    </div>
  );
}
