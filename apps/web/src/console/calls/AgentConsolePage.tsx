import { FormOutlined, PhoneOutlined, SoundOutlined } from '@ant-design/icons';
import {
  type CallAgent,
  type CallDetail,
  type CallerCard,
  type EventData,
  isPartialEvent,
  type KbArticle,
  type PartialEventData,
} from '@zhiyang/shared';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Empty,
  Form,
  Input,
  Radio,
  Result,
  Row,
  Select,
  Space,
  Tag,
  TreeSelect,
  Typography,
} from 'antd';
import type { TFunction } from 'i18next';
import { type ReactNode, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { callsApi } from '../../api/calls.ts';
import { ctiApi } from '../../api/cti.ts';
import { eldersApi } from '../../api/elders.ts';
import { ApiError } from '../../app/api.ts';
import { useAuth } from '../../app/auth.tsx';
import { formatTimeSeconds } from '../../app/format.ts';
import { problemText } from '../../app/problems.ts';
import { useRealtimeEvent, useRealtimeStatus } from '../../app/realtime.ts';
import { useFetch } from '../../app/useFetch.ts';
import { beep, enableSound, flashTitle } from '../alarms/alarm-ui.ts';
import { AgentStateBar } from './AgentStateBar.tsx';
import { CallActions } from './CallActions.tsx';
import { CallerCardView } from './CallerCardView.tsx';
import { durationText, secondsBetween, useNow } from './call-ui.ts';
import { categoryTreeData, useCallCategories } from './categories.ts';
import { KnowledgePanel } from './KnowledgePanel.tsx';
import { LineControls, SoftphoneTag } from './LineControls.tsx';
import { ManualLogModal } from './ManualLogModal.tsx';
import { MicCheck } from './MicCheck.tsx';
import { SoftphoneContext, useSoftphone } from './softphone.ts';

type Ringing = EventData<'call.ringing'>;
type Party = Ringing['parties'][number];
interface CallForm {
  categoryCode?: string | null;
  subcategory?: string | null;
  notes?: string | null;
}

/**
 * 呼叫工作台, the agent's console. The state bar on top; when a call rings for this agent the
 * `call.ringing` event pops the caller's card at once, before the call is answered (one match:
 * that elder; several: the agent chooses; none: search the archive). Beside the card, the call
 * form (category tree, sub-category, notes), the one-step order / alarm / complaint, the
 * knowledge base, and 结束话后处理. 手工登记 logs a call taken on a desk phone.
 */
export function AgentConsolePage() {
  const { t } = useTranslation();
  const { me } = useAuth();
  const { message } = App.useApp();
  const status = useRealtimeStatus();
  const [agent, setAgent] = useState<CallAgent | 'none' | null>(null);
  const [skew, setSkew] = useState(0);
  const [call, setCall] = useState<CallDetail | null>(null);
  const [ringing, setRinging] = useState<Ringing | null>(null);
  const [card, setCard] = useState<CallerCard | null>(null);
  const [chosen, setChosen] = useState<Party | null>(null);
  const [logging, setLogging] = useState(false);
  const [finishing, setFinishing] = useState(false);
  const [form] = Form.useForm<CallForm>();
  const categoryCode = Form.useWatch('categoryCode', form);
  const categories = useCallCategories();
  const callRef = useRef(call);
  callRef.current = call;
  // Whether 接听 / 挂断 here reach the line (simulator or PBX) or the desk phone does them.
  const telephony = useFetch((signal) => ctiApi.telephony({ signal }), 'cti-telephony');
  // The browser's own phone where SIP is configured: registered while the agent is at work (not 离线).
  const sip = telephony.data?.sip ?? null;
  const softphone = useSoftphone(sip, typeof agent === 'object' && agent !== null && agent.state !== 'offline', telephony.reload);

  const loadAgent = useCallback(async () => {
    try {
      const a = await ctiApi.myAgent();
      setAgent(a);
      // Server clock minus ours: the server counted secondsInState up to its own now.
      setSkew(Date.parse(a.stateSince) + a.secondsInState * 1000 - Date.now());
      return a;
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) setAgent('none');
      else message.error(problemText(e, t));
      return null;
    }
  }, [message, t]);

  /** Open a call: its record and the caller's card, read together. */
  const openCall = useCallback(
    async (id: string, opts: { fresh?: boolean; unlessFinished?: boolean } = {}) => {
      try {
        const [c, k] = await Promise.all([
          callsApi.getCall({ params: { id } }),
          callsApi.callerCard({ params: { id } }).catch(() => null),
        ]);
        // The agent's record, or an agent event sent while 结束话后处理 was saving, may still name a
        // call whose after-call work is finished: it is not opened again.
        if (opts.unlessFinished && c.wrapUpEndedAt) return;
        setCall(c);
        if (k) setCard(k);
        if (opts.fresh || callRef.current?.id !== id) {
          form.setFieldsValue({ categoryCode: c.categoryCode, subcategory: c.subcategory, notes: c.notes });
        }
      } catch (e) {
        message.error(problemText(e, t));
      }
    },
    [form, message, t],
  );

  useEffect(() => {
    enableSound();
    const unlock = () => enableSound();
    window.addEventListener('pointerdown', unlock, { once: true });
    return () => window.removeEventListener('pointerdown', unlock);
  }, []);
  // biome-ignore lint/correctness/useExhaustiveDependencies: on mount and after each reconnect (events sent meanwhile are not replayed).
  useEffect(() => {
    if (status !== 'open' && agent !== null) return;
    void loadAgent().then((a) => {
      if (a?.currentCallId && a.currentCallId !== callRef.current?.id) void openCall(a.currentCallId, { unlessFinished: true });
    });
  }, [status]);

  // The screen pop: the card opens as soon as the call rings for me, before I answer.
  useRealtimeEvent<Ringing | PartialEventData>('call.ringing', (d) => {
    if (isPartialEvent(d)) {
      // Too large for one message: the call is read back by its id (or, without one, from my agent record).
      if (typeof d.id === 'string') void openCall(d.id, { fresh: true });
      else void loadAgent().then((a) => a?.currentCallId && void openCall(a.currentCallId, { fresh: true }));
      return;
    }
    setRinging(d);
    setChosen(d.parties.length === 1 ? d.parties[0] : null);
    setCard(null);
    setCall(null);
    form.resetFields();
    beep();
    flashTitle(t('calls.console.ringingFrom', { who: whoOf(d, t) }));
    void openCall(d.callId, { fresh: true });
  });
  useRealtimeEvent<EventData<'call.agent'> | PartialEventData>('call.agent', (d) => {
    if (!isPartialEvent(d) && d.userId !== me?.id) return;
    void loadAgent().then((a) => {
      const busy = a?.state === 'ringing' || a?.state === 'talking' || a?.state === 'wrap_up';
      const id = callRef.current?.id ?? (busy ? a?.currentCallId : null);
      if (id) void openCall(id, { unlessFinished: true });
    });
  });

  /** Several records match the number: the agent picks whose card to read. */
  const choose = async (p: Party) => {
    setChosen(p);
    try {
      setCard(await callsApi.callerCardByElder({ query: { elderId: p.elderId } }));
    } catch (e) {
      message.error(problemText(e, t));
    }
  };

  const saveForm = async () => {
    if (!call) return;
    const v = form.getFieldsValue();
    const body = {
      categoryCode: v.categoryCode ?? null,
      subcategory: v.subcategory?.trim() || null,
      notes: v.notes?.trim() || null,
    };
    if (body.categoryCode === call.categoryCode && body.subcategory === call.subcategory && body.notes === call.notes) return;
    try {
      setCall(await callsApi.updateCall({ params: { id: call.id }, body }));
    } catch (e) {
      message.error(problemText(e, t));
      throw e;
    }
  };

  const cite = async (a: KbArticle) => {
    if (!call) return;
    try {
      await callsApi.articleForCall({ params: { id: call.id }, body: { articleId: a.id } });
      message.success(t('calls.console.articleCited', { title: a.title }));
      void openCall(call.id);
    } catch (e) {
      message.error(problemText(e, t));
    }
  };

  /** 结束话后处理: save the form, close the call's after-call work, and be free for the next call. */
  const finish = async () => {
    if (!call) return;
    setFinishing(true);
    try {
      const v = form.getFieldsValue();
      await callsApi.updateCall({
        params: { id: call.id },
        body: {
          categoryCode: v.categoryCode ?? null,
          subcategory: v.subcategory?.trim() || null,
          notes: v.notes?.trim() || null,
          finishWrapUp: true,
        },
      });
      const a = await loadAgent();
      if (a && a.state === 'wrap_up') setAgent(await ctiApi.setMyState({ body: { state: 'idle' } }));
      message.success(t('calls.console.wrapUpDone'));
      setCall(null);
      setCard(null);
      setRinging(null);
      setChosen(null);
      form.resetFields();
    } catch (e) {
      message.error(problemText(e, t));
    } finally {
      setFinishing(false);
    }
  };

  const defaultItems = useMemo(() => {
    if (!categoryCode) return [];
    const c = categories.byCode.get(categoryCode);
    if (!c) return [];
    if (c.defaultItemCodes.length || !c.parentCode) return c.defaultItemCodes;
    return categories.byCode.get(c.parentCode)?.defaultItemCodes ?? [];
  }, [categoryCode, categories.byCode]);

  if (agent === null) return <Card loading />;
  if (agent === 'none') return <Result status="info" title={t('calls.console.title')} subTitle={t('calls.console.notAgent')} />;

  const parties = ringing?.callId === call?.id || (ringing && !call) ? (ringing?.parties ?? []) : [];
  const contactOf =
    chosen?.kind === 'contact' && chosen.contactName
      ? { name: chosen.contactName, relationship: chosen.relationship }
      : undefined;

  return (
    <SoftphoneContext.Provider value={sip ? softphone : null}>
      <Space direction="vertical" size="middle" style={{ width: '100%' }}>
        <AgentStateBar
          agent={agent}
          skew={skew}
          onChanged={setAgent}
          extra={
            <Space>
              {sip && <SoftphoneTag softphone={softphone} />}
              {sip && <MicCheck />}
              <Button icon={<FormOutlined />} onClick={() => setLogging(true)} data-testid="manual-log">
                {t('calls.console.manualLog')}
              </Button>
            </Space>
          }
        />
        <Row gutter={16}>
          <Col span={15}>
            {!call && !ringing ? (
              <Card>
                <Empty
                  image={<PhoneOutlined style={{ fontSize: 48, color: '#bfbfbf' }} />}
                  description={t('calls.console.noCall')}
                />
              </Card>
            ) : (
              <Space direction="vertical" size="middle" style={{ width: '100%' }}>
                <CallHeader
                  call={call}
                  ringing={ringing}
                  byHand={telephony.data ? !telephony.data.controls && !sip : true}
                  controls={
                    <LineControls
                      call={call}
                      agent={agent}
                      telephony={telephony.data ?? null}
                      softphone={sip ? softphone : undefined}
                      onChanged={() => call && void openCall(call.id)}
                    />
                  }
                />
                {parties.length > 1 && (
                  <Alert
                    type="warning"
                    showIcon
                    data-testid="choose-party"
                    title={t('calls.console.chooseElder')}
                    description={
                      <Radio.Group
                        value={chosen ? `${chosen.elderId}-${chosen.contactId ?? ''}` : undefined}
                        onChange={(e) => {
                          const p = parties.find((x) => `${x.elderId}-${x.contactId ?? ''}` === e.target.value);
                          if (p) void choose(p);
                        }}
                        options={parties.map((p) => ({
                          value: `${p.elderId}-${p.contactId ?? ''}`,
                          label: partyLabel(p, t),
                        }))}
                      />
                    }
                  />
                )}
                {card?.elder ? (
                  <CallerCardView
                    card={card}
                    contactOf={contactOf}
                    canDial={!!telephony.data && agent.state !== 'ringing' && agent.state !== 'talking'}
                  />
                ) : parties.length > 1 ? null : (
                  <UnknownCaller onCard={setCard} waiting={!card && parties.length === 1} />
                )}
              </Space>
            )}
          </Col>
          <Col span={9}>
            <Space direction="vertical" size="middle" style={{ width: '100%' }}>
              {call && (
                <Card size="small" title={t('calls.console.callForm')} data-testid="call-form">
                  <Form<CallForm> form={form} layout="vertical" onBlur={() => void saveForm().catch(() => undefined)}>
                    <Form.Item name="categoryCode" label={t('calls.common.category')} style={{ marginBottom: 12 }}>
                      <TreeSelect
                        allowClear
                        treeDefaultExpandAll
                        placeholder={t('common.pleaseSelect')}
                        treeData={categoryTreeData(categories.items)}
                        onChange={() => void saveForm().catch(() => undefined)}
                        data-testid="call-category"
                      />
                    </Form.Item>
                    <Form.Item name="subcategory" label={t('calls.common.subcategory')} style={{ marginBottom: 12 }}>
                      <Input maxLength={100} placeholder={t('calls.console.subcategoryHint')} />
                    </Form.Item>
                    <Form.Item name="notes" label={t('calls.common.notes')} style={{ marginBottom: 12 }}>
                      <Input.TextArea rows={3} maxLength={2000} data-testid="call-notes" />
                    </Form.Item>
                  </Form>
                  <CallActions
                    call={call}
                    defaultItemCodes={defaultItems}
                    beforeAction={saveForm}
                    onDone={() => void openCall(call.id)}
                  />
                  <CallLinks call={call} />
                  <Button
                    block
                    type="primary"
                    size="large"
                    style={{ marginTop: 12 }}
                    loading={finishing}
                    disabled={!call.endedAt && !call.loggedByHand}
                    onClick={() => void finish()}
                    data-testid="finish-wrap-up"
                  >
                    {t('calls.console.finishWrapUp')}
                  </Button>
                  {!call.endedAt && !call.loggedByHand && (
                    <Typography.Text type="secondary" style={{ display: 'block', marginTop: 4 }}>
                      {t('calls.console.finishAfterHangUp')}
                    </Typography.Text>
                  )}
                </Card>
              )}
              <KnowledgePanel onCite={call ? (a) => void cite(a) : undefined} citedId={call?.articleId} />
            </Space>
          </Col>
        </Row>
        <ManualLogModal
          open={logging}
          onClose={() => setLogging(false)}
          onLogged={(c) => {
            setLogging(false);
            setRinging(null);
            setChosen(null);
            setCard(null);
            message.success(t('calls.console.logged'));
            void openCall(c.id, { fresh: true });
            if (c.elderId) void callsApi.callerCardByElder({ query: { elderId: c.elderId } }).then(setCard, () => undefined);
          }}
        />
      </Space>
    </SoftphoneContext.Provider>
  );
}

