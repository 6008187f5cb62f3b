import { PhoneOutlined } from '@ant-design/icons';
import type { CallAgent, CallCommandResult, CallDetail, TelephonyInfo } from '@zhiyang/shared';
import { App, Button, Input, Modal, Segmented, Select, Space, Tag } from 'antd';
import { useContext, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ctiApi } from '../../api/cti.ts';
import { formatDuration } from '../../app/format.ts';
import { problemText } from '../../app/problems.ts';
import { type Softphone, SoftphoneContext } from './softphone.ts';

/**
 * 接听 / 挂断 on the agent's console, through the telephony adapter. Shown only when the adapter
 * controls the line (the phone simulator or a PBX driver); with no PBX the desk phone does it and
 * the call header says so. When the console's softphone is registered the buttons act on it (the
 * call is in the browser), with mute and the call timer. What follows (talking, after-call work)
 * comes back as CTI events.
 */
export function LineControls({
  call,
  agent,
  telephony,
  softphone,
  onChanged,
}: {
  call: CallDetail | null;
  agent: CallAgent;
  telephony: TelephonyInfo | null;
  softphone?: Softphone;
  onChanged(): void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  if (softphone && (softphone.status === 'registered' || softphone.call !== 'none')) {
    if (softphone.call === 'none') return null;
    return (
      <Space data-testid="softphone-controls" data-call={softphone.call}>
        {softphone.call === 'ringing' && (
          <Button type="primary" size="large" onClick={softphone.answer} data-testid="line-answer">
            {t('calls.console.answer')}
          </Button>
        )}
        {softphone.call === 'dialing' && (
          <Tag color="processing" data-testid="softphone-dialing">
            {t('calls.softphone.dialing')}
          </Tag>
        )}
        {softphone.call === 'talking' && (
          <>
            <Tag color="green" data-testid="softphone-timer">
              {t('calls.softphone.talkTime', { time: formatDuration(softphone.talkSeconds) })}
            </Tag>
            <Button onClick={softphone.toggleMute} data-testid="softphone-mute">
              {softphone.muted ? t('calls.softphone.unmute') : t('calls.softphone.mute')}
            </Button>
            <Button onClick={softphone.toggleHold} data-testid="softphone-hold" data-held={softphone.held}>
              {softphone.held ? t('calls.softphone.unhold') : t('calls.softphone.hold')}
            </Button>
            {/* Inbound and outbound calls alike (an outbound call: the elder's phone follows the REFER). */}
            <TransferButton callId={call && !call.endedAt ? call.id : undefined} softphone={softphone} />
          </>
        )}
        <Button danger size="large" onClick={softphone.hangUp} data-testid="line-hang-up">
          {t('calls.console.hangUp')}
        </Button>
      </Space>
    );
  }
  if (!telephony?.controls || !call?.externalId || call.endedAt || call.agentUserId !== agent.userId) return null;
  const run = async (command: 'answer' | 'hangUp') => {
    setBusy(true);
    try {
      const r =
        command === 'answer'
          ? await ctiApi.answerCall({ params: { id: call.id } })
          : await ctiApi.hangUpCall({ params: { id: call.id } });
      if (r.status === 'manual') message.info(t('calls.console.answerOnPhone'));
      onChanged();
    } catch (e) {
      message.error(problemText(e, t));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Space>
      {agent.state === 'ringing' && (
        <Button type="primary" size="large" loading={busy} onClick={() => void run('answer')} data-testid="line-answer">
          {t('calls.console.answer')}
        </Button>
      )}
      <Button danger size="large" loading={busy} onClick={() => void run('hangUp')} data-testid="line-hang-up">
        {t('calls.console.hangUp')}
      </Button>
    </Space>
  );
}

/**
 * 拨打: click to dial the elder (or a contact) from the agent's extension. Through a PBX or the
 * simulator the call then rings and pops like any other; with no PBX the number to dial on the
 * desk phone is shown (the dial is audited).
 */
export function DialButton({
  elderId,
  contactId,
  disabled,
  onDialled,
}: {
  elderId: string;
  contactId?: string;
  disabled?: boolean;
  /** The dial's answer: its call record once the telephony reported it (a care call links its result to it). */
  onDialled?(r: CallCommandResult): void;
}) {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const phone = useContext(SoftphoneContext);
  const [busy, setBusy] = useState(false);
  const dial = async () => {
    setBusy(true);
    try {
      const r = await ctiApi.dial({ body: { elderId, ...(contactId ? { contactId } : {}) } });
      onDialled?.(r);
      // Zhiyang's own telephony: the console's softphone places the call with the signed ticket.
      if (r.softphone) {
        if (phone?.dial(r.softphone.target, r.softphone.extraHeaders))
          message.success(t('calls.console.dialing', { number: r.numberMasked ?? '' }));
        else message.warning(t('calls.softphone.notReady'));
      } else if (r.status === 'manual' && r.number)
        modal.info({
          title: t('calls.console.dial'),
          content: (
            <span data-testid="dial-by-hand" style={{ fontSize: 18 }}>
              {t('calls.console.dialByHand', { number: r.number })}
            </span>
          ),
        });
      else message.success(t('calls.console.dialing', { number: r.numberMasked ?? '' }));
    } catch (e) {
      message.error(problemText(e, t));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Button
      size="small"
      icon={<PhoneOutlined />}
      loading={busy}
      disabled={disabled}
      onClick={() => void dial()}
      data-testid={contactId ? 'dial-contact' : 'dial-elder'}
    >
      {t('calls.console.dial')}
    </Button>
  );
}

/**
 * 转接: choose another agent at work, or 转外线 an outside number (a family member, 120, the family
 * doctor); the server signs a transfer ticket and the softphone REFERs the caller to it (Kamailio
 * rings the other agent as the same call, or sends it out to the trunk). This side leaves the call
 * once the other side has answered; if nobody answers, the caller stays here. The call is the one
 * the server has the agent on (an outbound call from 今日关爱外呼 has no call record on the page),
 * else the one shown.
 */
function TransferButton({ callId, softphone }: { callId?: string; softphone: Softphone }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const [mode, setMode] = useState<'agent' | 'number'>('agent');
  const [targets, setTargets] = useState<{ value: string; label: string }[]>([]);
  const [chosen, setChosen] = useState<string>();
  const [number, setNumber] = useState('');
  const [busy, setBusy] = useState(false);
  const numberOk = /^\+?[0-9]{3,20}$/.test(number.trim());
  const show = async () => {
    setChosen(undefined);
    setNumber('');
    setOpen(true);
    try {
      const r = await ctiApi.transferTargets();
      setTargets(
        r.items.map((a) => ({
          value: a.userId,
          label: `${a.displayName} · ${t('calls.monitor.extension')} ${a.extension} · ${t(`calls.state.${a.state}`)}`,
        })),
      );
    } catch (e) {
      message.error(problemText(e, t));
    }
  };
  const go = async () => {
    const body = mode === 'agent' ? (chosen ? { toUserId: chosen } : null) : numberOk ? { toNumber: number.trim() } : null;
    if (!body) return;
    setBusy(true);
    try {
      const id = (await ctiApi.myAgent()).currentCallId ?? callId;
      if (!id) {
        message.warning(t('calls.softphone.transferNoCall'));
        return;
      }
      const r = await ctiApi.transferCall({ params: { id }, body });
      if (r.softphone && softphone.transfer(r.softphone.target)) {
        message.success(t('calls.softphone.transferring'));
        setOpen(false);
      } else message.info(t('calls.softphone.transferOnPhone'));
    } catch (e) {
      message.error(problemText(e, t));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <Button onClick={() => void show()} data-testid="softphone-transfer">
        {t('calls.softphone.transfer')}
      </Button>
      <Modal
        open={open}
        title={t('calls.softphone.transferTitle')}
        okText={t('calls.softphone.transfer')}
        okButtonProps={{ disabled: mode === 'agent' ? !chosen : !numberOk, loading: busy, id: 'transfer-confirm' }}
        onOk={() => void go()}
        onCancel={() => setOpen(false)}
      >
        <Space direction="vertical" style={{ width: '100%' }}>
          <Segmented
            value={mode}
            onChange={(v) => setMode(v as 'agent' | 'number')}
            options={[
              { value: 'agent', label: t('calls.softphone.transferToAgent') },
              { value: 'number', label: <span data-testid="transfer-mode-number">{t('calls.softphone.transferToNumber')}</span> },
            ]}
          />
          {mode === 'agent' ? (
            <Select
              style={{ width: '100%' }}
              placeholder={t('calls.softphone.transferChoose')}
              options={targets}
              value={chosen}
              onChange={setChosen}
              data-testid="transfer-target"
              notFoundContent={t('calls.softphone.transferNobody')}
            />
          ) : (
            <>
              <Input
                inputMode="tel"
                maxLength={21}
                placeholder={t('calls.softphone.transferNumber')}
                value={number}
                onChange={(e) => setNumber(e.target.value)}
                status={number && !numberOk ? 'error' : undefined}
                data-testid="transfer-number"
              />
              {number && !numberOk && <span style={{ color: '#cf1322' }}>{t('calls.softphone.transferNumberBad')}</span>}
            </>
          )}
        </Space>
      </Modal>
    </>
  );
}

const STATUS_COLOR = { off: 'default', connecting: 'processing', registered: 'success', failed: 'error' } as const;

/** The softphone's registration, beside the agent's state (shown only where SIP is configured). */
export function SoftphoneTag({ softphone }: { softphone: Softphone }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATUS_COLOR[softphone.status]} data-testid="softphone-status" data-status={softphone.status}>
      {t(`calls.softphone.status.${softphone.status}`)}
    </Tag>
  );
}
