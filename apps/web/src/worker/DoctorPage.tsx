import { EnvironmentOutlined, LogoutOutlined } from '@ant-design/icons';
import type { medicalContract, ResponseOf } from '@zhiyang/shared';
import { Alert, App, Button, Card, Checkbox, Input, InputNumber, Space, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { medicalApi } from '../api/medical.ts';
import { useAuth } from '../app/auth.tsx';
import { problemText } from '../app/problems.ts';
import { useFetch } from '../app/useFetch.ts';
import { MobileGate } from '../common/MobileLogin.tsx';

type Visit = ResponseOf<typeof medicalContract.listVisits>['items'][number];
type Referral = ResponseOf<typeof medicalContract.listReferrals>['items'][number];
type PlanItem = ResponseOf<typeof medicalContract.getEpisode>['planItems'][number];

const big = { height: 52, fontSize: 18 };
const VITALS = ['systolic', 'diastolic', 'pulse', 'temperature', 'glucose', 'spo2'] as const;
type VitalKey = (typeof VITALS)[number];
const UNITS: Record<VitalKey, string> = {
  systolic: 'mmHg',
  diastolic: 'mmHg',
  pulse: '次/分',
  temperature: '℃',
  glucose: 'mmol/L',
  spo2: '%',
};

/**
 * The family doctor's phone page (/worker/doctor): referrals waiting for the team (accept and visit
 * today, or refuse with a reason) and today's home visits — asked for, scheduled, 家庭病床 rounds —
 * each recorded at the door: check-in by position or the elder's card code, findings, advice,
 * vitals and, for a 家庭病床, the items done for medical insurance.
 */
export default function DoctorPage() {
  return (
    <MobileGate area="worker" path="/worker/doctor">
      {() => <Today />}
    </MobileGate>
  );
}

function Today() {
  const { t } = useTranslation();
  const { logout } = useAuth();
  const { message } = App.useApp();
  const [version, setVersion] = useState(0);
  const today = dayjs().format('YYYY-MM-DD');
  const visits = useFetch(
    (signal) => medicalApi.listVisits({ query: { mine: 'true', on: today, limit: 100 }, signal }),
    `doctor-visits-${version}`,
  );
  const referrals = useFetch(
    (signal) => medicalApi.listReferrals({ query: { status: 'pending', limit: 50 }, signal }),
    `doctor-referrals-${version}`,
  );
  const open = (visits.data?.items ?? []).filter((v) => v.status === 'requested' || v.status === 'scheduled');
  const done = (visits.data?.items ?? []).filter((v) => v.status === 'done');
  const refresh = () => setVersion((v) => v + 1);
  const answer = async (r: Referral, status: 'accepted' | 'rejected', note?: string) => {
    try {
      await medicalApi.updateReferral({
        params: { id: r.id },
        body: status === 'accepted' ? { status, scheduleVisitOn: today } : { status, note },
      });
      message.success(status === 'accepted' ? t('medical.phone.accepted') : t('medical.phone.rejected'));
      refresh();
    } catch (e) {
      message.error(problemText(e, t));
    }
  };
  return (
    <div style={{ maxWidth: 520, margin: '0 auto', padding: 12, fontSize: 18, background: '#f4f7f6', minHeight: '100vh' }}>
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 8 }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('medical.phone.title')}
        </Typography.Title>
        <Button
          icon={<LogoutOutlined />}
          aria-label={t('medical.phone.logout')}
          style={{ height: 48 }}
          onClick={() => void logout()}
        />
      </Space>
      <Space direction="vertical" style={{ width: '100%' }} size="middle">
        {(referrals.data?.items.length ?? 0) > 0 && (
          <Typography.Title level={4} style={{ margin: 0 }}>
            {t('medical.phone.referrals')}
          </Typography.Title>
        )}
        {referrals.data?.items.map((r) => (
          <ReferralCard key={r.id} r={r} onAnswer={answer} />
        ))}
        {visits.data && open.length === 0 && (
          <Alert
            type="info"
            showIcon
            message={<span style={{ fontSize: 18 }}>{done.length ? t('medical.phone.allDone') : t('medical.phone.empty')}</span>}
          />
        )}
        {open.map((v) => (
          <VisitCard key={v.id} v={v} onSaved={refresh} />
        ))}
        {done.length > 0 && (
          <Typography.Title level={4} style={{ margin: 0 }}>
            {t('medical.phone.doneToday')}
          </Typography.Title>
        )}
        {done.map((v) => (
          <Card key={v.id} size="small" data-testid="doctor-visit-done">
            <span style={{ fontSize: 18 }}>
              {v.elderName} <Tag color="green">{t('medical.phone.done')}</Tag>
            </span>
          </Card>
        ))}
      </Space>
    </div>
  );
}