function whoOf(d: Ringing, t: TFunction): string {
  if (d.parties.length === 1) return d.parties[0].elderName;
  return d.callerMasked ?? t('calls.party.unknown');
}

function partyLabel(p: Party, t: TFunction): string {
  if (p.kind === 'contact')
    return `${p.elderName}（${p.contactName ?? ''}${p.relationship ? ` · ${p.relationship}` : ''} · ${t('calls.party.contact')}）`;
  return `${p.elderName}（${t(`calls.party.${p.kind}`)}）`;
}

/** The call's head: ringing / talking / ended, the caller's number (masked), hotline, terminal key and timers. */
function CallHeader({
  call,
  ringing,
  byHand,
  controls,
}: {
  call: CallDetail | null;
  ringing: Ringing | null;
  byHand: boolean;
  controls: ReactNode;
}) {
  const { t } = useTranslation();
  const now = useNow();
  const phase = !call ? 'ringing' : call.endedAt ? 'ended' : call.answeredAt ? 'talking' : 'ringing';
  const number = call?.numberMasked ?? ringing?.callerMasked ?? null;
  const key = call?.terminalKey ?? ringing?.terminalKey ?? null;
  const party = call?.partyKind ?? ringing?.partyKind ?? 'unknown';
  const talk = call?.answeredAt ? secondsBetween(call.answeredAt, call.endedAt ?? new Date(now).toISOString()) : null;
  return (
    <Card
      size="small"
      data-testid="call-header"
      data-phase={phase}
      style={{
        borderColor: phase === 'ringing' ? '#fa8c16' : undefined,
        background: phase === 'ringing' ? '#fff7e6' : undefined,
      }}
    >
      <Space size="middle" wrap>
        {phase === 'ringing' ? (
          <Tag color="orange" icon={<SoundOutlined />} style={{ fontSize: 16, padding: '4px 10px' }}>
            {t('calls.console.ringing')}
          </Tag>
        ) : phase === 'talking' ? (
          <Tag color="blue" style={{ fontSize: 16, padding: '4px 10px' }}>
            {t('calls.state.talking')}
          </Tag>
        ) : (
          <Tag style={{ fontSize: 16, padding: '4px 10px' }}>
            {t('calls.console.ended')} · {call?.outcome ? t(`calls.outcome.${call.outcome}`) : ''}
          </Tag>
        )}
        <Typography.Text strong style={{ fontSize: 16 }} data-testid="call-number">
          {number ?? t('calls.party.unknown')}
        </Typography.Text>
        <Tag>{t(`calls.party.${party}`)}</Tag>
        {key && <Tag color={key === 'sos' ? 'red' : 'green'}>{t(`calls.terminalKey.${key}`)}</Tag>}
        {ringing?.hotlineNumber && (
          <Typography.Text type="secondary">
            {t('calls.common.hotline')} {ringing.hotlineNumber}
          </Typography.Text>
        )}
        {call && (
          <Typography.Text type="secondary">
            {t(call.direction === 'outbound' ? 'calls.common.dialledAt' : 'calls.common.offeredAt')}{' '}
            {formatTimeSeconds(call.offeredAt).slice(11)}
          </Typography.Text>
        )}
        {talk !== null && (
          <Typography.Text type="secondary" data-testid="call-talk-time">
            {t('calls.common.talk')} {durationText(talk)}
          </Typography.Text>
        )}
        {phase === 'ringing' && byHand && <Typography.Text type="warning">{t('calls.console.answerOnPhone')}</Typography.Text>}
        {controls}
      </Space>
    </Card>
  );
}

