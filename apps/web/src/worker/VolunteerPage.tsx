import { LogoutOutlined } from '@ant-design/icons';
import type { ResponseOf, volunteersContract } from '@zhiyang/shared';
import { Alert, App, Button, Card, DatePicker, InputNumber, Select, Space, Statistic, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { volunteersApi } from '../api/volunteers.ts';
import { useAuth } from '../app/auth.tsx';
import { formatDuration } from '../app/format.ts';
import { problemText } from '../app/problems.ts';
import { useFetch } from '../app/useFetch.ts';
import { MobileGate } from '../common/MobileLogin.tsx';
import { VolunteerCareVisits } from './CareVisitsPage.tsx';
import type { volunteerZhCN } from './volunteer.i18n.ts';

type Task = ResponseOf<typeof volunteersContract.myTasks>['items'][number];
type Kind = Task['kind'];
const big = { height: 52, fontSize: 18 };
const KINDS: Kind[] = ['call', 'visit', 'shopping', 'hospital'];
const dur = (minutes: number) => formatDuration(minutes * 60);

/**
 * The volunteer's phone page (/worker/volunteer): the time balance, my tasks (accept, check in by
 * position or by calling, finish with the minutes served; the community confirms and the hours are
 * credited), redeeming hours for a service for oneself or a relative, and the statement.
 */
export default function VolunteerPage() {
  const { t } = useTranslation();
  return (
    <MobileGate
      area="volunteer"
      path="/worker/volunteer"
      footer={
        <Link to="/worker/volunteer/register" style={{ display: 'block', marginTop: 24, fontSize: 18, textAlign: 'center' }}>
          {t('volunteer.register.link')}
        </Link>
      }
    >
      {() => <Volunteer />}
    </MobileGate>
  );
}

function Volunteer() {
  const { t } = useTranslation();
  const { logout } = useAuth();
  const [version, setVersion] = useState(0);
  const refresh = useCallback(() => setVersion((v) => v + 1), []);
  const me = useFetch((signal) => volunteersApi.me({ signal }), `volunteer-me-${version}`);
  const tasks = useFetch((signal) => volunteersApi.myTasks({ signal }), `volunteer-tasks-${version}`);
  const statement = useFetch((signal) => volunteersApi.myStatement({ query: { limit: 10 }, signal }), `volunteer-st-${version}`);
  const v = me.data?.volunteer;
  return (
    <div style={{ maxWidth: 520, margin: '0 auto', padding: 12, fontSize: 18, background: '#f4f7f6', minHeight: '100vh' }}>
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 8 }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('volunteer.title')}
          {v ? ` · ${v.name}` : ''}
        </Typography.Title>
        <Button icon={<LogoutOutlined />} aria-label={t('volunteer.logout')} onClick={() => void logout()} />
      </Space>
      {v?.status === 'pending' && <Alert type="info" showIcon message={t('volunteer.pending')} style={{ marginBottom: 12 }} />}
      {v?.status === 'disabled' && (
        <Alert type="warning" showIcon message={t('volunteer.disabled')} style={{ marginBottom: 12 }} />
      )}
      <Card style={{ marginBottom: 12 }}>
        <Space size="large">
          <Statistic title={t('volunteer.balance')} value={dur(statement.data?.balanceMinutes ?? 0)} />
          <Statistic
            title={t('volunteer.credited')}
            value={dur(statement.data?.creditedMinutes ?? 0)}
            valueStyle={{ fontSize: 18 }}
          />
          <Statistic
            title={t('volunteer.redeemed')}
            value={dur(statement.data?.redeemedMinutes ?? 0)}
            valueStyle={{ fontSize: 18 }}
          />
        </Space>
      </Card>
      <Typography.Title level={4}>{t('volunteer.myTasks')}</Typography.Title>
      {(tasks.data?.items ?? []).length === 0 && <Typography.Paragraph>{t('volunteer.noTasks')}</Typography.Paragraph>}
      {(tasks.data?.items ?? []).map((task) => (
        <TaskCard key={task.id} task={task} onChanged={refresh} />
      ))}
      {v?.status === 'approved' && (
        <>
          {/* 关爱巡访 visits assigned to the volunteer: the staff phone page's cards, offline queue and follow-ups. */}
          <Typography.Title level={4}>{t('careVisits.phone.volunteerTitle')}</Typography.Title>
          <VolunteerCareVisits onRecorded={refresh} />
        </>
      )}
      {me.data && v?.status === 'approved' && <Redeem me={me.data} onDone={refresh} />}
      <Typography.Title level={4}>{t('volunteer.statement')}</Typography.Title>
      <Card>
        {(statement.data?.items ?? []).map((e) => (
          <div key={e.id} style={{ display: 'flex', justifyContent: 'space-between', padding: '6px 0' }}>
            <span>
              {t(`volunteer.entryKinds.${e.kind}`)}
              {e.elderName ? ` · ${e.elderName}` : ''}
              <br />
              <Typography.Text type="secondary">{dayjs(e.at).format('YYYY-MM-DD HH:mm')}</Typography.Text>
            </span>
            <strong style={{ color: e.amount > 0 ? '#237804' : '#a8071a' }}>
              {e.amount > 0 ? '+' : '−'}
              {dur(Math.abs(e.amount))}
            </strong>
          </div>
        ))}
      </Card>
    </div>
  );
}

