import { CameraOutlined, CloseOutlined, EnvironmentOutlined, LogoutOutlined } from '@ant-design/icons';
import {
  CARE_FOLLOW_UP_TYPES,
  CARE_NEEDS,
  type CareFollowUpType,
  type CareVisitForm,
  type careVisitsContract,
  type ResponseOf,
} from '@zhiyang/shared';
import { Alert, App, Button, Card, Checkbox, Input, Radio, Space, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { careVisitsApi } from '../api/care-visits.ts';
import { useAuth } from '../app/auth.tsx';
import { problemText } from '../app/problems.ts';
import { useFetch } from '../app/useFetch.ts';
import { MobileGate } from '../common/MobileLogin.tsx';
import { flushVisits, photoDataUrl, queuedVisits, recordVisit } from './care-visit-queue.ts';

type Visit = ResponseOf<typeof careVisitsContract.listVisits>['items'][number];
type Detail = ResponseOf<typeof careVisitsContract.getVisit>;
type Finding = Detail['findingList'][number];

/** 52 px targets, 18 px text: the worker taps these standing at a door. */
const big = { height: 52, fontSize: 18 };
const text = { fontSize: 18, color: '#222' };
const QUESTIONS = ['health', 'mood', 'gas', 'electricity', 'fallsRisk', 'food', 'hygiene', 'medicines'] as const;
const ANSWERS: { [K in (typeof QUESTIONS)[number]]: readonly CareVisitForm[K][] } = {
  health: ['good', 'fair', 'poor'],
  mood: ['good', 'fair', 'low'],
  gas: ['ok', 'hazard', 'none'],
  electricity: ['ok', 'hazard'],
  fallsRisk: ['low', 'high'],
  food: ['enough', 'short'],
  hygiene: ['ok', 'poor'],
  medicines: ['ok', 'problem', 'none'],
};
/** On the volunteer's page the same cards talk to the volunteer's own routes (/volunteer/care-visits). */
const VolunteerMode = createContext(false);
/** Called when a visit record reached the server (the volunteer's page reloads its tasks then). */
const RecordedListener = createContext<(() => void) | undefined>(undefined);
const MINUTES = [30, 60, 90, 120] as const;

/** A phone records the follow-ups it can start from the door; a service order is ordered at the console. */
const PHONE_FOLLOW_UPS = CARE_FOLLOW_UP_TYPES.filter((t) => t !== 'service_order');

/**
 * 关爱巡访 on the phone (/worker/visits): the community worker's or grid worker's visits — overdue,
 * today's, the next two weeks — each with check-in by position or the elder's card code, the short
 * form, notes and photos. A record made without network waits on the phone and is sent once
 * (Idempotency-Key) when the network is back; once sent, each finding can be followed up here.
 */
export default function CareVisitsPage() {
  return (
    <MobileGate area="worker" path="/worker/visits">
      {() => <Visits />}
    </MobileGate>
  );
}

/**
 * The volunteer's care visits on their page (/worker/volunteer): the same list, form, offline queue
 * and follow-ups as the staff page, through the volunteer's routes (only visits assigned to them).
 * `onRecorded` runs when a record reached the server, at once or from the offline queue: the
 * recorded visit is one of the volunteer's tasks, so the page shows it without a reload.
 */
export function VolunteerCareVisits({ onRecorded }: { onRecorded?: () => void }) {
  return (
    <VolunteerMode.Provider value={true}>
      <RecordedListener.Provider value={onRecorded}>
        <Visits />
      </RecordedListener.Provider>
    </VolunteerMode.Provider>
  );
}

function Visits() {
  const { t } = useTranslation();
  const volunteer = useContext(VolunteerMode);
  // Kept in a ref: the listener's identity must not restart the online watch below.
  const onRecorded = useContext(RecordedListener);
  const recorded = useRef(onRecorded);
  recorded.current = onRecorded;
  const { logout, me } = useAuth();
  const { message } = App.useApp();
  const [version, setVersion] = useState(0);
  const [waiting, setWaiting] = useState(queuedVisits().length);
  const today = dayjs().format('YYYY-MM-DD');
  const to = dayjs().add(14, 'day').format('YYYY-MM-DD');
  const list = useFetch(
    (signal) =>
      volunteer
        ? careVisitsApi.myVisits({ query: { status: 'scheduled', to, limit: 200 }, signal })
        : careVisitsApi.listVisits({ query: { assignee: 'me', status: 'scheduled', to, limit: 200 }, signal }),
    `care-visits-${volunteer}-${version}`,
  );
  // Visits recorded today (here or sent later from the queue): their findings can be followed up.
  const done = useFetch(
    (signal) =>
      volunteer
        ? careVisitsApi.myVisits({ query: { status: 'done', from: today, limit: 50 }, signal })
        : careVisitsApi.listVisits({ query: { assignee: 'me', status: 'done', from: today, limit: 50 }, signal }),
    `care-visits-done-${volunteer}-${version}`,
  );
  const refused = useCallback((_item: unknown, err: unknown) => void message.error(problemText(err, t)), [message, t]);
  useEffect(() => {
    const online = () => {
      const before = queuedVisits().length;
      return flushVisits(refused).then(() => {
        const left = queuedVisits().length;
        if (left < before) {
          message.success(t('careVisits.phone.sent'));
          recorded.current?.();
        }
        setWaiting(left);
        setVersion((v) => v + 1);
      });
    };
    window.addEventListener('online', online);
    void online();
    return () => window.removeEventListener('online', online);
  }, [refused, message, t]);

  const pending = new Set(waiting > 0 ? queuedVisits().map((q) => q.visitId) : []);
  const items = (list.data?.items ?? []).filter((v) => !pending.has(v.id));
  const sections: Array<[string, Visit[]]> = [
    [t('careVisits.phone.overdue'), items.filter((v) => v.dueOn < today)],
    [t('careVisits.phone.today'), items.filter((v) => v.dueOn === today)],
    [t('careVisits.phone.upcoming'), items.filter((v) => v.dueOn > today)],
  ];
  const submit = async (v: Visit, body: Parameters<typeof recordVisit>[1]) => {
    const sent = await recordVisit(v.id, body, refused, volunteer);
    setWaiting(queuedVisits().length);
    if (sent) {
      message.success(t('careVisits.phone.sent'));
      recorded.current?.();
    } else message.warning(t('careVisits.phone.queued', { n: queuedVisits().length }));
    setVersion((x) => x + 1);
  };
  const body = (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      {waiting > 0 && (
        <Alert
          type="warning"
          showIcon
          data-testid="visits-queued"
          message={<span style={{ fontSize: 18 }}>{t('careVisits.phone.queued', { n: waiting })}</span>}
        />
      )}
      {(done.data?.items ?? []).map((d) => (
        <DoneCard key={d.id} id={d.id} />
      ))}
      {!list.loading && items.length === 0 && (
        <Alert type="info" message={<span style={{ fontSize: 18 }}>{t('careVisits.phone.none')}</span>} />
      )}
      {sections.map(([title, vs]) =>
        vs.length ? (
          <section key={title} style={{ display: 'flex', flexDirection: 'column', gap: 12 }}>
            <Typography.Title level={4} style={{ margin: '8px 0 0', fontSize: 20 }}>
              {title} · {vs.length}
            </Typography.Title>
            {vs.map((v) => (
              <VisitCard key={v.id} v={v} onSubmit={(b) => submit(v, b)} />
            ))}
          </section>
        ) : null,
      )}
    </Space>
  );
  if (volunteer) return <div data-testid="volunteer-care-visits">{body}</div>;
  return (
    <div style={{ maxWidth: 520, margin: '0 auto', padding: 12, fontSize: 18, background: '#f4f7f6', minHeight: '100vh' }}>
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 8 }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('careVisits.phone.title')}
        </Typography.Title>
        <Space>
          <Button href={me?.role === 'responder' ? '/worker/respond' : '/console'} style={{ height: 48, fontSize: 16 }}>
            {me?.role === 'responder' ? t('careVisits.phone.back') : t('careVisits.phone.backConsole')}
          </Button>
          <Button
            icon={<LogoutOutlined />}
            aria-label={t('careVisits.phone.logout')}
            style={{ height: 48 }}
            onClick={() => void logout()}
          />
        </Space>
      </Space>
      {body}
    </div>
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

function Question({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <div style={{ ...text, fontWeight: 600, marginBottom: 6 }}>{label}</div>
      {children}
    </div>
  );
}

function VisitCard({ v, onSubmit }: { v: Visit; onSubmit(body: Parameters<typeof recordVisit>[1]): Promise<void> }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const [pos, setPos] = useState<{ lat: number; lng: number } | null>(null);
  const [qr, setQr] = useState('');
  const [outcome, setOutcome] = useState<'met' | 'not_home'>('met');
  const [form, setForm] = useState<Partial<CareVisitForm>>({ needs: [] });
  const [notes, setNotes] = useState('');
  const [photos, setPhotos] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const volunteer = useContext(VolunteerMode);
  const [minutes, setMinutes] = useState<number>(30);
  const input = useRef<HTMLInputElement>(null);
  const complete = outcome === 'not_home' || QUESTIONS.every((q) => form[q] !== undefined);
  const locate = async () => {
    message.loading({ content: t('careVisits.phone.locating'), key: 'gps' });
    const p = await position();
    message.destroy('gps');
    if (!p) message.error(t('careVisits.phone.noGps'));
    setPos(p);
  };
  const send = async () => {
    setBusy(true);
    try {
      await onSubmit({
        outcome,
        ...(qr ? { qr } : (pos ?? {})),
        ...(outcome === 'met' ? { form: { ...form, needs: form.needs ?? [] } as CareVisitForm } : {}),
        ...(notes.trim() ? { notes: notes.trim() } : {}),
        ...(photos.length ? { photos } : {}),
        ...(volunteer ? { minutes } : {}),
      });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card styles={{ body: { padding: 16 } }} data-testid={`visit-${v.id}`}>
      <Space direction="vertical" style={{ width: '100%' }}>
        <Space style={{ justifyContent: 'space-between', width: '100%' }} wrap>
          <Typography.Text strong style={{ fontSize: 22 }}>
            {v.elderName}
          </Typography.Text>
          {v.riskLevel && (
            <Tag color={v.riskLevel === 'high' ? 'red' : v.riskLevel === 'medium' ? 'orange' : 'green'} style={{ fontSize: 16 }}>
              {t(`careVisits.risk.${v.riskLevel}`)}
            </Tag>
          )}
        </Space>
        <Typography.Text style={text}>
          <EnvironmentOutlined /> {v.elderAddress ?? v.regionName ?? ''}
        </Typography.Text>
        <Space wrap size={4}>
          {v.groups.map((g) => (
            <Tag key={g} style={{ fontSize: 15 }}>
              {t(`careVisits.groups.${g}`)}
            </Tag>
          ))}
        </Space>
        <Typography.Text style={{ ...text, color: v.overdue ? '#a8071a' : '#555' }}>
          {t('careVisits.phone.due', { d: dayjs(v.dueOn).format('M月D日') })}
          {v.escalated ? ` · ${t('careVisits.common.escalated')}` : ''}
        </Typography.Text>
        {!open ? (
          <Button type="primary" block style={big} onClick={() => setOpen(true)}>
            {t('careVisits.phone.start')}
          </Button>
        ) : (
          <Space direction="vertical" style={{ width: '100%' }} size="middle">
            <Button block icon={<EnvironmentOutlined />} style={big} onClick={() => void locate()} data-testid="locate">
              {pos ? `${t('careVisits.phone.located')} ✓` : t('careVisits.phone.checkInGps')}
            </Button>
            <Input
              placeholder={t('careVisits.phone.qr')}
              value={qr}
              onChange={(e) => setQr(e.target.value.trim())}
              style={{ height: 48, fontSize: 18 }}
            />
            <Question label={t('careVisits.phone.outcome')}>
              <Radio.Group
                optionType="button"
                buttonStyle="solid"
                value={outcome}
                onChange={(e) => setOutcome(e.target.value)}
                options={(['met', 'not_home'] as const).map((o) => ({
                  value: o,
                  label: <span style={{ fontSize: 18 }}>{t(`careVisits.visits.outcomes.${o}`)}</span>,
                }))}
              />
            </Question>
            {outcome === 'met' && (
              <>
                {QUESTIONS.map((q) => (
                  <Question key={q} label={t(`careVisits.form.${q}`)}>
                    <Radio.Group
                      optionType="button"
                      buttonStyle="solid"
                      value={form[q]}
                      onChange={(e) => setForm((f) => ({ ...f, [q]: e.target.value }))}
                      data-testid={`q-${q}`}
                      options={ANSWERS[q].map((a) => ({
                        value: a,
                        label: (
                          <span style={{ fontSize: 18, lineHeight: '44px' }}>
                            {t(`careVisits.form.answers.${q}.${a}` as never)}
                          </span>
                        ),
                      }))}
                    />
                  </Question>
                ))}
                <Question label={t('careVisits.form.needs')}>
                  <Checkbox.Group
                    value={form.needs}
                    onChange={(needs) => setForm((f) => ({ ...f, needs: needs as CareVisitForm['needs'] }))}
                    options={CARE_NEEDS.map((n) => ({
                      value: n,
                      label: <span style={{ fontSize: 18 }}>{t(`careVisits.needs.${n}`)}</span>,
                    }))}
                  />
                </Question>
              </>
            )}
            <Input.TextArea
              rows={3}
              placeholder={t('careVisits.phone.notes')}
              value={notes}
              maxLength={1000}
              onChange={(e) => setNotes(e.target.value)}
              style={{ fontSize: 18 }}
            />
            <input
              ref={input}
              type="file"
              accept="image/jpeg,image/png,image/webp"
              capture="environment"
              hidden
              data-testid={`photo-${v.id}`}
              onChange={async (e) => {
                const files = Array.from(e.target.files ?? []);
                e.target.value = '';
                const urls = await Promise.all(files.map(photoDataUrl));
                setPhotos((p) => [...p, ...urls].slice(0, 3));
              }}
            />
            <Button
              block
              icon={<CameraOutlined />}
              style={big}
              disabled={photos.length >= 3}
              onClick={() => input.current?.click()}
            >
              {t('careVisits.phone.photo')}
            </Button>
            {photos.length > 0 && (
              <div style={{ display: 'flex', gap: 16, flexWrap: 'wrap' }}>
                {photos.map((p, i) => (
                  <div key={p.slice(-24) + String(i)} style={{ position: 'relative', width: 96, height: 96, marginTop: 12 }}>
                    <img src={p} alt="" style={{ width: 96, height: 96, objectFit: 'cover', borderRadius: 6 }} />
                    <Button
                      shape="circle"
                      danger
                      icon={<CloseOutlined />}
                      style={{ position: 'absolute', top: -12, right: -12, width: 44, height: 44 }}
                      onClick={() => setPhotos((list) => list.filter((_, j) => j !== i))}
                    />
                  </div>
                ))}
                <span style={{ fontSize: 16, color: '#555' }}>{t('careVisits.phone.photoCount', { n: photos.length })}</span>
              </div>
            )}
            {volunteer && (
              <Question label={t('careVisits.phone.minutes')}>
                <Radio.Group
                  optionType="button"
                  buttonStyle="solid"
                  value={minutes}
                  onChange={(e) => setMinutes(e.target.value)}
                  data-testid="visit-minutes"
                  options={MINUTES.map((m) => ({
                    value: m,
                    label: <span style={{ fontSize: 18 }}>{t('careVisits.phone.minutesN', { n: m })}</span>,
                  }))}
                />
              </Question>
            )}
            <Button type="primary" block style={big} disabled={busy || !complete || (!pos && !qr)} onClick={() => void send()}>
              {t('careVisits.phone.submit')}
            </Button>
          </Space>
        )}
      </Space>
    </Card>
  );
}

/** A visit the server has: its findings, each with a one-step follow-up. */
function DoneCard({ id }: { id: string }) {
  const volunteer = useContext(VolunteerMode);
  const visit = useFetch(
    (signal) => (volunteer ? careVisitsApi.myVisit : careVisitsApi.getVisit)({ params: { id }, signal }),
    `care-visit-${id}`,
  );
  return visit.data ? <DoneDetail d={visit.data} /> : null;
}

function DoneDetail({ d }: { d: Detail }) {
  const { t } = useTranslation();
  const [made, setMade] = useState(d.followUps);
  return (
    <Card styles={{ body: { padding: 16 } }} data-testid={`done-${d.id}`}>
      <Space direction="vertical" style={{ width: '100%' }}>
        <Typography.Text strong style={{ fontSize: 22 }}>
          {d.elderName} · {t('careVisits.phone.doneToday')}
        </Typography.Text>
        <Typography.Text style={text}>
          {d.findingList.length ? t('careVisits.phone.findings') : t('careVisits.phone.noFindings')}
        </Typography.Text>
        {d.findingList.map((f) => (
          <FindingRow
            key={f.id}
            f={f}
            made={made.filter((m) => m.findingId === f.id)}
            onMade={(m) => setMade((l) => [...l, m])}
          />
        ))}
      </Space>
    </Card>
  );
}

function FindingRow({
  f,
  made,
  onMade,
}: {
  f: Finding;
  made: Detail['followUps'];
  onMade(m: Detail['followUps'][number]): void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const [type, setType] = useState<CareFollowUpType>(f.severity === 'urgent' ? 'alarm' : 'home_adaptation');
  const [detail, setDetail] = useState('');
  const [busy, setBusy] = useState(false);
  const volunteer = useContext(VolunteerMode);
  const label = useMemo(
    () => `${t(`careVisits.findings.${f.type}`)}${f.detail ? `：${t(`careVisits.needs.${f.detail}` as never)}` : ''}`,
    [f, t],
  );
  const create = async () => {
    setBusy(true);
    try {
      const m = await (volunteer ? careVisitsApi.createMyFollowUp : careVisitsApi.createFollowUp)({
        body: { findingId: f.id, type, detail: detail.trim() },
      });
      message.success(t('careVisits.phone.followUpSent', { type: t(`careVisits.followUpTypes.${type}`) }));
      onMade(m);
      setOpen(false);
      setDetail('');
    } catch (e) {
      message.error(problemText(e, t));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div style={{ borderTop: '1px solid #eee', paddingTop: 8 }} data-testid={`finding-${f.type}`}>
      <Space style={{ width: '100%', justifyContent: 'space-between' }} wrap>
        <Tag color={f.severity === 'urgent' ? 'red' : 'orange'} style={{ fontSize: 16, padding: '4px 8px' }}>
          {label}
        </Tag>
        {!open && (
          <Button style={{ height: 48, fontSize: 18 }} onClick={() => setOpen(true)}>
            {t('careVisits.phone.followUp')}
          </Button>
        )}
      </Space>
      {made.map((m) => (
        <div key={m.id} style={{ fontSize: 16, color: '#237804', marginTop: 4 }}>
          ✓ {t(`careVisits.followUpTypes.${m.type}`)} · {t('careVisits.followUps.deadline')} {m.deadline}
        </div>
      ))}
      {open && (
        <Space direction="vertical" style={{ width: '100%', marginTop: 8 }}>
          <Radio.Group
            value={type}
            onChange={(e) => setType(e.target.value)}
            style={{ display: 'flex', flexDirection: 'column', gap: 8 }}
            options={PHONE_FOLLOW_UPS.map((x) => ({
              value: x,
              label: <span style={{ fontSize: 18 }}>{t(`careVisits.followUpTypes.${x}`)}</span>,
            }))}
          />
          <Input.TextArea
            rows={2}
            placeholder={t('careVisits.phone.followUpDetail')}
            value={detail}
            maxLength={500}
            onChange={(e) => setDetail(e.target.value)}
            style={{ fontSize: 18 }}
          />
          <Space style={{ width: '100%' }}>
            <Button type="primary" style={big} disabled={busy || detail.trim().length < 2} onClick={() => void create()}>
              {t('careVisits.followUps.create')}
            </Button>
            <Button style={big} onClick={() => setOpen(false)}>
              {t('careVisits.common.cancel')}
            </Button>
          </Space>
        </Space>
      )}
    </div>
  );
}