function ReferralCard({ r, onAnswer }: { r: Referral; onAnswer(r: Referral, s: 'accepted' | 'rejected', note?: string): void }) {
  const { t } = useTranslation();
  const [refusing, setRefusing] = useState(false);
  const [note, setNote] = useState('');
  return (
    <Card size="small" data-testid="doctor-referral">
      <Space direction="vertical" style={{ width: '100%' }}>
        <span style={{ fontSize: 18, fontWeight: 600 }}>
          {r.elderName} {r.urgency === 'urgent' && <Tag color="red">{t('medical.phone.urgent')}</Tag>}
          {r.greenChannel && <Tag color="green">{t('medical.phone.green')}</Tag>}
        </span>
        <span style={{ fontSize: 16 }}>{t('medical.phone.reason', { text: r.reason })}</span>
        {refusing ? (
          <>
            <Input.TextArea aria-label={t('medical.phone.rejectReason')} value={note} onChange={(e) => setNote(e.target.value)} />
            <Button danger style={big} disabled={note.trim().length < 2} onClick={() => onAnswer(r, 'rejected', note.trim())}>
              {t('medical.phone.reject')}
            </Button>
          </>
        ) : (
          <Space>
            <Button type="primary" style={big} onClick={() => onAnswer(r, 'accepted')}>
              {t('medical.phone.accept')}
            </Button>
            <Button style={big} onClick={() => setRefusing(true)}>
              {t('medical.phone.reject')}
            </Button>
          </Space>
        )}
      </Space>
    </Card>
  );
}

function position(): Promise<{ lat: number; lng: number } | null> {
  return new Promise((resolve) => {
    if (!navigator.geolocation) return resolve(null);
    navigator.geolocation.getCurrentPosition(
      (p) => resolve({ lat: p.coords.latitude, lng: p.coords.longitude }),
      () => resolve(null),
      { enableHighAccuracy: true, timeout: 15_000, maximumAge: 30_000 },
    );
  });
}