/** What the call created or cited: the order number, the alarm, the complaint, the article. */
function CallLinks({ call }: { call: CallDetail }) {
  const { t } = useTranslation();
  const links = [
    call.orderId && `${t('calls.common.order')} ${call.orderNo ?? ''}`,
    call.alarmId && t('calls.console.alarmLinked'),
    call.complaintId && t('calls.console.complaintLinked'),
    call.articleId && `${t('calls.common.article')}：${call.articleTitle ?? ''}`,
  ].filter(Boolean) as string[];
  if (!links.length) return null;
  return (
    <div style={{ marginTop: 8 }} data-testid="call-links">
      {links.map((l) => (
        <Tag key={l} color="green" style={{ marginBottom: 4 }}>
          {l}
        </Tag>
      ))}
    </div>
  );
}

/** No record matches the number: search the archive and read an elder's card. */
function UnknownCaller({ onCard, waiting }: { onCard(c: CallerCard): void; waiting: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [options, setOptions] = useState<Array<{ value: string; label: string }>>([]);
  if (waiting) return <Card size="small" loading />;
  const search = async (q: string) => {
    if (!q.trim()) return;
    try {
      const r = await eldersApi.listElders({ query: { q: q.trim(), limit: 10 } });
      setOptions(r.items.map((e) => ({ value: e.id, label: `${e.name} · ${e.regionName ?? ''} · ${e.phoneMasked ?? '—'}` })));
    } catch (e) {
      message.error(problemText(e, t));
    }
  };
  const open = async (elderId: string) => {
    try {
      onCard(await callsApi.callerCardByElder({ query: { elderId } }));
    } catch (e) {
      message.error(problemText(e, t));
    }
  };
  return (
    <Card size="small" title={t('calls.console.unknownCaller')} data-testid="unknown-caller">
      <Select
        showSearch
        style={{ width: '100%' }}
        filterOption={false}
        onSearch={(q) => void search(q)}
        options={options}
        placeholder={t('calls.console.searchElder')}
        notFoundContent={null}
        onChange={(id: string) => void open(id)}
      />
      <Typography.Text type="secondary" style={{ display: 'block', marginTop: 8 }}>
        {t('calls.console.unknownHint')}
      </Typography.Text>
    </Card>
  );
}
