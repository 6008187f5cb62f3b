import type { alarmsContract, BodyOf } from '@zhiyang/shared';
import { App, Card, Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { alarmsApi } from '../../api/alarms.ts';
import { respondersApi } from '../../api/responders.ts';
import { useAuth } from '../../app/auth.tsx';
import { problemText } from '../../app/problems.ts';
import { useFetch } from '../../app/useFetch.ts';
import { AlarmElderCard } from './AlarmElderCard.tsx';
import { AlarmHandling } from './AlarmHandling.tsx';
import { AlarmHistory } from './AlarmHistory.tsx';
import type { Alarm, ConsoleConfig, Responder } from './types.ts';

type ActionBody = BodyOf<typeof alarmsContract.addAction>;

/** One alarm: the elder card, contacts in call order, map, devices, history, actions, dispatch, resolve. */
export function AlarmCard({
  id,
  version,
  config,
  onChanged,
  onTake,
}: {
  id: string;
  version: number;
  config: ConsoleConfig | null;
  onChanged(a: Alarm): void;
  onTake(): void;
}) {
  const { t } = useTranslation();
  const { me } = useAuth();
  const { message } = App.useApp();
  const [local, setLocal] = useState(0);
  const detail = useFetch((signal) => alarmsApi.getAlarm({ params: { id }, signal }), `${id}-${version}-${local}`);
  const a = detail.data;
  const canHandle = Boolean(me?.permissions.includes('alarm:handle'));
  const inHand = Boolean(a?.open && a.status !== 'raised');
  const responders = useFetch(
    (signal) =>
      inHand && canHandle
        ? respondersApi.nearest({ query: { alarmId: id }, signal })
        : Promise.resolve({ items: [] as Responder[] }),
    `${id}-${inHand}-${local}`,
  );

  const act = async (fn: () => Promise<unknown>) => {
    try {
      const r = await fn();
      if (r && typeof r === 'object' && 'priority' in r) onChanged(r as Alarm);
      setLocal((v) => v + 1);
    } catch (e) {
      message.error(problemText(e, t));
    }
  };
  const action = (kind: string, extra: Record<string, unknown> = {}) =>
    act(() => alarmsApi.addAction({ params: { id }, body: { kind, ...extra } as ActionBody }));

  if (!a) return <Card loading />;
  return (
    <Space direction="vertical" style={{ width: '100%' }} size={12}>
      <AlarmElderCard id={id} a={a} config={config} canHandle={canHandle} inHand={inHand} onTake={onTake} action={action} />
      <AlarmHandling
        id={id}
        a={a}
        config={config}
        canHandle={canHandle}
        inHand={inHand}
        responders={responders}
        act={act}
        action={action}
      />
      <AlarmHistory a={a} />
    </Space>
  );
}
