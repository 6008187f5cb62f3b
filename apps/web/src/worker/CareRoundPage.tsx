import { ArrowLeftOutlined, LogoutOutlined } from '@ant-design/icons';
import { type Admission, CARE_ITEMS } from '@zhiyang/shared';
import { Alert, App, Button, Card, Flex, Input, Spin, Typography } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { institutionsApi } from '../api/institutions.ts';
import { useAuth } from '../app/auth.tsx';
import { problemText } from '../app/problems.ts';
import { useFetch } from '../app/useFetch.ts';
import { MobileGate } from '../common/MobileLogin.tsx';
import { CareEntry, recordText } from './CareEntry.tsx';
import { flushCare, queuedCare, recordCare } from './care-record-queue.ts';

/** 56 px targets, 20 px text: a nurse taps these at the bedside. */
const big = { minHeight: 56, fontSize: 20 };

/**
 * 护理记录 on the phone (/worker/care) for an institution's nursing staff: the residents by bed,
 * then one resident's care plan for today with one large button per item — a tap records the item
 * once (kept on the phone with its Idempotency-Key when there is no network, sent when it is back).
 */
export default function CareRoundPage() {
  return (
    <MobileGate area="worker" path="/worker/care">
      {() => <Round />}
    </MobileGate>
  );
}

function Round() {
  const { t } = useTranslation();
  const { me, logout } = useAuth();
  const [resident, setResident] = useState<Admission>();
  const [q, setQ] = useState('');
  const orgId = me?.orgId ?? '';
  const list = useFetch(
    (signal) => institutionsApi.listAdmissions({ params: { id: orgId }, query: { status: 'admitted' }, signal }),
    orgId,
  );
  const bedOf = (a: Admission) => (a.bed ? `${a.bed.building} ${a.bed.room}-${a.bed.label}床` : '');
  const shown = (list.data?.items ?? [])
    .filter((a) => !q || a.elderName.includes(q) || bedOf(a).includes(q))
    .sort((a, b) => bedOf(a).localeCompare(bedOf(b), 'zh'));
  return (
    <div style={{ maxWidth: 560, margin: '0 auto', padding: 12, fontSize: 18 }}>
      <Flex justify="space-between" align="center" style={{ marginBottom: 12 }}>
        {resident ? (
          <Button icon={<ArrowLeftOutlined />} style={big} onClick={() => setResident(undefined)}>
            {t('institutions.round.back')}
          </Button>
        ) : (
          <Typography.Title level={3} style={{ margin: 0 }}>
            {t('institutions.round.title')}
          </Typography.Title>
        )}
        <Button icon={<LogoutOutlined />} style={big} onClick={logout}>
          {t('institutions.round.logout')}
        </Button>
      </Flex>
      {resident ? (
        <ResidentDay resident={resident} bed={bedOf(resident)} />
      ) : (
        <>
          <Input
            size="large"
            placeholder={t('institutions.round.search')}
            value={q}
            onChange={(e) => setQ(e.target.value)}
            style={{ marginBottom: 12, fontSize: 18 }}
          />
          {list.loading && <Spin />}
          <Flex vertical gap={8}>
            {shown.map((a) => (
              <Button
                key={a.id}
                style={{ ...big, height: 'auto', padding: '10px 16px', textAlign: 'left' }}
                block
                onClick={() => setResident(a)}
                data-testid="resident"
              >
                <Flex justify="space-between" style={{ width: '100%' }}>
                  <strong>{a.elderName}</strong>
                  <span style={{ color: '#555' }}>{bedOf(a)}</span>
                </Flex>
              </Button>
            ))}
          </Flex>
        </>
      )}
    </div>
  );
}

function ResidentDay({ resident, bed }: { resident: Admission; bed: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [version, setVersion] = useState(0);
  const [waiting, setWaiting] = useState(queuedCare().length);
  const day = useFetch((signal) => institutionsApi.careDay({ params: { id: resident.id }, signal }), `${resident.id}-${version}`);
  // Send what waited as soon as the network is back.
  useEffect(() => {
    const online = () =>
      flushCare().then(() => {
        setWaiting(queuedCare().length);
        setVersion((v) => v + 1);
      });
    window.addEventListener('online', online);
    void online();
    return () => window.removeEventListener('online', online);
  }, []);
  const pending = queuedCare().filter((q) => q.body.admissionId === resident.id);
  const tap = async (code: string, zh: string) => {
    const sent = await recordCare({ admissionId: resident.id, kind: 'care', item: code }, (_item, err) =>
      message.error(t('institutions.round.refused', { reason: problemText(err, t) })),
    );
    setWaiting(queuedCare().length);
    if (sent) message.success(t('institutions.round.recorded', { item: zh }));
    else message.warning(t('institutions.round.offline'));
    setVersion((v) => v + 1);
  };
  const zhOf = (code: string) => CARE_ITEMS.find((i) => i.code === code)?.zh ?? code;
  return (
    <Flex vertical gap={12}>
      <Card size="small">
        <Typography.Title level={3} style={{ margin: 0 }}>
          {resident.elderName}
        </Typography.Title>
        <div style={{ fontSize: 18, color: '#444' }}>
          {bed} · {resident.nursingLevel ? t(`institutions.nursing.${resident.nursingLevel}`) : ''}
        </div>
      </Card>
      {waiting > 0 && (
        <Alert type="warning" showIcon message={t('institutions.round.waiting', { n: waiting })} style={{ fontSize: 18 }} />
      )}
      <Typography.Text style={{ fontSize: 18 }}>
        {t('institutions.round.today')} · {t('institutions.round.tap')}
      </Typography.Text>
      {(day.data?.plan ?? resident.carePlan.map((p) => ({ ...p, done: 0 })))
        // Vital signs need readings (a form, not a tap): recorded with the API, not here.
        .filter((p) => p.code !== 'vitals')
        .map((p) => {
          const done = p.done + pending.filter((q) => q.body.item === p.code).length;
          return (
            <Button
              key={p.code}
              data-testid={`care-${p.code}`}
              type={done >= p.perDay ? 'default' : 'primary'}
              style={{ ...big, height: 64 }}
              block
              onClick={() => tap(p.code, p.zh)}
            >
              <Flex justify="space-between" style={{ width: '100%' }}>
                <strong>{p.zh}</strong>
                <span data-testid={`care-${p.code}-done`}>{t('institutions.round.done', { done, perDay: p.perDay })}</span>
              </Flex>
            </Button>
          );
        })}
      <CareEntry
        admissionId={resident.id}
        onRecorded={() => {
          setWaiting(queuedCare().length);
          setVersion((v) => v + 1);
        }}
      />
      <Card size="small" title={t('institutions.round.records')}>
        {(day.data?.records ?? []).length === 0 && <span style={{ color: '#666' }}>{t('institutions.round.none')}</span>}
        {(day.data?.records ?? []).map((r) => (
          <Flex key={r.id} justify="space-between" style={{ fontSize: 16 }}>
            <span>
              {dayjs(r.doneAt).format('HH:mm')} {recordText(r, zhOf, t)}
            </span>
            <span style={{ color: '#666' }}>{r.byName}</span>
          </Flex>
        ))}
      </Card>
    </Flex>
  );
}