function VisitCard({ v, onSaved }: { v: Visit; onSaved(): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const [where, setWhere] = useState<{ lat: number; lng: number } | null>(null);
  const [qr, setQr] = useState('');
  const [findings, setFindings] = useState('');
  const [advice, setAdvice] = useState('');
  const [vitals, setVitals] = useState<Partial<Record<VitalKey, number>>>({});
  const [items, setItems] = useState<PlanItem[]>([]);
  const [chosen, setChosen] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  // One key per record on this phone: a resend after a lost answer is the same record.
  const [key] = useState(() => crypto.randomUUID());
  const start = async () => {
    setOpen(true);
    if (v.episodeId) {
      const ep = await medicalApi.getEpisode({ params: { id: v.episodeId } }).catch(() => null);
      setItems(ep?.planItems ?? []);
      setChosen((ep?.planItems ?? []).map((i) => i.code));
    }
  };
  const locate = async () => {
    const p = await position();
    if (p) setWhere(p);
    else message.warning(t('medical.phone.gpsFailed'));
  };
  const submit = async () => {
    if (!where && qr.trim().length < 8) return void message.warning(t('medical.phone.needCheckIn'));
    if (!findings.trim()) return void message.warning(t('medical.phone.needFindings'));
    setBusy(true);
    try {
      const cleanVitals = Object.fromEntries(Object.entries(vitals).filter(([, x]) => typeof x === 'number'));
      await medicalApi.recordVisit({
        params: { id: v.id },
        headers: { 'Idempotency-Key': key },
        body: {
          ...(qr.trim().length >= 8 ? { qr: qr.trim() } : { lat: where?.lat, lng: where?.lng }),
          findings: findings.trim(),
          ...(advice.trim() ? { advice: advice.trim() } : {}),
          ...(Object.keys(cleanVitals).length ? { vitals: cleanVitals } : {}),
          ...(v.episodeId && chosen.length
            ? {
                billing: items
                  .filter((i) => chosen.includes(i.code))
                  .map((i) => ({ itemCode: i.code, itemName: i.name, quantity: 1, amountFen: i.amountFen })),
              }
            : {}),
        },
      });
      message.success(t('medical.phone.saved'));
      onSaved();
    } catch (e) {
      message.error(problemText(e, t));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card size="small" data-testid="doctor-visit">
      <Space direction="vertical" style={{ width: '100%' }}>
        <span style={{ fontSize: 20, fontWeight: 600 }}>
          {v.elderName} <span style={{ fontSize: 16, fontWeight: 400 }}>{t('medical.phone.age', { n: v.elderAge })}</span>{' '}
          <Tag color={v.source === 'episode' ? 'purple' : 'blue'}>{t(`medical.source.${v.source}`)}</Tag>
        </span>
        {v.address && <span style={{ fontSize: 16, color: '#444' }}>{v.address}</span>}
        <span style={{ fontSize: 16 }}>{t('medical.phone.reason', { text: v.reason })}</span>
        {!open ? (
          <Button type="primary" style={big} onClick={() => void start()}>
            {t('medical.phone.record')}
          </Button>
        ) : (
          <Space direction="vertical" style={{ width: '100%' }}>
            <Typography.Text strong style={{ fontSize: 18 }}>
              {t('medical.phone.checkIn')}
            </Typography.Text>
            <Button icon={<EnvironmentOutlined />} style={big} onClick={() => void locate()}>
              {where ? t('medical.phone.gpsOk') : t('medical.phone.gps')}
            </Button>
            <Input
              aria-label={t('medical.phone.qr')}
              placeholder={t('medical.phone.qr')}
              value={qr}
              onChange={(e) => setQr(e.target.value)}
            />
            <Typography.Text strong style={{ fontSize: 18 }}>
              {t('medical.phone.findings')}
            </Typography.Text>
            <Input.TextArea
              aria-label={t('medical.phone.findings')}
              rows={3}
              style={{ fontSize: 18 }}
              value={findings}
              onChange={(e) => setFindings(e.target.value)}
            />
            <Typography.Text strong style={{ fontSize: 18 }}>
              {t('medical.phone.vitals')}
            </Typography.Text>
            <div style={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: 8 }}>
              {VITALS.map((k) => (
                <InputNumber
                  key={k}
                  aria-label={t(`medical.phone.${k}`)}
                  placeholder={t(`medical.phone.${k}`)}
                  addonAfter={UNITS[k]}
                  style={{ width: '100%' }}
                  value={vitals[k] ?? null}
                  onChange={(x) => setVitals((old) => ({ ...old, [k]: x ?? undefined }))}
                />
              ))}
            </div>
            <Typography.Text strong style={{ fontSize: 18 }}>
              {t('medical.phone.advice')}
            </Typography.Text>
            <Input.TextArea
              aria-label={t('medical.phone.advice')}
              rows={2}
              style={{ fontSize: 18 }}
              value={advice}
              onChange={(e) => setAdvice(e.target.value)}
            />
            {items.length > 0 && (
              <>
                <Typography.Text strong style={{ fontSize: 18 }}>
                  {t('medical.phone.billing')}
                </Typography.Text>
                <Checkbox.Group
                  value={chosen}
                  onChange={(x) => setChosen(x as string[])}
                  options={items.map((i) => ({ value: i.code, label: `${i.name}（¥${(i.amountFen / 100).toFixed(2)}）` }))}
                />
              </>
            )}
            <Space>
              <Button type="primary" style={big} loading={busy} onClick={() => void submit()}>
                {t('medical.phone.submit')}
              </Button>
              <Button style={big} onClick={() => setOpen(false)}>
                {t('medical.phone.cancel')}
              </Button>
            </Space>
          </Space>
        )}
      </Space>
    </Card>
  );
}
