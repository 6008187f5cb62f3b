import type { CareCallTask } from '@zhiyang/shared';
import { Alert, App, Badge, Button, Card, Col, Empty, Form, Input, List, Radio, Row, Space, Tag, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { campaignsApi } from '../../api/campaigns.ts';
import { ctiApi } from '../../api/cti.ts';
import { formatTime } from '../../app/format.ts';
import { problemText } from '../../app/problems.ts';
import { useFetch } from '../../app/useFetch.ts';
import { type CareAnswers, CareFollowUps } from './CareFollowUps.tsx';
import { DialButton, LineControls, SoftphoneTag } from './LineControls.tsx';
import { SoftphoneContext, useSoftphone } from './softphone.ts';

const RESULTS = ['answered', 'no_answer', 'busy', 'wrong_number', 'refused'] as const;
type Result = (typeof RESULTS)[number];
type Answers = Record<string, string | number | undefined>;

const attemptId = () => `care-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;

/**
 * 今日关爱外呼: the agent's care calls for today. Open tasks first (those due now on top), then
 * today's closed ones. The chosen task shows its script as a form; a result button records the dial
 * (and, when answered, the answers). No answer or busy comes back at the retry time the server sets.
 */
export function CareCallsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const tasks = useFetch((signal) => campaignsApi.myTasks({ signal }), 'care-tasks');
  const [selected, setSelected] = useState<string | null>(null);
  const [saving, setSaving] = useState<Result | null>(null);
  const [form] = Form.useForm<Answers & { __note?: string }>();
  const items = tasks.data?.items ?? [];
  const task = useMemo(() => items.find((x) => x.id === selected) ?? null, [items, selected]);
  // One attempt id per dial of a task: a double click or a retry of the same post counts once.
  const [attempt, setAttempt] = useState(attemptId);
  // What the agent recorded on an answered call, by task: the follow-ups start from it.
  const [said, setSaid] = useState<Record<string, { answers: CareAnswers; note: string }>>({});
  // The call record of a click-to-dial of the chosen task: its result is linked to it rather than written again.
  const [dialled, setDialled] = useState<{ taskId: string; callId: string } | null>(null);
  // Zhiyang's own telephony: the agent's softphone lives on this page too, so 拨打 calls out from
  // the browser (docs/telephony.md#click-to-dial); registered while the agent is at work.
  const telephony = useFetch((signal) => ctiApi.telephony({ signal }), 'cti-telephony');
  const sip = telephony.data?.sip ?? null;
  const agent = useFetch(() => ctiApi.myAgent().catch(() => null), 'care-calls-agent');
  const softphone = useSoftphone(sip, !!agent.data && agent.data.state !== 'offline', telephony.reload);

  useEffect(() => {
    if (!selected && items.length) setSelected((items.find((x) => x.status === 'open') ?? items[0]).id);
  }, [items, selected]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new task starts a new attempt with an empty form.
  useEffect(() => {
    form.resetFields();
    setAttempt(attemptId());
  }, [selected]);

  const record = async (result: Result) => {
    if (!task) return;
    const v = form.getFieldsValue();
    const answers: Record<string, string | number> = {};
    if (result === 'answered') {
      for (const q of task.questions) {
        const a = v[q.key];
        if (a !== undefined && a !== null && String(a).trim() !== '') answers[q.key] = typeof a === 'string' ? a.trim() : a;
      }
    }
    const note = typeof v.__note === 'string' ? v.__note.trim() : '';
    setSaving(result);
    try {
      const r = await campaignsApi.postResult({
        params: { id: task.id },
        body: {
          result,
          attemptId: attempt,
          ...(dialled?.taskId === task.id ? { callId: dialled.callId } : {}),
          ...(Object.keys(answers).length ? { answers } : {}),
          ...(note ? { note } : {}),
        },
      });
      message.success(t('calls.care.resultSaved', { result: t(`calls.care.results.${result}`) }));
      setAttempt(attemptId());
      setDialled(null);
      form.resetFields();
      tasks.reload();
      // An answered call stays on screen for its follow-ups (order, alarm, complaint); otherwise on to the next.
      if (result === 'answered' && r.callId) setSaid((m) => ({ ...m, [task.id]: { answers, note } }));
      else {
        const next = items.find((x) => x.id !== task.id && x.status === 'open' && x.dueNow);
        if (next) setSelected(next.id);
      }
    } catch (e) {
      message.error(problemText(e, t));
    } finally {
      setSaving(null);
    }
  };

  const open = items.filter((x) => x.status === 'open');
  return (
    <SoftphoneContext.Provider value={sip ? softphone : null}>
      <Row gutter={16}>
        <Col span={9}>
          <Card
            title={
              <Space>
                {t('calls.care.title')}
                <Badge count={open.length} showZero color="#0f7b6c" />
              </Space>
            }
            extra={<Button onClick={tasks.reload}>{t('common.refresh')}</Button>}
            styles={{ body: { padding: 0, maxHeight: 'calc(100vh - 200px)', overflowY: 'auto' } }}
          >
            {tasks.error !== undefined && <Alert type="error" showIcon title={problemText(tasks.error, t)} />}
            <List<CareCallTask>
              loading={tasks.loading}
              dataSource={items}
              locale={{ emptyText: <Empty description={t('calls.care.noTasks')} /> }}
              data-testid="care-tasks"
              renderItem={(x) => (
                <List.Item
                  onClick={() => setSelected(x.id)}
                  style={{
                    cursor: 'pointer',
                    padding: '10px 16px',
                    background: x.id === selected ? '#e6f4f1' : undefined,
                    opacity: x.status === 'open' ? 1 : 0.6,
                  }}
                >
                  <List.Item.Meta
                    title={
                      <Space size={6}>
                        {x.elderName}
                        <TaskStatus task={x} />
                      </Space>
                    }
                    description={
                      <span>
                        {x.campaigns.map((c) => c.name).join('、')}
                        {x.attempts > 0 && ` · ${t('calls.care.attempts', { n: x.attempts })}`}
                        {x.lastResult && ` · ${t(`calls.care.results.${x.lastResult}`)}`}
                      </span>
                    }
                  />
                </List.Item>
              )}
            />
          </Card>
        </Col>
        <Col span={15}>
          {!task ? (
            <Card>
              <Empty description={items.length ? t('calls.care.chooseTask') : t('calls.care.noTasks')} />
            </Card>
          ) : (
            <Card
              data-testid="care-task"
              title={
                <Space wrap>
                  <span style={{ fontSize: 18 }}>{task.elderName}</span>
                  <TaskStatus task={task} />
                  <Typography.Text type="secondary">{task.campaigns.map((c) => c.name).join('、')}</Typography.Text>
                </Space>
              }
              extra={
                <Space>
                  {sip && <SoftphoneTag softphone={softphone} />}
                  {sip && agent.data && (
                    <LineControls
                      call={null}
                      agent={agent.data}
                      telephony={telephony.data ?? null}
                      softphone={softphone}
                      onChanged={() => undefined}
                    />
                  )}
                  {task.status === 'open' && (
                    <DialButton
                      elderId={task.elderId}
                      disabled={!!sip && softphone.call !== 'none'}
                      onDialled={(r) => setDialled(r.callId ? { taskId: task.id, callId: r.callId } : null)}
                    />
                  )}
                  <Link to={`/console/elders/${task.elderId}`}>{t('calls.card.openElder')}</Link>
                </Space>
              }
            >
              <Typography.Paragraph type="secondary">
                {t('calls.care.attemptsToday', { n: task.attemptsToday })}
                {task.nextAttemptAt &&
                  task.status === 'open' &&
                  ` · ${t('calls.care.nextRetry', { at: formatTime(task.nextAttemptAt) })}`}
              </Typography.Paragraph>
              <Typography.Title level={5}>{t('calls.care.script')}</Typography.Title>
              <Form form={form} layout="vertical" disabled={task.status !== 'open'}>
                {task.questions.map((q, i) => (
                  <Form.Item key={q.key} name={q.key} label={`${i + 1}. ${q.text}`} style={{ marginBottom: 12 }}>
                    {q.kind === 'choice' ? (
                      <Radio.Group
                        optionType="button"
                        options={(q.options ?? []).map((o, j) => ({
                          value: o,
                          label: t(`calls.care.options.${o}` as never, { defaultValue: t('calls.care.option', { n: j + 1 }) }),
                        }))}
                      />
                    ) : q.kind === 'scale' ? (
                      <Radio.Group optionType="button" options={[1, 2, 3, 4, 5].map((n) => ({ value: n, label: String(n) }))} />
                    ) : (
                      <Input.TextArea rows={2} maxLength={500} />
                    )}
                  </Form.Item>
                ))}
                <Form.Item name="__note" label={t('calls.care.note')}>
                  <Input.TextArea rows={2} maxLength={500} />
                </Form.Item>
              </Form>
              {task.status === 'open' ? (
                <>
                  <Typography.Title level={5}>{t('calls.care.result')}</Typography.Title>
                  <Space wrap>
                    {RESULTS.map((r) => (
                      <Button
                        key={r}
                        size="large"
                        type={r === 'answered' ? 'primary' : 'default'}
                        danger={r === 'wrong_number' || r === 'refused'}
                        loading={saving === r}
                        disabled={saving !== null && saving !== r}
                        onClick={() => void record(r)}
                        data-testid={`care-result-${r}`}
                      >
                        {t(`calls.care.results.${r}`)}
                      </Button>
                    ))}
                  </Space>
                  {!task.dueNow && (
                    <Typography.Paragraph type="warning" style={{ marginTop: 8 }}>
                      {t('calls.care.notDue')}
                    </Typography.Paragraph>
                  )}
                </>
              ) : (
                <Alert type="success" showIcon title={t(`calls.care.taskStatus.${task.status}`)} />
              )}
              {task.status === 'answered' && task.lastCallId && (
                <CareFollowUps
                  key={task.lastCallId}
                  task={task}
                  callId={task.lastCallId}
                  answers={said[task.id]?.answers}
                  note={said[task.id]?.note}
                />
              )}
            </Card>
          )}
        </Col>
      </Row>
    </SoftphoneContext.Provider>
  );
}

function TaskStatus({ task }: { task: CareCallTask }) {
  const { t } = useTranslation();
  if (task.status !== 'open') return <Tag>{t(`calls.care.taskStatus.${task.status}`)}</Tag>;
  return task.dueNow ? <Tag color="green">{t('calls.care.pending')}</Tag> : <Tag color="gold">{t('calls.care.retry')}</Tag>;
}