function TaskCard({ task, onChanged }: { task: Task; onChanged: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [minutes, setMinutes] = useState<number | null>(task.plannedMinutes);
  const [busy, setBusy] = useState(false);
  const run = async (work: () => Promise<unknown>) => {
    setBusy(true);
    try {
      await work();
      onChanged();
    } catch (e) {
      message.error(problemText(e, t));
    } finally {
      setBusy(false);
    }
  };
  const key = (step: string) => `volunteer-${step}-${task.id}`;
  const gps = () =>
    new Promise<GeolocationPosition>((resolve, reject) =>
      navigator.geolocation.getCurrentPosition(resolve, reject, { enableHighAccuracy: true, timeout: 15_000 }),
    );
  const checkIn = () =>
    run(async () => {
      if (task.kind === 'call')
        return volunteersApi.checkIn({
          params: { id: task.id },
          body: { method: 'call' },
          headers: { 'Idempotency-Key': key('in') },
        });
      let pos: GeolocationPosition;
      try {
        pos = await gps();
      } catch {
        message.error(t('volunteer.noGps'));
        return;
      }
      return volunteersApi.checkIn({
        params: { id: task.id },
        body: { method: 'gps', lat: pos.coords.latitude, lng: pos.coords.longitude },
        headers: { 'Idempotency-Key': key('in') },
      });
    });
  return (
    <Card style={{ marginBottom: 12 }} data-testid="volunteer-task">
      <Space style={{ width: '100%', justifyContent: 'space-between' }}>
        <strong>
          {t(`volunteer.kinds.${task.kind}`)} · {task.elderName}
        </strong>
        <Tag color={task.status === 'confirmed' ? 'green' : task.status === 'done' ? 'gold' : 'blue'}>
          {t(`volunteer.statuses.${task.status}`)}
        </Tag>
      </Space>
      {task.elderAddress && <div>{task.elderAddress}</div>}
      <Typography.Text type="secondary">
        {task.scheduledOn} · {t('volunteer.planned', { m: task.plannedMinutes })}
      </Typography.Text>
      {task.notes && <div>{task.notes}</div>}
      <div style={{ marginTop: 8 }}>
        {task.status === 'assigned' && (
          <Button
            type="primary"
            block
            style={big}
            loading={busy}
            onClick={() => run(() => volunteersApi.acceptTask({ params: { id: task.id }, body: {} }))}
          >
            {t('volunteer.accept')}
          </Button>
        )}
        {task.status === 'accepted' && (
          <Button type="primary" block style={big} loading={busy} onClick={checkIn}>
            {task.kind === 'call' ? t('volunteer.checkInCall') : t('volunteer.checkInGps')}
          </Button>
        )}
        {task.status === 'checked_in' && (
          <Space direction="vertical" style={{ width: '100%' }}>
            <span>{t('volunteer.minutesServed')}</span>
            <InputNumber
              aria-label={t('volunteer.minutesServed')}
              min={1}
              max={720}
              value={minutes}
              onChange={setMinutes}
              style={{ width: '100%', ...big }}
            />
            <Button
              type="primary"
              block
              style={big}
              loading={busy}
              disabled={!minutes}
              onClick={() =>
                run(() =>
                  volunteersApi.doneTask({
                    params: { id: task.id },
                    body: { minutes: minutes ?? task.plannedMinutes },
                    headers: { 'Idempotency-Key': key('done') },
                  }),
                )
              }
            >
              {t('volunteer.finish')}
            </Button>
          </Space>
        )}
        {task.status === 'done' && <Tag color="gold">{t('volunteer.waitConfirm')}</Tag>}
        {task.status === 'confirmed' && task.creditedMinutes != null && (
          <Tag color="green">{t('volunteer.credit', { d: dur(task.creditedMinutes) })}</Tag>
        )}
      </div>
    </Card>
  );
}

function Redeem({ me, onDone }: { me: ResponseOf<typeof volunteersContract.me>; onDone: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [elderId, setElderId] = useState<string | undefined>(me.beneficiaries[0]?.elderId);
  const [kind, setKind] = useState<Kind>('visit');
  const [minutes, setMinutes] = useState<number | null>(me.rules.minRedeemMinutes);
  const [day, setDay] = useState(dayjs().add(1, 'day'));
  const [busy, setBusy] = useState(false);
  if (!me.beneficiaries.length)
    return <Alert style={{ margin: '12px 0' }} type="info" showIcon message={t('volunteer.noBeneficiary')} />;
  const submit = async () => {
    const who = me.beneficiaries.find((b) => b.elderId === elderId);
    if (!who || !minutes) return;
    setBusy(true);
    try {
      await volunteersApi.redeem({
        body: {
          ...(who.beneficiary === 'relative' ? { elderId: who.elderId } : {}),
          kind,
          minutes,
          scheduledOn: day.format('YYYY-MM-DD'),
        },
        headers: { 'Idempotency-Key': `redeem-${crypto.randomUUID()}` },
      });
      message.success(t('volunteer.redeemedOk'));
      onDone();
    } catch (e) {
      message.error(problemText(e, t));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <Typography.Title level={4}>{t('volunteer.redeem')}</Typography.Title>
      <Card style={{ marginBottom: 12 }}>
        <Space direction="vertical" style={{ width: '100%' }}>
          <span>{t('volunteer.beneficiary')}</span>
          <Select
            aria-label={t('volunteer.beneficiary')}
            value={elderId}
            onChange={setElderId}
            size="large"
            options={me.beneficiaries.map((b) => ({
              value: b.elderId,
              label: `${b.elderName}（${b.beneficiary === 'self' ? t('volunteer.self') : t(`volunteer.relations.${(b.relation ?? 'other') as keyof typeof volunteerZhCN.relations}`)}）`,
            }))}
          />
          <span>{t('volunteer.kind')}</span>
          <Select
            aria-label={t('volunteer.kind')}
            value={kind}
            onChange={setKind}
            size="large"
            options={KINDS.map((k) => ({ value: k, label: t(`volunteer.kinds.${k}`) }))}
          />
          <span>{t('volunteer.minutes')}</span>
          <InputNumber
            aria-label={t('volunteer.minutes')}
            min={10}
            max={720}
            step={30}
            value={minutes}
            onChange={setMinutes}
            style={{ width: '100%' }}
            size="large"
          />
          <span>{t('volunteer.day')}</span>
          <DatePicker
            aria-label={t('volunteer.day')}
            value={day}
            onChange={(d) => d && setDay(d)}
            size="large"
            style={{ width: '100%' }}
            disabledDate={(d) => d.isBefore(dayjs(), 'day')}
          />
          <Typography.Text type="secondary">
            {t('volunteer.rules', { min: me.rules.minRedeemMinutes, month: me.rules.monthlyRedeemMinutes })}
          </Typography.Text>
          <Button type="primary" block style={big} loading={busy} onClick={submit}>
            {t('volunteer.submitRedeem')}
          </Button>
        </Space>
      </Card>
    </>
  );
}
