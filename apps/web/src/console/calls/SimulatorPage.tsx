import type { CallAgent, CtiEvent } from '@zhiyang/shared';
import { Alert, App, Button, Card, Col, Empty, Form, Input, Row, Select, Space, Table, Tag, Typography } from 'antd';
import { useCallback, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { callsApi } from '../../api/calls.ts';
import { ctiApi } from '../../api/cti.ts';
import { eldersApi } from '../../api/elders.ts';
import { useAuth } from '../../app/auth.tsx';
import { formatTimeSeconds } from '../../app/format.ts';
import { problemText } from '../../app/problems.ts';
import { useRealtimeEvent } from '../../app/realtime.ts';
import { useFetch } from '../../app/useFetch.ts';
import { STATE_COLOR } from './call-ui.ts';

type Step = 'offered' | 'ringing' | 'answered' | 'ended' | 'abandoned' | 'recording';
interface Sent {
  key: string;
  at: string;
  callId: string;
  step: Step;
  status: 'applied' | 'duplicate' | 'stale' | 'failed';
  problem?: string;
}

/** The telephony's id of a simulated call: SIM and the time in ms (a code, like an order number). */
const newCallId = () => `SIM${Date.now()}`;

/**
 * The built-in phone simulator (电话模拟器): without a PBX, a supervisor plays the telephony and
 * sends its events (offered, ringing for an agent, answered, ended, abandoned, recording ready)
 * through the same intake as a real one, so ringing, the screen pop and the call log can be shown.
 */
export function SimulatorPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { can } = useAuth();
  const hotlines = useFetch((signal) => ctiApi.listHotlines({ signal }), 'hotlines');
  const agents = useFetch((signal) => ctiApi.listAgents({ signal }), 'agents');
  const [hotline, setHotline] = useState<string>();
  const [caller, setCaller] = useState('');
  const [elderId, setElderId] = useState<string>();
  const [elderOptions, setElderOptions] = useState<Array<{ value: string; label: string }>>([]);
  const [terminalKey, setTerminalKey] = useState<'sos' | 'service'>();
  const [extension, setExtension] = useState<string>();
  const [callId, setCallId] = useState(newCallId);
  const [answered, setAnswered] = useState(false);
  // Zhiyang's id of the simulated call: the agent may answer it from the console instead of here.
  const recordId = useRef<string | null>(null);
  const [sent, setSent] = useState<Sent[]>([]);
  const [busy, setBusy] = useState<Step | null>(null);
  const counter = useRef(0);

  const reloadAgents = agents.reload;
  useRealtimeEvent('call.agent', () => reloadAgents());

  const hotlineNumber = hotline ?? hotlines.data?.items[0]?.number;
  const agentOf = (ext: string | undefined): CallAgent | undefined => agents.data?.items.find((a) => a.extension === ext);

  const searchElders = useCallback(
    async (q: string) => {
      if (q.trim().length < 1) return;
      try {
        const r = await eldersApi.listElders({ query: { q: q.trim(), limit: 10 } });
        setElderOptions(
          r.items.map((e) => ({
            value: e.id,
            label: `${e.name} · ${e.regionName ?? ''} · ${e.phoneMasked ?? t('calls.common.none')}`,
          })),
        );
      } catch (e) {
        message.error(problemText(e, t));
      }
    },
    [message, t],
  );

  /** Take an elder's number as the caller: the full number is revealed for this (audited with the reason). */
  const pickElder = async (id: string) => {
    setElderId(id);
    try {
      const r = await eldersApi.reveal({
        params: { id },
        body: { fields: ['phone'], reason: t('calls.simulator.revealReason') },
      });
      if (r.phone) setCaller(r.phone);
      else message.warning(t('calls.simulator.elderNoPhone'));
    } catch (e) {
      message.error(problemText(e, t));
    }
  };

  const send = async (step: Step) => {
    const base = { callId, occurredAt: new Date().toISOString() };
    const eventId = `${callId}-${step}-${++counter.current}`;
    let body: CtiEvent;
    switch (step) {
      case 'offered':
        body = {
          type: 'call.offered',
          eventId,
          ...base,
          hotline: hotlineNumber ?? '',
          caller: caller.trim(),
          ...(terminalKey ? { terminalKey } : {}),
        };
        break;
      case 'ringing':
        body = { type: 'call.ringing', eventId, ...base, extension: extension ?? '' };
        break;
      case 'answered':
        body = { type: 'call.answered', eventId, ...base, ...(extension ? { extension } : {}) };
        break;
      case 'ended': {
        const record = recordId.current ? await callsApi.getCall({ params: { id: recordId.current } }).catch(() => null) : null;
        body = { type: 'call.ended', eventId, ...base, outcome: answered || record?.answeredAt ? 'answered' : 'no_answer' };
        break;
      }
      case 'abandoned':
        body = { type: 'call.ended', eventId, ...base, outcome: 'abandoned' };
        break;
      case 'recording':
        body = { type: 'call.recording_ready', eventId, ...base, recordingRef: `simulator://recordings/${callId}.wav` };
        break;
    }
    setBusy(step);
    try {
      const r = await ctiApi.simulatorEvent({ body });
      if (step === 'answered') setAnswered(true);
      if (step === 'offered') recordId.current = r.callId;
      setSent((s) => [{ key: eventId, at: base.occurredAt, callId, step, status: r.status }, ...s]);
      message.success(t('calls.simulator.sent', { what: t(`calls.simulator.${step}`) }));
    } catch (e) {
      const problem = problemText(e, t);
      setSent((s) => [{ key: eventId, at: base.occurredAt, callId, step, status: 'failed', problem }, ...s]);
      message.error(problem);
    } finally {
      setBusy(null);
    }
  };

  const restart = () => {
    setCallId(newCallId());
    setAnswered(false);
    recordId.current = null;
  };

  const canOffer = !!hotlineNumber && caller.trim().length >= 3;
  const stepButton = (step: Step, opts: { primary?: boolean; danger?: boolean; disabled?: boolean } = {}) => (
    <Button
      key={step}
      size="large"
      type={opts.primary ? 'primary' : 'default'}
      danger={opts.danger}
      disabled={opts.disabled}
      loading={busy === step}
      onClick={() => void send(step)}
      data-testid={`sim-${step}`}
    >
      {t(`calls.simulator.${step}`)}
    </Button>
  );
  const agentOptions = useMemo(
    () =>
      (agents.data?.items ?? []).map((a) => ({
        value: a.extension,
        label: `${a.displayName} · ${t('calls.monitor.extension')} ${a.extension} · ${t(`calls.state.${a.state}`)}`,
      })),
    [agents.data, t],
  );
  const chosen = agentOf(extension);

  return (
    <Row gutter={16}>
      <Col span={14}>
        <Card title={t('calls.simulator.title')}>
          <Alert type="info" showIcon title={t('calls.simulator.hint')} style={{ marginBottom: 16 }} />
          {hotlines.error !== undefined && <Alert type="error" showIcon title={problemText(hotlines.error, t)} />}
          <Form layout="vertical">
            <Row gutter={12}>
              <Col span={12}>
                <Form.Item label={t('calls.simulator.hotline')}>
                  <Select
                    value={hotlineNumber}
                    onChange={setHotline}
                    placeholder={t('common.pleaseSelect')}
                    options={(hotlines.data?.items ?? []).map((h) => ({ value: h.number, label: `${h.number} · ${h.name}` }))}
                    notFoundContent={t('calls.simulator.noHotlines')}
                    data-testid="sim-hotline"
                  />
                </Form.Item>
              </Col>
              <Col span={12}>
                <Form.Item label={t('calls.simulator.key')}>
                  <Select
                    allowClear
                    value={terminalKey}
                    onChange={setTerminalKey}
                    placeholder={t('calls.simulator.noKey')}
                    options={(['sos', 'service'] as const).map((k) => ({ value: k, label: t(`calls.terminalKey.${k}`) }))}
                  />
                </Form.Item>
              </Col>
              <Col span={12}>
                <Form.Item label={t('calls.simulator.caller')}>
                  <Input
                    value={caller}
                    onChange={(e) => setCaller(e.target.value)}
                    placeholder={t('calls.simulator.callerPlaceholder')}
                    data-testid="sim-caller"
                  />
                </Form.Item>
              </Col>
              <Col span={12}>
                {can('elder:reveal') && (
                  <Form.Item label={t('calls.simulator.callerElder')}>
                    <Select
                      showSearch
                      allowClear
                      value={elderId}
                      filterOption={false}
                      onSearch={(q) => void searchElders(q)}
                      onChange={(v?: string) => (v ? void pickElder(v) : setElderId(undefined))}
                      options={elderOptions}
                      placeholder={t('calls.simulator.elderPlaceholder')}
                      notFoundContent={null}
                      data-testid="sim-elder"
                    />
                  </Form.Item>
                )}
              </Col>
              <Col span={24}>
                <Form.Item label={t('calls.simulator.agent')}>
                  <Select
                    value={extension}
                    onChange={setExtension}
                    placeholder={t('common.pleaseSelect')}
                    options={agentOptions}
                    notFoundContent={t('calls.monitor.noAgents')}
                    data-testid="sim-agent"
                  />
                </Form.Item>
              </Col>
            </Row>
          </Form>
          <Space direction="vertical" style={{ width: '100%' }}>
            <Typography.Text type="secondary">
              {t('calls.simulator.callId')}：<span data-testid="sim-call-id">{callId}</span>
              {chosen && (
                <>
                  {' · '}
                  {chosen.displayName} <Tag color={STATE_COLOR[chosen.state]}>{t(`calls.state.${chosen.state}`)}</Tag>
                </>
              )}
            </Typography.Text>
            <Space wrap>
              {stepButton('offered', { primary: true, disabled: !canOffer })}
              {stepButton('ringing', { disabled: !extension })}
              {stepButton('answered', { primary: true, disabled: !extension })}
              {stepButton('ended', { danger: true })}
              {stepButton('abandoned', { danger: true })}
              {stepButton('recording')}
              <Button size="large" onClick={restart} data-testid="sim-new-call">
                {t('calls.simulator.newCall')}
              </Button>
            </Space>
          </Space>
        </Card>
      </Col>
      <Col span={10}>
        <Card title={t('calls.simulator.events')}>
          {sent.length === 0 ? (
            <Empty description={t('calls.simulator.noEvents')} />
          ) : (
            <Table<Sent>
              size="small"
              rowKey="key"
              pagination={false}
              dataSource={sent}
              data-testid="sim-events"
              columns={[
                { title: t('calls.simulator.at'), dataIndex: 'at', render: (v: string) => formatTimeSeconds(v).slice(11) },
                { title: t('calls.simulator.event'), dataIndex: 'step', render: (s: Step) => t(`calls.simulator.${s}`) },
                {
                  title: t('calls.simulator.result'),
                  dataIndex: 'status',
                  render: (s: Sent['status'], r) => (
                    <Tag color={s === 'applied' ? 'green' : s === 'failed' ? 'red' : 'default'} title={r.problem}>
                      {t(`calls.simulator.status.${s}`)}
                    </Tag>
                  ),
                },
              ]}
            />
          )}
        </Card>
      </Col>
    </Row>
  );
}
